package bvp

import (
	"errors"
	"fmt"

	"github.com/lagc-dev/lagc/runtime/dense"
	"github.com/lagc-dev/lagc/runtime/ode"
)

// multiShooting holds the buffers of multiple shooting, allocated on first
// use: most solves never need them.
type multiShooting struct {
	m                  int // unknowns: v0, then (x_k, v_k) for k = 1..M−1
	z, zt, f, delta    []float64
	jac                []float64
	lu                 dense.LU  // of jac
	segPhi             []float64 // per segment, ∂(x, v)(end)/∂(x, v)(start), 2d×2d
	psi, psiNext, prod []float64
}

func (s *Solver) multiBuffers() (*multiShooting, error) {
	d, segs := s.d, s.set.Segments
	m := d + 2*d*(segs-1)
	if s.ms != nil && s.ms.m == m {
		return s.ms, nil
	}
	var err error
	if s.multi == nil {
		if s.multi, err = ode.NewFixed(ode.RK8, 2*d+4*d*d); err != nil {
			return nil, err
		}
	}
	s.ms = &multiShooting{m: m,
		z: make([]float64, m), zt: make([]float64, m), f: make([]float64, m), delta: make([]float64, m),
		jac:    make([]float64, m*m),
		segPhi: make([]float64, segs*4*d*d),
		psi:    make([]float64, 2*d*d), psiNext: make([]float64, 2*d*d), prod: make([]float64, d*d),
	}
	return s.ms, nil
}

// multiple is multiple shooting on Segments equal runs of the Chebyshev
// grid: Newton on the stacked unknowns (v0, x_1, v_1, …, x_{M−1}, v_{M−1})
// with the block-bidiagonal Jacobian [Φ_k, −I] of the matching conditions,
// starting from the straight line. Short segments keep each Φ_k well
// conditioned where a single shot would amplify errors by e^{λ}.
func (s *Solver) multiple(dst *Path, x0, x1 []float64) error {
	ms, err := s.multiBuffers()
	if err != nil {
		return err
	}
	d, segs := s.d, s.set.Segments
	tol := s.set.Tol
	z := ms.z
	for i := 0; i < d; i++ {
		z[i] = x1[i] - x0[i]
	}
	for k := 1; k < segs; k++ {
		tau := s.grid(0).t[k*s.set.Steps/segs]
		blk := z[d+2*d*(k-1) : d+2*d*k]
		for i := 0; i < d; i++ {
			blk[i] = x0[i] + tau*(x1[i]-x0[i])
			blk[d+i] = x1[i] - x0[i]
		}
	}
	level := 0
	fn, est, err := s.multiOnce(level, x0, z, x1)
	if err != nil {
		return s.multiErr(err, 0)
	}
	iter := 0
	for {
		for est > tol && s.set.Steps<<level < s.set.MaxSteps {
			level++
			if fn, est, err = s.multiOnce(level, x0, z, x1); err != nil {
				return s.multiErr(err, iter)
			}
		}
		if fn <= tol && est <= tol {
			break
		}
		if iter >= s.set.MaxIter {
			return fmt.Errorf("%w: multiple shooting (%d segments) after %d iterations: matching residual %.3g, error estimate %.3g, Tol %.3g", ErrNoConvergence, segs, iter, fn, est, tol)
		}
		iter++
		if rc := ms.lu.Factorize(ms.jac, ms.m); rc < 1e-15 {
			return fmt.Errorf("%w (multiple shooting, iteration %d: the matching Jacobian is singular, pivot ratio %.2g)", ErrConjugatePoint, iter, rc)
		}
		for i, fi := range ms.f {
			ms.delta[i] = -fi
		}
		ms.lu.Solve(ms.delta, ms.delta)
		lambda := 1.0
		for {
			for i := range ms.zt {
				ms.zt[i] = z[i] + lambda*ms.delta[i]
			}
			ft, et, errT := s.multiOnce(level, x0, ms.zt, x1)
			if errT == nil && (ft <= (1-1e-4*lambda)*fn || ft <= tol) {
				copy(z, ms.zt)
				fn, est = ft, et
				break
			}
			lambda /= 2
			if lambda < 1.0/1024 {
				if errT != nil && errors.Is(errT, ErrDegenerate) {
					return errT
				}
				return fmt.Errorf("%w: multiple shooting (%d segments), iteration %d: the line search found no decrease of the residual %.3g (try more Segments)", ErrNoConvergence, segs, iter, fn)
			}
		}
	}
	g := s.grid(level)
	if err := s.checkConjugateMulti(g); err != nil {
		return err
	}
	s.finish(dst, g, MultipleShooting, iter, fn, est)
	return nil
}

func (s *Solver) multiErr(err error, iter int) error {
	if errors.Is(err, errDiverged) {
		return fmt.Errorf("%w: multiple shooting, iteration %d: %v", ErrNoConvergence, iter, err)
	}
	return err
}

// multiOnce integrates every segment from its unknown starting state with
// the full 2d×2d variational matrix, filling the matching residual and its
// Jacobian.
func (s *Solver) multiOnce(level int, x0, z, x1 []float64) (fn, est float64, err error) {
	ms := s.ms
	d, segs, m := s.d, s.set.Segments, ms.m
	g := s.grid(level)
	per := g.n / segs
	s.cols = 2 * d
	w := 2 * d // columns of Φ
	for i := range ms.jac {
		ms.jac[i] = 0
	}
	s.nanSeen = false
	y := s.y[:2*d+4*d*d]
	for k := 0; k < segs; k++ {
		if k == 0 {
			copy(y[:d], x0)
			copy(y[d:2*d], z[:d])
		} else {
			copy(y[:2*d], z[d+2*d*(k-1):d+2*d*k])
		}
		phi := y[2*d:]
		for i := range phi {
			phi[i] = 0
		}
		for i := 0; i < d; i++ {
			phi[i*w+i] = 1       // ∂x/∂x_k
			phi[d*w+i*w+d+i] = 1 // ∂v/∂v_k
		}
		e, err := s.integrate(s.multi, g, k*per, (k+1)*per)
		est += e
		if err != nil {
			return 0, est, err
		}
		copy(ms.segPhi[k*4*d*d:(k+1)*4*d*d], phi)
		row0 := 2 * d * k
		rows := 2 * d
		if k < segs-1 {
			next := z[d+2*d*k : d+2*d*(k+1)]
			for i := 0; i < 2*d; i++ {
				ms.f[row0+i] = y[i] - next[i]
				ms.jac[(row0+i)*m+d+2*d*k+i] = -1
			}
		} else {
			rows = d
			for i := 0; i < d; i++ {
				ms.f[row0+i] = y[i] - x1[i]
			}
		}
		for i := 0; i < rows; i++ {
			phiRow := phi[i*w : (i+1)*w] // rows of Φx then Φv are contiguous
			jr := ms.jac[(row0+i)*m : (row0+i+1)*m]
			if k == 0 {
				copy(jr[:d], phiRow[d:])
			} else {
				copy(jr[d+2*d*(k-1):d+2*d*k], phiRow)
			}
		}
	}
	return norm2(ms.f), est, nil
}

// checkConjugateMulti is Jacobi's condition for a multiple-shooting path:
// the composite ∂x(t)/∂v0 = Φ_k(t)·Ψ_k, with Ψ_{k+1} = Φ_k(τ_{k+1})·Ψ_k and
// Ψ_0 = ∂(x, v)/∂v0 = (0; I), must keep a positive determinant on (0, 1].
func (s *Solver) checkConjugateMulti(g *grid) error {
	ms := s.ms
	d, segs := s.d, s.set.Segments
	per := g.n / segs
	w := 2 * d
	psi := ms.psi // 2d×d
	for i := range psi {
		psi[i] = 0
	}
	for i := 0; i < d; i++ {
		psi[(d+i)*d+i] = 1
	}
	for k := 0; k < segs; k++ {
		for j := k*per + 1; j <= (k+1)*per; j++ {
			var ph []float64
			if j == (k+1)*per {
				ph = ms.segPhi[k*4*d*d : k*4*d*d+2*d*d] // end of segment k, before the next overwrote the node
			} else {
				ph = s.recPhi[j*d*w : (j+1)*d*w]
			}
			matMul(ms.prod, ph, psi, d, w, d)
			rc := s.jacobi.Factorize(ms.prod, d)
			if rc < 1e-13 || s.jacobi.DetSign() < 0 {
				return fmt.Errorf("%w: ∂x(t)/∂v(0) is singular near t=%.4g, so the stationary path found is not a minimum", ErrConjugatePoint, g.t[j])
			}
		}
		matMul(ms.psiNext, ms.segPhi[k*4*d*d:(k+1)*4*d*d], psi, 2*d, w, d)
		psi, ms.psiNext = ms.psiNext, psi
	}
	ms.psi = psi
	return nil
}

// matMul writes the r×c product of a (r×n) and b (n×c) into dst.
func matMul(dst, a, b []float64, r, n, c int) {
	for i := 0; i < r; i++ {
		row := dst[i*c : (i+1)*c]
		for j := range row {
			row[j] = 0
		}
		for l := 0; l < n; l++ {
			ail := a[i*n+l]
			if ail == 0 {
				continue
			}
			bl := b[l*c : (l+1)*c]
			for j, bv := range bl {
				row[j] += ail * bv
			}
		}
	}
}
