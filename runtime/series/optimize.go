package series

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// minimizeBox minimises f over the box lo ≤ x ≤ hi (±Inf for no bound) by
// projected L-BFGS: the quasi-Newton direction restricted to the variables
// not held at a bound, a projected backtracking (Armijo) line search, and
// curvature pairs kept only when positive. x is updated in place. The loss
// is piecewise smooth (couplings switch), so the search stops when no step
// decreases it.
func minimizeBox(f func(grad, x []float64) (float64, error), x, lo, hi []float64, maxIter int) (fx float64, iters int, err error) {
	n := len(x)
	clamp := func(z []float64) {
		for i := range z {
			z[i] = min(hi[i], max(lo[i], z[i]))
		}
	}
	clamp(x)
	g := make([]float64, n)
	if fx, err = f(g, x); err != nil {
		return fx, 0, err
	}
	const m = 6
	var S, Y [][]float64
	var rho []float64
	dir, xn, gn := make([]float64, n), make([]float64, n), make([]float64, n)
	alpha := make([]float64, m)
	stall := 0
	for iters = 0; iters < maxIter; iters++ {
		free := make([]bool, n)
		var pg float64
		for i := range x {
			atLo := x[i] <= lo[i] && g[i] > 0
			atHi := x[i] >= hi[i] && g[i] < 0
			free[i] = !atLo && !atHi
			if free[i] {
				pg = max(pg, math.Abs(g[i])*max(1, math.Abs(x[i])))
			}
		}
		if pg <= 1e-10*(1e-3+math.Abs(fx)) {
			break
		}
		// Two-loop recursion on the free variables.
		for i := range dir {
			dir[i] = 0
			if free[i] {
				dir[i] = -g[i]
			}
		}
		for k := len(S) - 1; k >= 0; k-- {
			alpha[k] = rho[k] * dotFree(S[k], dir, free)
			for i := range dir {
				if free[i] {
					dir[i] -= alpha[k] * Y[k][i]
				}
			}
		}
		if len(S) > 0 {
			k := len(S) - 1
			gamma := dotFree(S[k], Y[k], free) / dotFree(Y[k], Y[k], free)
			if gamma > 0 && !math.IsInf(gamma, 0) {
				for i := range dir {
					dir[i] *= gamma
				}
			}
		}
		for k := range S {
			beta := rho[k] * dotFree(Y[k], dir, free)
			for i := range dir {
				if free[i] {
					dir[i] += S[k][i] * (alpha[k] - beta)
				}
			}
		}
		if dotFree(dir, g, free) >= 0 { // not a descent direction
			for i := range dir {
				dir[i] = 0
				if free[i] {
					dir[i] = -g[i]
				}
			}
			S, Y, rho = nil, nil, nil
		}
		step := 1.0
		if len(S) == 0 {
			// First step: move the largest component by 10% of its scale.
			var big float64
			for i := range dir {
				big = max(big, math.Abs(dir[i])/(0.1*max(1, math.Abs(x[i]))))
			}
			if big > 0 {
				step = 1 / big
			}
		}
		accepted := false
		var fn float64
		for ls := 0; ls < 30; ls++ {
			for i := range x {
				xn[i] = x[i] + step*dir[i]
			}
			clamp(xn)
			var dec float64
			for i := range x {
				dec += g[i] * (xn[i] - x[i])
			}
			var ferr error
			fn, ferr = f(gn, xn)
			if ferr == nil && !math.IsNaN(fn) && fn <= fx+1e-4*dec {
				accepted = true
				break
			}
			step /= 2
		}
		if !accepted {
			break
		}
		s, y := make([]float64, n), make([]float64, n)
		var sy float64
		for i := range x {
			s[i], y[i] = xn[i]-x[i], gn[i]-g[i]
			sy += s[i] * y[i]
		}
		if sy > 1e-12*math.Sqrt(dot(s, s)*dot(y, y)) {
			S, Y, rho = append(S, s), append(Y, y), append(rho, 1/sy)
			if len(S) > m {
				S, Y, rho = S[1:], Y[1:], rho[1:]
			}
		}
		if fx-fn <= 1e-10*(1e-3+math.Abs(fx)) {
			stall++
		} else {
			stall = 0
		}
		copy(x, xn)
		copy(g, gn)
		fx = fn
		if stall >= 2 {
			iters++
			break
		}
	}
	return fx, iters, nil
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func dotFree(a, b []float64, free []bool) float64 {
	var s float64
	for i := range a {
		if free[i] {
			s += a[i] * b[i]
		}
	}
	return s
}

// gaussNewtonBox minimises f over the box lo ≤ x ≤ hi by projected
// Gauss–Newton steps with Levenberg–Marquardt damping: f also returns its
// Gauss–Newton matrix H (P×P, row-major), and the step solves
// (H + μ·diag(H)) d = −g on the variables not held at a bound, followed by
// a projected backtracking line search. For a matching loss Σ π|p − q|²
// H = 2 Σ w (∂p/∂θ)ᵀ(∂p/∂θ) is what the sensitivities already give, and the
// steps take far fewer evaluations than L-BFGS. A singular H (a flat
// direction) falls back to a gradient step.
func gaussNewtonBox(f func(grad, hess, x []float64) (float64, error), x, lo, hi []float64, maxIter int) (fx float64, iters int, err error) {
	n := len(x)
	for i := range x {
		x[i] = min(hi[i], max(lo[i], x[i]))
	}
	g, h := make([]float64, n), make([]float64, n*n)
	gn, hn, xn, dir := make([]float64, n), make([]float64, n*n), make([]float64, n), make([]float64, n)
	if fx, err = f(g, h, x); err != nil {
		return fx, 0, err
	}
	mu := 1e-3
	stall := 0
	for iters = 0; iters < maxIter; iters++ {
		free := make([]int, 0, n)
		var pg float64
		for i := range x {
			if (x[i] <= lo[i] && g[i] > 0) || (x[i] >= hi[i] && g[i] < 0) {
				continue
			}
			free = append(free, i)
			pg = max(pg, math.Abs(g[i])*max(1, math.Abs(x[i])))
		}
		if pg <= 1e-10*(1e-3+math.Abs(fx)) {
			break
		}
		clear(dir)
		if !dampedSolve(dir, h, g, free, n, mu) {
			for _, i := range free {
				dir[i] = -g[i] * 0.1 * max(1, math.Abs(x[i])) / max(pg, 1e-300)
			}
		}
		// Trust at most a change of half a parameter's scale per step: far
		// steps meet conjugate points and switched couplings.
		var big float64
		for i := range dir {
			big = max(big, math.Abs(dir[i])/(0.5*max(1, math.Abs(x[i]))))
		}
		if big > 1 {
			for i := range dir {
				dir[i] /= big
			}
		}
		step, accepted := 1.0, false
		var fn float64
		for ls := 0; ls < 30; ls++ {
			var dec float64
			for i := range x {
				xn[i] = min(hi[i], max(lo[i], x[i]+step*dir[i]))
				dec += g[i] * (xn[i] - x[i])
			}
			var ferr error
			fn, ferr = f(gn, hn, xn)
			if ferr == nil && !math.IsNaN(fn) && fn <= fx+1e-4*dec {
				accepted = true
				break
			}
			step /= 2
		}
		if !accepted {
			break
		}
		if step == 1 {
			mu = max(mu/3, 1e-9)
		} else {
			mu = min(mu*4, 1e6)
		}
		if fx-fn <= 1e-10*(1e-3+math.Abs(fx)) {
			stall++
		} else {
			stall = 0
		}
		copy(x, xn)
		copy(g, gn)
		copy(h, hn)
		fx = fn
		if stall >= 2 {
			iters++
			break
		}
	}
	return fx, iters, nil
}

// dampedSolve solves (H + μ·diag(H)) d = −g restricted to the free
// variables by Cholesky; false when that matrix is not positive definite.
func dampedSolve(dst, h, g []float64, free []int, n int, mu float64) bool {
	m := len(free)
	if m == 0 {
		return true
	}
	var scale float64
	for _, i := range free {
		scale = max(scale, h[i*n+i])
	}
	if !(scale > 0) {
		return false
	}
	a := mat.NewSymDense(m, nil)
	b := mat.NewVecDense(m, nil)
	for r, i := range free {
		for c, j := range free[r:] {
			a.SetSym(r, r+c, 0.5*(h[i*n+j]+h[j*n+i]))
		}
		a.SetSym(r, r, h[i*n+i]*(1+mu)+1e-12*scale)
		b.SetVec(r, -g[i])
	}
	var chol mat.Cholesky
	if !chol.Factorize(a) {
		return false
	}
	var d mat.VecDense
	if err := chol.SolveVecTo(&d, b); err != nil {
		return false
	}
	for r, i := range free {
		dst[i] = d.AtVec(r)
	}
	return true
}
