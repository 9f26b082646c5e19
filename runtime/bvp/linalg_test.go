package bvp

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"gonum.org/v1/gonum/mat"
)

// TestLU checks the small dense LU against gonum's solver and determinant.
func TestLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{1, 2, 5, 17, 40} {
		a := make([]float64, n*n)
		for i := range a {
			a[i] = rng.NormFloat64()
		}
		b := make([]float64, n)
		for i := range b {
			b[i] = rng.NormFloat64()
		}
		var want mat.VecDense
		if err := want.SolveVec(mat.NewDense(n, n, append([]float64{}, a...)), mat.NewVecDense(n, append([]float64{}, b...))); err != nil {
			t.Fatal(err)
		}
		det := mat.Det(mat.NewDense(n, n, append([]float64{}, a...)))
		lu, piv := append([]float64{}, a...), make([]int, n)
		if rc := luFactor(lu, n, piv); !(rc > 0) {
			t.Fatalf("n=%d: pivot ratio %g for a random matrix", n, rc)
		}
		luSolve(lu, n, piv, b)
		for i := range b {
			if math.Abs(b[i]-want.AtVec(i)) > 1e-9*(1+math.Abs(want.AtVec(i))) {
				t.Errorf("n=%d: x[%d] = %g, gonum %g", n, i, b[i], want.AtVec(i))
			}
		}
		if s := luDetSign(lu, n, piv); s != math.Copysign(1, det) {
			t.Errorf("n=%d: determinant sign %v, gonum's determinant %g", n, s, det)
		}
	}
	singular := []float64{1, 2, 2, 4}
	if rc := luFactor(singular, 2, make([]int, 2)); rc > 1e-15 {
		t.Errorf("singular matrix: pivot ratio %g", rc)
	}
}

// TestMassMatrix checks ∂²L/∂v² by differences against closed forms:
// (1+|x|²)·I for the conformal metric, I for the magnetic field.
func TestMassMatrix(t *testing.T) {
	for _, tc := range []struct {
		sys  lagrangian.System
		want func(x []float64) float64
	}{
		{conformal{3}, func(x []float64) float64 { return 1 + x[0]*x[0] + x[1]*x[1] + x[2]*x[2] }},
		{magnetic{2}, func(x []float64) float64 { return 1 }},
	} {
		s, err := NewSolver(tc.sys, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.rz = &ritz{lp: make([]float64, s.d), lplus: make([]float64, s.d)}
		d := s.d
		x, v := []float64{0.3, -1.2, 0.7}[:d], []float64{2, 0.5, -1}[:d]
		m := make([]float64, d*d)
		s.massMatrix(m, 0.2, x, v)
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				want := 0.0
				if i == j {
					want = tc.want(x)
				}
				if math.Abs(m[i*d+j]-want) > 1e-5 {
					t.Errorf("%T: M[%d][%d] = %g, want %g", tc.sys, i, j, m[i*d+j], want)
				}
			}
		}
	}
}
