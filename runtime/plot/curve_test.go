package plot

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestCurve(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "profile.png")
	if err := Curve(path, []float64{0, 1, 2, 3}, []float64{1, 0.5, math.NaN(), 2}, "w", "loss", nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 8 || string(b[1:4]) != "PNG" {
		t.Fatalf("not a PNG: %v", err)
	}
	for _, c := range []struct {
		path string
		x, y []float64
	}{
		{path, []float64{0, 1}, []float64{1}},
		{path, nil, nil},
		{path, []float64{math.Inf(1)}, []float64{0}},
		{filepath.Join(dir, "p.jpg"), []float64{0}, []float64{0}},
	} {
		if err := Curve(c.path, c.x, c.y, "x", "y", nil); err == nil {
			t.Errorf("Curve(%s, %v, %v): want an error", c.path, c.x, c.y)
		}
	}
}
