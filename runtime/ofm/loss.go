package ofm

import (
	"errors"
	"fmt"
	"math"
)

// FlowMatchingLoss returns the OFM loss, the mean over n rows of
// |u(x_t, t) - v|², for network inputs in = [x_t, t] (n×(d+1), the layout
// of fm.Pairs.Targets) and target velocities v (n×d). When dst is not nil
// it writes the loss's gradient with respect to Net's parameters to dst, by
// implicit differentiation of the inner problem (see the package
// documentation).
func (f *Field) FlowMatchingLoss(dst, in, target []float64, n int) (float64, error) {
	d := f.Net.Dim()
	if err := errors.Join(f.checkRows("inputs", in, n, d+1), f.checkRows("targets", target, n, d), f.checkGrad(dst)); err != nil {
		return 0, err
	}
	scale := 1 / float64(n)
	err := f.parallel(n, func(w *worker, lo, hi int) {
		clear(w.grad)
		for r := lo; r < hi; r++ {
			x, t := in[r*(d+1):r*(d+1)+d], in[r*(d+1)+d]
			if w.err = checkTime(t); w.err != nil {
				return
			}
			if w.err = f.preimage(w, x, t, dst != nil); w.err != nil {
				w.err = fmt.Errorf("row %d: %w", r, w.err)
				return
			}
			f.Net.Grad(w.u, w.ws, w.z)
			v := target[r*d : (r+1)*d]
			for i := range d {
				w.u[i] -= w.z[i] + v[i]
				w.loss += w.u[i] * w.u[i] * scale
			}
			if dst == nil {
				continue
			}
			// ∂θ loss = ∂θ[λ·∇Ψ(z)] at fixed z, λ = H⁻¹·2(u - v)/n.
			for i := range d {
				w.lam[i] = 2 * scale * w.u[i]
			}
			w.chol.Solve(w.lam, w.lam)
			f.Net.ParamGrad(w.grad, w.ws, 0, w.lam, 1)
		}
	})
	if err != nil {
		return 0, err
	}
	return f.reduce(dst, n), nil
}

// ActionMatchingLoss returns the Action Matching loss of the optimal field's
// potential s,
//
//	mean s(x0, 0) - mean s(x1, 1) + mean[½|∇ₓs|² + ∂ₜs](x_t, t),
//
// for n rows each of samples x0 ~ p0, x1 ~ p1 (n×d) and m ≤ n rows
// in = [x_t, t] with x_t ~ p_t (m×(d+1)), and hj, the mean absolute value of
// the last term's integrand. That term is the Hamilton–Jacobi residual: zero
// for every Ψ up to the inner solver's tolerance, with zero parameter
// gradient, so hj measures the solver and the loss is the OT semi-dual
// whatever p_t; m < n estimates it on fewer points, saving their solves. When
// dst is not nil it writes the gradient with respect to Net's parameters to
// dst, by the envelope theorem ∂θs(x, t) = ∂θΨ(z).
func (f *Field) ActionMatchingLoss(dst, x0, x1, in []float64, n int) (loss, hj float64, err error) {
	d := f.Net.Dim()
	m := len(in) / (d + 1)
	if m > n {
		m = 0 // reported by checkRows
	}
	if err := errors.Join(f.checkRows("x0", x0, n, d), f.checkRows("x1", x1, n, d), f.checkRows("inputs", in, m, d+1), f.checkGrad(dst)); err != nil {
		return 0, 0, err
	}
	scale, scaleIn := 1/float64(n), 1/float64(m)
	err = f.parallel(n, func(w *worker, lo, hi int) {
		clear(w.grad)
		for r := lo; r < hi; r++ {
			s0, err := f.potential(w, x0[r*d:(r+1)*d], 0)
			if err != nil {
				w.err = err
				return
			}
			if dst != nil {
				f.Net.ParamGrad(w.grad, w.ws, scale, nil, 0)
			}
			s1, err := f.potential(w, x1[r*d:(r+1)*d], 1)
			if err != nil {
				w.err = fmt.Errorf("row %d of x1: %w", r, err)
				return
			}
			if dst != nil {
				f.Net.ParamGrad(w.grad, w.ws, -scale, nil, 0)
			}
			w.loss += (s0 - s1) * scale
			if r >= m {
				continue
			}
			x, t := in[r*(d+1):r*(d+1)+d], in[r*(d+1)+d]
			if w.err = checkTime(t); w.err != nil {
				return
			}
			if t < 1e-6 {
				// ∂ₜs = -|x - z|²/(2t²) is 0/0 at t = 0; the residual
				// is zero there by continuity.
				continue
			}
			if w.err = f.preimage(w, x, t, false); w.err != nil {
				w.err = fmt.Errorf("row %d of x_t: %w", r, w.err)
				return
			}
			// ∇ₓs = ∇Ψ(z) - z from the network, ∂ₜs = -|x - z|²/(2t²) by
			// the envelope theorem: they cancel only where z is optimal.
			f.Net.Grad(w.u, w.ws, w.z)
			var kin, dt float64
			for i := range d {
				u := w.u[i] - w.z[i]
				kin += u * u / 2
				dt -= (x[i] - w.z[i]) * (x[i] - w.z[i]) / (2 * t * t)
			}
			w.loss += (kin + dt) * scaleIn
			w.extra += math.Abs(kin+dt) * scaleIn
		}
	})
	if err != nil {
		return 0, 0, err
	}
	for _, w := range f.workers[:min(len(f.workers), n)] {
		hj += w.extra
	}
	return f.reduce(dst, n), hj, nil
}

func (f *Field) checkGrad(dst []float64) error {
	if dst != nil && len(dst) != f.Net.NumParams() {
		return fmt.Errorf("ofm: gradient destination has %d values, want NumParams() = %d", len(dst), f.Net.NumParams())
	}
	return nil
}

// reduce sums the workers' losses and gradients in worker order.
func (f *Field) reduce(dst []float64, n int) float64 {
	ws := f.workers[:min(len(f.workers), n)]
	var loss float64
	if dst != nil {
		clear(dst)
	}
	for _, w := range ws {
		loss += w.loss
		if dst != nil {
			for i, g := range w.grad {
				dst[i] += g
			}
		}
	}
	return loss
}
