package plot

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestImageGrid(t *testing.T) {
	// Two 1×2 images: [lo, hi] and [mid, NaN], at scale 2.
	path := filepath.Join(t.TempDir(), "grid.png")
	if err := ImageGrid(path, []float64{0, 16, 8, math.NaN()}, 1, 2, 1, 2, 0, 16, 2); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 2*(2*2+1)+1 || b.Dy() != 1*(1*2+1)+1 {
		t.Fatalf("picture %v, want 11×4", b)
	}
	grey := func(x, y int) (r, g, b uint32) { r, g, b, _ = img.At(x, y).RGBA(); return r >> 8, g >> 8, b >> 8 }
	for _, tc := range []struct {
		x, y    int
		r, g, b uint32
	}{
		{0, 0, 255, 255, 255}, // gap
		{1, 1, 0, 0, 0},       // lo: black
		{4, 2, 255, 255, 255}, // hi: white
		{6, 1, 128, 128, 128}, // mid: grey
		{9, 2, 255, 0, 0},     // NaN: red
	} {
		if r, g, b := grey(tc.x, tc.y); r != tc.r || g != tc.g || b != tc.b {
			t.Errorf("pixel (%d, %d) = (%d, %d, %d), want (%d, %d, %d)", tc.x, tc.y, r, g, b, tc.r, tc.g, tc.b)
		}
	}
	for _, bad := range []func() error{
		func() error { return ImageGrid(path, []float64{0}, 1, 1, 1, 1, 1, 1, 1) },        // empty range
		func() error { return ImageGrid(path, []float64{0, 1}, 1, 1, 1, 1, 0, 1, 1) },     // wrong length
		func() error { return ImageGrid(path+".svg", []float64{0}, 1, 1, 1, 1, 0, 1, 1) }, // format
		func() error { return ImageGrid(path, nil, 1<<20, 1<<20, 1, 1, 0, 1, 1) },         // too large
	} {
		if bad() == nil {
			t.Error("bad grid arguments gave no error")
		}
	}
}
