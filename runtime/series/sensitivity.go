package series

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/lagc-dev/lagc/eulerlag"
)

// sensSteps is the number of RK4 steps of the sensitivity equations over
// an interval. Paths are smooth on the scale of the interval, so the error
// (≈ (1/64)⁴ relative) is far below the sampling noise of any fit.
const sensSteps = 64

// sensitivity writes ∂x(tk)/∂θ_p into out[p*d:(p+1)*d] for the least-action
// path with fixed endpoints x(ta), x(tb): the solution y_p of the
// linearised Euler–Lagrange equation
//
//	ÿ = (∂a/∂x) y + (∂a/∂v) ẏ + ∂a/∂θ_p,  y(ta) = y(tb) = 0,
//
// along the path (forward mode: the derivatives of a come from the
// symbolic graph). It is found by shooting, which is exact for a linear
// problem: y = Φ c + y_p with Φ the response to initial velocities and y_p
// the particular solution from rest, c fixing y(tb) = 0. at gives the path's
// position and velocity at a physical time. A singular Φ(tb) means a
// conjugate point: the path does not depend smoothly on θ.
func sensitivity(out []float64, ev *eulerlag.Evaluator, ap *eulerlag.AccelParams, at func(x, v []float64, t float64) error, ta, tk, tb float64) error {
	d := ev.Dim()
	P := len(ap.Names())
	C := d + P // columns: d fundamental solutions, then P particular ones
	n := 2 * C * d
	// state: positions of the C columns (C×d), then their velocities.
	y := make([]float64, n)
	for j := 0; j < d; j++ {
		y[C*d+j*d+j] = 1 // Φv(ta) = I
	}
	k1, k2, k3, k4, tmp := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	x, v, a := make([]float64, d), make([]float64, d), make([]float64, d)
	ax, av, da := make([]float64, d*d), make([]float64, d*d), make([]float64, P*d)
	deriv := func(dst []float64, t float64, st []float64) error {
		if err := at(x, v, t); err != nil {
			return err
		}
		ev.AccelJac(a, ax, av, t, x, v)
		if err := ap.Eval(a, da, t, x, v); err != nil {
			return err
		}
		for c := 0; c < C; c++ {
			pos, vel := st[c*d:(c+1)*d], st[C*d+c*d:C*d+(c+1)*d]
			copy(dst[c*d:(c+1)*d], vel)
			acc := dst[C*d+c*d : C*d+(c+1)*d]
			for i := 0; i < d; i++ {
				var s float64
				for j := 0; j < d; j++ {
					s += ax[i*d+j]*pos[j] + av[i*d+j]*vel[j]
				}
				if c >= d {
					s += da[(c-d)*d+i]
				}
				acc[i] = s
			}
		}
		return nil
	}
	integrate := func(t0, t1 float64, steps int) error {
		h := (t1 - t0) / float64(steps)
		for s := 0; s < steps; s++ {
			t := t0 + h*float64(s)
			if err := deriv(k1, t, y); err != nil {
				return err
			}
			for i := range y {
				tmp[i] = y[i] + h/2*k1[i]
			}
			if err := deriv(k2, t+h/2, tmp); err != nil {
				return err
			}
			for i := range y {
				tmp[i] = y[i] + h/2*k2[i]
			}
			if err := deriv(k3, t+h/2, tmp); err != nil {
				return err
			}
			for i := range y {
				tmp[i] = y[i] + h*k3[i]
			}
			if err := deriv(k4, min(t+h, t1), tmp); err != nil {
				return err
			}
			for i := range y {
				y[i] += h / 6 * (k1[i] + 2*k2[i] + 2*k3[i] + k4[i])
			}
		}
		return nil
	}
	n1 := max(4, int(math.Round(sensSteps*(tk-ta)/(tb-ta))))
	n2 := max(4, sensSteps-n1)
	if err := integrate(ta, tk, n1); err != nil {
		return err
	}
	atK := append([]float64(nil), y[:C*d]...)
	if err := integrate(tk, tb, n2); err != nil {
		return err
	}
	phi := mat.NewDense(d, d, nil) // Φx(tb), column j = response to δv(ta) = e_j
	for j := 0; j < d; j++ {
		for i := 0; i < d; i++ {
			phi.Set(i, j, y[j*d+i])
		}
	}
	var lu mat.LU
	lu.Factorize(phi)
	if lu.Det() == 0 || lu.Cond() > 1e12 {
		return fmt.Errorf("the path from %g to %g has a conjugate point: it does not depend smoothly on the parameters", ta, tb)
	}
	rhs, c := mat.NewVecDense(d, nil), mat.NewVecDense(d, nil)
	for p := 0; p < P; p++ {
		for i := 0; i < d; i++ {
			rhs.SetVec(i, -y[(d+p)*d+i])
		}
		if err := lu.SolveVecTo(c, false, rhs); err != nil {
			return err
		}
		o := out[p*d : (p+1)*d]
		for i := 0; i < d; i++ {
			s := atK[(d+p)*d+i]
			for j := 0; j < d; j++ {
				s += atK[j*d+i] * c.AtVec(j)
			}
			o[i] = s
		}
	}
	return nil
}
