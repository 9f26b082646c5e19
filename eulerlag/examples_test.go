package eulerlag

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

const examplesDir = "../examples/lagrangians"

// handAccel holds the acceleration of every example, derived by hand from
// the Euler–Lagrange equation with the default parameters of the file.
var handAccel = map[string]func(dst []float64, t float64, x, v []float64){
	"kinetic": func(dst []float64, t float64, x, v []float64) {
		clear(dst)
	},
	"harmonic": func(dst []float64, t float64, x, v []float64) {
		w := math.Pi / 2
		for i := range x {
			dst[i] = -w * w * x[i]
		}
	},
	"inverted": func(dst []float64, t float64, x, v []float64) {
		copy(dst, x) // w = 1
	},
	"gravity": func(dst []float64, t float64, x, v []float64) {
		clear(dst)
		dst[1] = -2 // g = 2 along x[1]
	},
	"bump": func(dst []float64, t float64, x, v []float64) {
		// L = ½|v|² + A exp(−|x|²/s²), A = 2, s = 1: a = ∂L/∂x = −2A/s² x e^{…}
		var r2 float64
		for _, xi := range x {
			r2 += xi * xi
		}
		for i := range x {
			dst[i] = -4 * x[i] * math.Exp(-r2)
		}
	},
	"conformal": func(dst []float64, t float64, x, v []float64) {
		var xx, vv, xv float64
		for i := range x {
			xx += x[i] * x[i]
			vv += v[i] * v[i]
			xv += x[i] * v[i]
		}
		for i := range x {
			dst[i] = (vv*x[i] - 2*xv*v[i]) / (1 + xx)
		}
	},
	"magnetic": func(dst []float64, t float64, x, v []float64) {
		dst[0], dst[1] = v[1], -v[0] // B = 1: a = B (v1, −v0)
	},
	"damped": func(dst []float64, t float64, x, v []float64) {
		for i := range x {
			dst[i] = -x[i] - 0.5*v[i] // w = 1, g = 0.5: a = −w²x − g v
		}
	},
	"anisotropic": func(dst []float64, t float64, x, v []float64) {
		dst[0], dst[1] = -x[0], -6.25*x[1] // wx = 1, wy = 2.5
	},
	"pendulum": func(dst []float64, t float64, x, v []float64) {
		for i := range x {
			dst[i] = -math.Sin(x[i]) // k = 1
		}
	},
}

func loadExample(t testing.TB, name string) *System {
	t.Helper()
	path := filepath.Join(examplesDir, name+".lag")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := Load(path, src, nil)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return sys
}

func TestExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.lag"))
	if err != nil || len(files) < 10 {
		t.Fatalf("found %d example files (%v), want at least 10", len(files), err)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for _, f := range files {
		name := filepath.Base(f[:len(f)-len(".lag")])
		hand, ok := handAccel[name]
		if !ok {
			t.Errorf("%s: no hand-derived acceleration in the test table", name)
			continue
		}
		sys := loadExample(t, name)
		dims := []int{1, 2, 5}
		if sys.Dim > 0 {
			dims = []int{sys.Dim}
		}
		for _, d := range dims {
			if d < sys.MinDim {
				continue
			}
			t.Run(fmt.Sprintf("%s/d=%d", name, d), func(t *testing.T) {
				ev, err := sys.Evaluator(d)
				if err != nil {
					t.Fatal(err)
				}
				a, want := make([]float64, d), make([]float64, d)
				for trial := 0; trial < 5; trial++ {
					x, v, tt := randVec(rng, d, 1.5), randVec(rng, d, 1), rng.Float64()
					if err := ev.AccelErr(a, tt, x, v); err != nil {
						t.Fatal(err)
					}
					hand(want, tt, x, v)
					closeVec(t, "a vs hand-derived", a, want, 1e-12)
					fd, err := fdAccel(ev, tt, x, v)
					if err != nil {
						t.Fatal(err)
					}
					closeVec(t, "a vs finite differences of L", a, fd, 1e-5)
				}
			})
		}
	}
}
