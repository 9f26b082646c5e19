package series

import (
	"math"
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
