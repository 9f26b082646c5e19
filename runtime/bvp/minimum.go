package bvp

import (
	"errors"
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/dense"
	"gonum.org/v1/gonum/integrate/quad"
)

// Jacobi's test by a Ritz projection of the second variation.
//
// A stationary path is a strict minimum only if the second variation of
// the action, Q(η) = ∫ (η̇ᵀMη̇ + 2ηᵀCη̇ + ηᵀPη) dt over η with η(0) = η(1) = 0,
// is positive. Linearising the Euler–Lagrange equations gives, after an
// integration by parts, Q(η) = −∫ ηᵀ M (η̈ − ∂a/∂x·η − ∂a/∂v·η̇) dt with
// M = ∂²L/∂v², so only M (by differences of L), the acceleration Jacobian
// and the path are needed. Directions of negative Q are slowly varying, so
// the test restricts Q to η = sin(mπt)·e_i, m = 1, 2, 3, where a negative
// eigenvalue proves a conjugate point in (0, 1) of any multiplicity. (The
// determinant signs checked during the solves miss even multiplicities,
// such as isotropic systems in even dimension.)

const (
	ritzModes = 3  // sine modes per component (3 catch a magnetic field's refocusing)
	ritzNodes = 10 // Gauss–Legendre points: exact for polynomials of degree 19
)

type ritz struct {
	t, w    []float64      // quadrature nodes and weights on [0, 1]
	x, v, m []float64      // per node: position, velocity, M (d×d)
	ax, av  []float64      // per node: d×d
	q       []float64      // (K·d)² projected second variation
	chol    dense.Cholesky // of q, whose success is the test
	e, lp   []float64      // E(φ) at a node; a finite-difference probe
	lplus   []float64      // L at v + h·e_i
}

// checkMinimum applies the Ritz test to a solved path.
func (s *Solver) checkMinimum(p *Path) error {
	d := s.d
	if s.rz == nil {
		s.rz = &ritz{t: make([]float64, ritzNodes), w: make([]float64, ritzNodes)}
		quad.Legendre{}.FixedLocations(s.rz.t, s.rz.w, 0, 1)
		np := ritzNodes
		r := s.rz
		r.x, r.v = make([]float64, np*d), make([]float64, np*d)
		r.m, r.ax, r.av = make([]float64, np*d*d), make([]float64, np*d*d), make([]float64, np*d*d)
		kd := ritzModes * d
		r.q = make([]float64, kd*kd)
		r.e, r.lp, r.lplus = make([]float64, d), make([]float64, d), make([]float64, d)
	}
	r := s.rz
	for k, t := range r.t {
		xk, vk := r.x[k*d:(k+1)*d], r.v[k*d:(k+1)*d]
		if err := p.At(xk, vk, t); err != nil {
			return err
		}
		s.fullJac(s.ap, r.ax[k*d*d:(k+1)*d*d], r.av[k*d*d:(k+1)*d*d], t, xk, vk)
		s.massMatrix(r.m[k*d*d:(k+1)*d*d], t, xk, vk)
		if err := checkFiniteMass(r.m[k*d*d:(k+1)*d*d], t, xk, vk); err != nil {
			return err
		}
	}
	kd := ritzModes * d
	q := r.q
	for i := range q {
		q[i] = 0
	}
	for k, t := range r.t {
		w := r.w[k]
		mk := r.m[k*d*d : (k+1)*d*d]
		ax, av := r.ax[k*d*d:(k+1)*d*d], r.av[k*d*d:(k+1)*d*d]
		var sn, cn [ritzModes + 1]float64
		for n := 1; n <= ritzModes; n++ {
			sn[n], cn[n] = math.Sincos(float64(n) * math.Pi * t)
		}
		for n := 1; n <= ritzModes; n++ {
			nf := float64(n) * math.Pi
			phi, dphi, ddphi := sn[n], nf*cn[n], -nf*nf*sn[n]
			for j := 0; j < d; j++ {
				// E(φ) = φ̈ e_j − ∂a/∂x e_j φ − ∂a/∂v e_j φ̇, then M·E.
				for i := 0; i < d; i++ {
					e := -ax[i*d+j]*phi - av[i*d+j]*dphi
					if i == j {
						e += ddphi
					}
					r.e[i] = e
				}
				col := (n-1)*d + j
				for i := 0; i < d; i++ {
					var me float64
					for l := 0; l < d; l++ {
						me += mk[i*d+l] * r.e[l]
					}
					for m := 1; m <= ritzModes; m++ {
						q[((m-1)*d+i)*kd+col] -= w * sn[m] * me
					}
				}
			}
		}
	}
	// Symmetrise (the projection of a symmetric form, up to quadrature) and
	// test positive definiteness by Cholesky.
	for i := 0; i < kd; i++ {
		for j := 0; j < i; j++ {
			a := (q[i*kd+j] + q[j*kd+i]) / 2
			q[i*kd+j], q[j*kd+i] = a, a
		}
	}
	if !r.chol.Factorize(q, kd, 1e-9) {
		var pe *dense.PivotError
		errors.As(r.chol.Err(), &pe)
		return fmt.Errorf("%w: the second variation of the action is not positive along sin(%dπt)-shaped variations of the path", ErrConjugatePoint, pe.Index/d+1)
	}
	return nil
}

// massMatrix writes M = ∂²L/∂v² at one point by differences of L:
// central on the diagonal, forward off it, reusing the one-sided shifts, so
// that it costs 1 + 2d + d(d−1)/2 evaluations of L. The O(h) error of the
// forward differences is far below what a sign test needs.
func (s *Solver) massMatrix(m []float64, t float64, x, v []float64) {
	d := s.d
	r := s.rz
	l0 := s.sys.L(t, x, v)
	copy(r.lp, v)
	// Second differences err by ~h² (or h) in truncation and ~ε/h² in
	// rounding; h = 1e-4 (relative) keeps both small for a sign test.
	const h = 1e-4
	lplus := r.lplus
	for i := 0; i < d; i++ {
		hi := h * (1 + math.Abs(v[i]))
		r.lp[i] = v[i] + hi
		lplus[i] = s.sys.L(t, x, r.lp)
		r.lp[i] = v[i] - hi
		lm := s.sys.L(t, x, r.lp)
		r.lp[i] = v[i]
		m[i*d+i] = (lplus[i] - 2*l0 + lm) / (hi * hi)
	}
	for i := 0; i < d; i++ {
		hi := h * (1 + math.Abs(v[i]))
		for j := 0; j < i; j++ {
			hj := h * (1 + math.Abs(v[j]))
			r.lp[i], r.lp[j] = v[i]+hi, v[j]+hj
			mij := (s.sys.L(t, x, r.lp) - lplus[i] - lplus[j] + l0) / (hi * hj)
			r.lp[i], r.lp[j] = v[i], v[j]
			m[i*d+j], m[j*d+i] = mij, mij
		}
	}
}
