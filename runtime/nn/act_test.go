package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExpKernel compares the polynomial exp with math.Exp over the clamped
// range: a few ulp at most.
func TestExpKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	worst := 0.0
	for i := 0; i < 200000; i++ {
		x := (2*rng.Float64() - 1) * expLimit
		if i%2 == 0 {
			x /= 100 // dense near the range that matters for activations
		}
		got, want := expKernel(x), math.Exp(x)
		worst = max(worst, math.Abs(got-want)/want)
	}
	if worst > 3*0x1p-52 {
		t.Errorf("worst relative error of expKernel %.3g, want ≤ 3 ulp", worst)
	}
}

// TestActivationKernels checks each activation against its closed form
// through math (within rounding) and the AVX2 kernels against the scalar
// code (bit for bit), including special values.
func TestActivationKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	xs := []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 1e-9, -1e-9, 0.5, -0.5, 30, -30, 400, -400, 800, -800,
		math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, -math.MaxFloat64}
	for len(xs)%8 != 0 {
		xs = append(xs, 0)
	}
	for range 1000 {
		xs = append(xs, 4*rng.NormFloat64())
	}
	closed := map[Activation]func(x float64) (float64, float64){
		SELU: func(x float64) (float64, float64) {
			if x > 0 {
				return seluScale * x, seluScale
			}
			return seluScaleAlpha * math.Expm1(x), seluScaleAlpha * math.Exp(x)
		},
		SiLU: func(x float64) (float64, float64) {
			s := 1 / (1 + math.Exp(-x))
			return x * s, s * (1 + x*(1-s))
		},
		Tanh: func(x float64) (float64, float64) {
			y := math.Tanh(x)
			return y, 1 - y*y
		},
		ReLU: func(x float64) (float64, float64) {
			if x > 0 {
				return x, 1
			}
			return 0, 0
		},
	}
	for act, f := range closed {
		t.Run(act.String(), func(t *testing.T) {
			z := append([]float64(nil), xs...)
			d := make([]float64, len(z))
			act.apply(z, d)
			for i, x := range xs {
				wantY, wantD := f(x)
				if math.IsNaN(x) {
					if !math.IsNaN(z[i]) {
						t.Errorf("%v(NaN) = %v, want NaN", act, z[i])
					}
					continue
				}
				if !near(z[i], wantY) || !near(d[i], wantD) {
					t.Errorf("%v(%v) = %v, %v; want %v, %v", act, x, z[i], d[i], wantY, wantD)
				}
				// Scalar twin, one element at a time, bypasses the assembly.
				y1, d1 := []float64{x}, []float64{0}
				act.apply(y1, d1)
				if math.Float64bits(y1[0]) != math.Float64bits(z[i]) || math.Float64bits(d1[0]) != math.Float64bits(d[i]) {
					t.Errorf("%v(%v): vector kernel gives %v, %v; scalar %v, %v", act, x, z[i], d[i], y1[0], d1[0])
				}
			}
		})
	}
}

// near allows a few ulp, or an absolute 1e-15 near zero where tanh via
// exp loses relative (not absolute) accuracy.
func near(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	if math.IsInf(want, 0) {
		return got == want
	}
	return math.Abs(got-want) <= 1e-15*math.Max(1, math.Abs(want))
}
