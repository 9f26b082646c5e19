package data

import (
	"io"
	"strings"
	"testing"
)

// TestLineLimitReader: text with short lines passes unchanged, a line
// past MaxLineBytes and a text past the total bound fail with the source.
func TestLineLimitReader(t *testing.T) {
	short := strings.Repeat("1,2\n", 1000)
	b, err := io.ReadAll(LineLimitReader(strings.NewReader(short), "ok.csv", 0))
	if err != nil || string(b) != short {
		t.Fatalf("short lines: %d bytes, %v", len(b), err)
	}
	long := io.LimitReader(zeros{}, MaxLineBytes+10)
	if _, err := io.ReadAll(LineLimitReader(long, "zero", 0)); err == nil || !strings.Contains(err.Error(), "zero: a line longer than 16 MiB") {
		t.Errorf("endless line: %v", err)
	}
	if _, err := io.ReadAll(LineLimitReader(strings.NewReader(short), "big.csv", 100)); err == nil || !strings.Contains(err.Error(), "big.csv: longer than") {
		t.Errorf("total bound: %v", err)
	}
	if _, err := ReadCSV(io.LimitReader(zeros{}, MaxLineBytes+10), "dev", nil); err == nil || !strings.Contains(err.Error(), "line longer than") || strings.Contains(err.Error(), "dev: dev:") {
		t.Errorf("ReadCSV of an endless line: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
