package eulerlag

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// fdAccel computes the Euler–Lagrange acceleration of sys from finite
// differences of sys.L alone — an independent truth for the symbolic
// derivation:
//
//	M a = ∂L/∂x − (∂²L/∂v∂x)·v − ∂²L/∂v∂t,   M = ∂²L/∂v².
func fdAccel(sys lagrangian.System, t float64, x, v []float64) ([]float64, error) {
	d := sys.Dim()
	const h = 1e-4
	L := func(t float64, x, v []float64) float64 { return sys.L(t, x, v) }
	xp, vp := make([]float64, d), make([]float64, d)
	// shifted evaluates L at (t+dt, x+dx·e_j, v+dv·e_i) for small steps.
	shifted := func(dt float64, j int, dx float64, i int, dv float64) float64 {
		copy(xp, x)
		copy(vp, v)
		if j >= 0 {
			xp[j] += dx
		}
		if i >= 0 {
			vp[i] += dv
		}
		return L(t+dt, xp, vp)
	}
	M := mat.NewDense(d, d, nil)
	rhs := mat.NewVecDense(d, nil)
	for i := 0; i < d; i++ {
		// ∂L/∂x_i
		fi := (shifted(0, i, h, -1, 0) - shifted(0, i, -h, -1, 0)) / (2 * h)
		// ∂²L/∂v_i∂t
		pt := (shifted(h, -1, 0, i, h) - shifted(h, -1, 0, i, -h) - shifted(-h, -1, 0, i, h) + shifted(-h, -1, 0, i, -h)) / (4 * h * h)
		var px float64
		for j := 0; j < d; j++ {
			// ∂²L/∂v_i∂x_j
			mixed := (shifted(0, j, h, i, h) - shifted(0, j, h, i, -h) - shifted(0, j, -h, i, h) + shifted(0, j, -h, i, -h)) / (4 * h * h)
			px += mixed * v[j]
			// ∂²L/∂v_i∂v_j
			var mij float64
			if i == j {
				mij = (shifted(0, -1, 0, i, h) - 2*shifted(0, -1, 0, -1, 0) + shifted(0, -1, 0, i, -h)) / (h * h)
			} else {
				copy(xp, x)
				vv := func(a, b float64) float64 {
					copy(vp, v)
					vp[i] += a
					vp[j] += b
					return L(t, x, vp)
				}
				mij = (vv(h, h) - vv(h, -h) - vv(-h, h) + vv(-h, -h)) / (4 * h * h)
			}
			M.Set(i, j, mij)
		}
		rhs.SetVec(i, fi-px-pt)
	}
	var a mat.VecDense
	if err := a.SolveVec(M, rhs); err != nil {
		return nil, err
	}
	return a.RawVector().Data, nil
}

func closeVec(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	var scale float64
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	for i := range want {
		if !(math.Abs(got[i]-want[i]) <= tol*(1+scale)) {
			t.Errorf("%s[%d] = %.12g, want %.12g", what, i, got[i], want[i])
		}
	}
}
