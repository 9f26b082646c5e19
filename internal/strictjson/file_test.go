package strictjson

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.json")
	if err := WriteFile(path, map[string]float64{"a": 1.5}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "{\n  \"a\": 1.5\n}\n" {
		t.Errorf("file %q, %v", b, err)
	}
	// A non-finite value is refused and leaves the old file as it was.
	if err := WriteFile(path, map[string]float64{"a": math.NaN()}); err == nil {
		t.Error("NaN written")
	}
	if b, _ := os.ReadFile(path); string(b) != "{\n  \"a\": 1.5\n}\n" {
		t.Errorf("file changed to %q", b)
	}
}
