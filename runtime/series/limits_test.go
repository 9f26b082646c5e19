package series

import (
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/eulerlag"
)

// TestHostileSeriesLimits: a time span that overflows float64 and a
// start count that would run for days are refused with their cause.
func TestHostileSeriesLimits(t *testing.T) {
	pts := [][]float64{{0, 1}, {0, 1}, {0, 1}}
	if _, err := New([]float64{-1e308, 0, 1e308}, pts, 1); err == nil || !strings.Contains(err.Error(), "too long to represent") {
		t.Errorf("times ±1e308: %v", err)
	}
	if _, err := New([]float64{-1, 0, 1}, pts, 1); err != nil {
		t.Errorf("times -1, 0, 1: %v", err)
	}
	ser, err := New([]float64{0, 1, 2}, [][]float64{{0, 1}, {0.5, 1.5}, {1, 2}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := eulerlag.Load("h.lag", []byte("param w = 0.5 in [0, 1]\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Fit(sys, ser, []string{"w"}, &FitSettings{Starts: MaxStarts + 1}); err == nil || !strings.Contains(err.Error(), "at most 1000") {
		t.Errorf("%d starts: %v", MaxStarts+1, err)
	}
	if _, err := ReadCSV(strings.NewReader(strings.Repeat("0", 17<<20)), "zeros", nil); err == nil || !strings.Contains(err.Error(), "zeros: a line longer than") {
		t.Errorf("a 17 MiB line: %v", err)
	}
}
