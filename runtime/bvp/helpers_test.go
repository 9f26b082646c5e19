package bvp

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/ode"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// ivp integrates the Euler–Lagrange equations of sys from (x0, v0) with
// the adaptive Dormand–Prince integrator at tight tolerances: an
// independent reference for paths found by collocation or shooting.
func ivp(t *testing.T, sys lagrangian.System, x0, v0 []float64) *ode.Dense {
	t.Helper()
	d := sys.Dim()
	f := func(dst []float64, tt float64, y []float64) {
		copy(dst[:d], y[d:])
		sys.Accel(dst[d:], tt, y[:d], y[d:])
	}
	dp, err := ode.NewDormandPrince(2*d, &ode.Settings{RelTol: 1e-13, AbsTol: 1e-13})
	if err != nil {
		t.Fatal(err)
	}
	y := append(append([]float64{}, x0...), v0...)
	dense := new(ode.Dense)
	if _, err := dp.Solve(y, dense, f, 0, 1, y); err != nil {
		t.Fatal(err)
	}
	return dense
}

// Five-point Gauss–Legendre rule on [−1, 1].
var (
	glNodes   = []float64{-0.9061798459386640, -0.5384693101056831, 0, 0.5384693101056831, 0.9061798459386640}
	glWeights = []float64{0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891}
)

// quadAction is ∫₀¹ L dt along the curve given by at, by composite
// Gauss–Legendre quadrature on 100 panels (error far below 1e-12 for the
// smooth curves here).
func quadAction(sys lagrangian.System, at func(x, v []float64, t float64)) float64 {
	d := sys.Dim()
	x, v := make([]float64, d), make([]float64, d)
	const panels = 100
	var s float64
	for p := 0; p < panels; p++ {
		a, b := float64(p)/panels, float64(p+1)/panels
		for i, u := range glNodes {
			t := (a+b)/2 + (b-a)/2*u
			at(x, v, t)
			s += (b - a) / 2 * glWeights[i] * sys.L(t, x, v)
		}
	}
	return s
}

// energy is v·∂L/∂v − L, with ∂L/∂v by central finite differences of L.
func energy(sys lagrangian.System, t float64, x, v []float64) float64 {
	d := sys.Dim()
	grad := make([]float64, d)
	fd.Gradient(grad, func(w []float64) float64 { return sys.L(t, x, w) }, v, &fd.Settings{Formula: fd.Central, Step: 1e-5})
	var e float64
	for i := range v {
		e += v[i] * grad[i]
	}
	return e - sys.L(t, x, v)
}

// perturbedActions returns the actions of count curves x(t) + ε·η(t) with
// random η(t) = Σ_k c_k sin(kπt) (k = 1..3), which keep the endpoints.
func perturbedActions(sys lagrangian.System, p *Path, eps float64, count int, rng *rand.Rand) []float64 {
	d := sys.Dim()
	out := make([]float64, count)
	for c := range out {
		coef := make([]float64, 3*d)
		for i := range coef {
			coef[i] = rng.NormFloat64() / float64(1+i/d)
		}
		out[c] = quadAction(sys, func(x, v []float64, t float64) {
			if err := p.At(x, v, t); err != nil {
				panic(err)
			}
			for k := 1; k <= 3; k++ {
				s, co := math.Sin(float64(k)*math.Pi*t), math.Cos(float64(k)*math.Pi*t)
				for i := 0; i < d; i++ {
					x[i] += eps * coef[(k-1)*d+i] * s
					v[i] += eps * coef[(k-1)*d+i] * float64(k) * math.Pi * co
				}
			}
		})
	}
	return out
}

// elResidual is the Euler–Lagrange residual
// ∂²L/∂v²·a + ∂²L/∂v∂x·v + ∂²L/∂v∂t − ∂L/∂x at (t, x, v) for the
// acceleration a, with every derivative of L by finite differences.
func elResidual(sys lagrangian.System, t float64, x, v, a []float64) []float64 {
	d := sys.Dim()
	z := append(append([]float64{}, x...), v...)
	lz := func(z []float64) float64 { return sys.L(t, z[:d], z[d:]) }
	h := mat.NewSymDense(2*d, nil)
	fd.Hessian(h, lz, z, &fd.Settings{Formula: fd.Central, Step: 1e-4})
	grad := make([]float64, 2*d)
	fd.Gradient(grad, lz, z, &fd.Settings{Formula: fd.Central, Step: 1e-6})
	// ∂²L/∂v∂t by differences in t of the v-gradient.
	gv := func(tt float64) []float64 {
		g := make([]float64, d)
		fd.Gradient(g, func(w []float64) float64 { return sys.L(tt, x, w) }, v, &fd.Settings{Formula: fd.Central, Step: 1e-6})
		return g
	}
	gp, gm := gv(t+1e-4), gv(t-1e-4)
	r := make([]float64, d)
	for i := 0; i < d; i++ {
		s := (gp[i]-gm[i])/2e-4 - grad[i]
		for j := 0; j < d; j++ {
			s += h.At(d+i, d+j)*a[j] + h.At(d+i, j)*v[j]
		}
		r[i] = s
	}
	return r
}
