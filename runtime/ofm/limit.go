package ofm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Weights define an interpolation x_t = a(t)x0 + b(t)x1 between coupled
// end points, with the derivatives of a and b.
type Weights func(t float64) (a, b, da, db float64)

// Straight are the weights of straight lines, the kinetic Lagrangian's
// paths.
func Straight(t float64) (a, b, da, db float64) { return 1 - t, t, -1, 1 }

// Harmonic returns the weights of the harmonic oscillator's least-action
// paths, sin(ω(1-t))/sin ω and sin(ωt)/sin ω, for 0 < ω < π.
func Harmonic(omega float64) Weights {
	s := math.Sin(omega)
	return func(t float64) (a, b, da, db float64) {
		return math.Sin(omega*(1-t)) / s, math.Sin(omega*t) / s,
			-omega * math.Cos(omega*(1-t)) / s, omega * math.Cos(omega*t) / s
	}
}

// LimitMap returns the d×d matrix M of the map x ↦ m1 + M(x - m0) that
// plain flow matching (gradient false) or plain Action Matching (gradient
// true) learn in the limit of infinite data and capacity, when the end
// points x0 ~ N(m0, cov0) and x1 ~ N(m1, cov1) are coupled independently
// and joined by paths with weights w. Then p_t = N(μ_t, Σ_t) with
// Σ_t = a²Σ0 + b²Σ1, and the fields are affine, v = μ̇_t + K_t(x - μ_t):
// flow matching's conditional expectation E[ẋ_t | x_t] has K = ½Σ̇Σ⁻¹,
// Action Matching's gradient field the symmetric K solving the Lyapunov
// equation KΣ + ΣK = Σ̇. M solves Ṁ = K_t M, M(0) = I, by RK4 in steps
// steps. Both push Σ0 to Σ1, but M differs from the OT map's A unless the
// fields happen to be those of the OT interpolation.
func LimitMap(cov0, cov1 []float64, d int, w Weights, gradient bool, steps int) ([]float64, error) {
	if d < 1 || len(cov0) != d*d || len(cov1) != d*d || steps < 1 || w == nil {
		return nil, fmt.Errorf("ofm: LimitMap needs two d×d covariances, weights and at least one step")
	}
	s0, s1 := mat.NewSymDense(d, cov0), mat.NewSymDense(d, cov1)
	kAt := func(dst *mat.Dense, t float64) error {
		a, b, da, db := w(t)
		var sig, dsig mat.SymDense
		sig.ScaleSym(a*a, s0)
		dsig.ScaleSym(2*a*da, s0)
		var tmp mat.SymDense
		tmp.ScaleSym(b*b, s1)
		sig.AddSym(&sig, &tmp)
		tmp.ScaleSym(2*b*db, s1)
		dsig.AddSym(&dsig, &tmp)
		if !gradient {
			var inv mat.Dense
			if err := inv.Inverse(&sig); err != nil {
				return fmt.Errorf("ofm: Σ_t singular at t=%g: %w", t, err)
			}
			dst.Mul(&dsig, &inv)
			dst.Scale(0.5, dst)
			return nil
		}
		var eig mat.EigenSym
		if !eig.Factorize(&sig, true) {
			return fmt.Errorf("ofm: eigen-decomposition of Σ_t failed at t=%g", t)
		}
		lam := eig.Values(nil)
		var v, rot mat.Dense
		eig.VectorsTo(&v)
		rot.Mul(v.T(), &dsig)
		rot.Mul(&rot, &v)
		for i := range d {
			for j := range d {
				rot.Set(i, j, rot.At(i, j)/(lam[i]+lam[j]))
			}
		}
		dst.Mul(&v, &rot)
		dst.Mul(dst, v.T())
		return nil
	}
	m := mat.NewDense(d, d, nil)
	for i := range d {
		m.Set(i, i, 1)
	}
	h := 1 / float64(steps)
	k := mat.NewDense(d, d, nil)
	var k1, k2, k3, k4, y mat.Dense
	stage := func(dst *mat.Dense, t float64, y *mat.Dense) error {
		if err := kAt(k, t); err != nil {
			return err
		}
		dst.Mul(k, y)
		return nil
	}
	for s := range steps {
		t := float64(s) * h
		if err := stage(&k1, t, m); err != nil {
			return nil, err
		}
		y.Scale(h/2, &k1)
		y.Add(&y, m)
		if err := stage(&k2, t+h/2, &y); err != nil {
			return nil, err
		}
		y.Scale(h/2, &k2)
		y.Add(&y, m)
		if err := stage(&k3, t+h/2, &y); err != nil {
			return nil, err
		}
		y.Scale(h, &k3)
		y.Add(&y, m)
		if err := stage(&k4, t+h, &y); err != nil {
			return nil, err
		}
		k2.Scale(2, &k2)
		k3.Scale(2, &k3)
		k1.Add(&k1, &k2)
		k1.Add(&k1, &k3)
		k1.Add(&k1, &k4)
		k1.Scale(h/6, &k1)
		m.Add(m, &k1)
	}
	out := make([]float64, d*d)
	for i := range d {
		for j := range d {
			out[i*d+j] = m.At(i, j)
		}
	}
	return out, nil
}

// MapUVP is the L2-UVP in % of the affine map x ↦ m1 + M(x - m0) against
// g's OT map, exactly: 100·tr((M - A)Σ0(M - A)ᵀ)/tr(Σ1).
func (g *GaussianMap) MapUVP(m, cov0, cov1 []float64) float64 {
	d := g.d
	diff := mat.NewDense(d, d, nil)
	for i := range d {
		for j := range d {
			diff.Set(i, j, m[i*d+j]-g.a[i*d+j])
		}
	}
	var e mat.Dense
	e.Mul(diff, mat.NewDense(d, d, cov0))
	e.Mul(&e, diff.T())
	var num, den float64
	for i := range d {
		num += e.At(i, i)
		den += cov1[i*d+i]
	}
	return 100 * num / den
}
