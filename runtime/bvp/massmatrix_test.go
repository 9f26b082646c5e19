package bvp

import (
	"math"
	"testing"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

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
