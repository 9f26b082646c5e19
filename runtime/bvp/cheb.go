package bvp

import "math"

// grid is the Chebyshev–Lobatto grid t_k = (1 − cos(πk/N))/2, k = 0..N, on
// [0, 1] with its Clenshaw–Curtis quadrature weights. Grids of 2N points
// contain those of N, so refining keeps every old node.
type grid struct {
	n int
	t []float64 // nodes, ascending
	w []float64 // quadrature weights on [0, 1]

	sp       *spectral // collocation operators, built on first use
	mid      []float64 // interpolation to the midpoints
	pro, res []float64 // interpolation from and to a coarse grid
	proFrom  *grid
	resTo    *grid
	gxp, gvp []float64 // Gx·P and Gv·P for the prolongation from proFrom
}

func newGrid(n int) *grid {
	g := &grid{n: n, t: make([]float64, n+1), w: make([]float64, n+1)}
	for k := 0; k <= n; k++ {
		g.t[k] = (1 - math.Cos(math.Pi*float64(k)/float64(n))) / 2
	}
	g.t[0], g.t[n] = 0, 1
	// Clenshaw–Curtis weights (Trefethen, Spectral Methods in MATLAB,
	// clencurt), halved for the interval [0, 1].
	nf := float64(n)
	if n%2 == 0 {
		g.w[0] = 1 / (nf*nf - 1)
	} else {
		g.w[0] = 1 / (nf * nf)
	}
	g.w[n] = g.w[0]
	for i := 1; i < n; i++ {
		th := math.Pi * float64(i) / nf
		v := 1.0
		for k := 1; k <= (n-1)/2; k++ {
			kf := float64(k)
			v -= 2 * math.Cos(2*kf*th) / (4*kf*kf - 1)
		}
		if n%2 == 0 {
			v -= math.Cos(nf*th) / (nf*nf - 1)
		}
		g.w[i] = 2 * v / nf
	}
	for i := range g.w {
		g.w[i] /= 2
	}
	return g
}

// chebInterp evaluates at t the polynomial interpolating the rows of vals
// (cols values per node) at the Chebyshev–Lobatto nodes ts, with the
// barycentric formula of the second kind (weights (−1)^k, halved at the
// ends), writing cols values into dst. It does not allocate.
func chebInterp(dst []float64, t float64, ts, vals []float64, cols int) {
	n := len(ts) - 1
	for k, tk := range ts {
		if t == tk {
			copy(dst[:cols], vals[k*cols:(k+1)*cols])
			return
		}
	}
	for j := range dst[:cols] {
		dst[j] = 0
	}
	var den float64
	for k, tk := range ts {
		w := 1 / (t - tk)
		if k%2 == 1 {
			w = -w
		}
		if k == 0 || k == n {
			w /= 2
		}
		den += w
		row := vals[k*cols : (k+1)*cols]
		for j, v := range row {
			dst[j] += w * v
		}
	}
	for j := range dst[:cols] {
		dst[j] /= den
	}
}

// spectral holds the matrices of spectral collocation on a grid, built on
// first use: the Chebyshev values-to-coefficients map and the two Green's
// operators that turn accelerations α at the nodes into the position and
// velocity of the path with x(0) = x(1) = 0:
// x = Gx·α, v = Gv·α (both (N+1)×(N+1), row-major).
type spectral struct {
	coef   []float64 // (N+1)×(N+1): coefficients c_m = Σ_k coef[m][k] f_k in T_m(2t−1)
	gx, gv []float64
}

func (g *grid) spectralOps() *spectral {
	if g.sp != nil {
		return g.sp
	}
	n := g.n
	np := n + 1
	nf := float64(n)
	sp := &spectral{coef: make([]float64, np*np), gx: make([]float64, np*np), gv: make([]float64, np*np)}
	// Node k sits at u = 2t_k − 1 = cos(π j/N) with j = N − k.
	for m := 0; m <= n; m++ {
		for k := 0; k <= n; k++ {
			j := n - k
			w := 2 / nf * math.Cos(math.Pi*float64(m*j)/nf)
			if j == 0 || j == n {
				w /= 2
			}
			if m == 0 || m == n {
				w /= 2
			}
			sp.coef[m*np+k] = w
		}
	}
	// q[k][j]: ∫₀^{t_k} of the interpolant of the j-th unit vector.
	q := make([]float64, np*np)
	c := make([]float64, np)
	ic := make([]float64, np+1)
	for j := 0; j <= n; j++ {
		for m := 0; m <= n; m++ {
			c[m] = sp.coef[m*np+j]
		}
		integrateCheb(ic, c)
		for k := 0; k <= n; k++ {
			u := 2*g.t[k] - 1
			q[k*np+j] = chebEval(ic, u) / 2 // dt = du/2
		}
	}
	// With v = v0 + Qα and x = x0 + v0 t + QQα, x(1) = x1 fixes
	// v0 = Δ − (QQα)(1); so Gx = QQ − t·last(QQ), Gv = Q − last(QQ).
	qq := make([]float64, np*np)
	matMul(qq, q, q, np, np, np)
	last := qq[n*np:]
	for k := 0; k <= n; k++ {
		for j := 0; j <= n; j++ {
			sp.gx[k*np+j] = qq[k*np+j] - g.t[k]*last[j]
			sp.gv[k*np+j] = q[k*np+j] - last[j]
		}
	}
	g.sp = sp
	return sp
}

// integrateCheb writes into ic (len(c)+1) the Chebyshev coefficients of the
// integral from −1 of the series c.
func integrateCheb(ic, c []float64) {
	n := len(c)
	for i := range ic {
		ic[i] = 0
	}
	for m, cm := range c {
		switch m {
		case 0:
			ic[1] += cm
		case 1:
			ic[2] += cm / 4
			ic[0] -= cm / 4 // T2/4 − T0/4 = (u² − 1)/2
		default:
			ic[m+1] += cm / (2 * float64(m+1))
			ic[m-1] -= cm / (2 * float64(m-1))
		}
	}
	_ = n
	// Fix the constant so the integral vanishes at u = −1, where T_m = (−1)^m.
	var at float64
	for m, v := range ic {
		if m%2 == 0 {
			at += v
		} else {
			at -= v
		}
	}
	ic[0] -= at
}

// chebEval evaluates Σ c_m T_m(u) by Clenshaw's recurrence.
func chebEval(c []float64, u float64) float64 {
	var b1, b2 float64
	for m := len(c) - 1; m >= 1; m-- {
		b1, b2 = 2*u*b1-b2+c[m], b1
	}
	return u*b1 - b2 + c[0]
}

// interpMatrix fills dst (len(at) × len(ts), row-major) with the
// barycentric interpolation weights from the Chebyshev–Lobatto nodes ts to
// the points at: row r times nodal values gives the interpolant at at[r].
func interpMatrix(dst, ts, at []float64) {
	n := len(ts) - 1
	np := n + 1
	for r, t := range at {
		row := dst[r*np : (r+1)*np]
		hit := -1
		var den float64
		for k, tk := range ts {
			if t == tk {
				hit = k
				break
			}
			w := 1 / (t - tk)
			if k%2 == 1 {
				w = -w
			}
			if k == 0 || k == n {
				w /= 2
			}
			row[k] = w
			den += w
		}
		if hit >= 0 {
			for k := range row {
				row[k] = 0
			}
			row[hit] = 1
			continue
		}
		for k := range row {
			row[k] /= den
		}
	}
}

// midMatrix returns the interpolation matrix from g's nodes to the
// midpoints between them, built on first use.
func (g *grid) midMatrix() []float64 {
	if g.mid == nil {
		at := make([]float64, g.n)
		for k := range at {
			at[k] = (g.t[k] + g.t[k+1]) / 2
		}
		g.mid = make([]float64, g.n*(g.n+1))
		interpMatrix(g.mid, g.t, at)
	}
	return g.mid
}

// prolongFrom returns the interpolation matrix from the nodes of coarse to
// g's nodes, cached for the last coarse grid asked for.
func (g *grid) prolongFrom(coarse *grid) []float64 {
	if g.proFrom != coarse {
		g.pro = make([]float64, (g.n+1)*(coarse.n+1))
		interpMatrix(g.pro, coarse.t, g.t)
		g.proFrom = coarse
		g.gxp, g.gvp = nil, nil
	}
	return g.pro
}

// greenProlong returns Gx·P and Gv·P, the path change caused by a
// coarse-grid correction of α prolonged to g, cached with prolongFrom.
func (g *grid) greenProlong(coarse *grid) (gxp, gvp []float64) {
	p := g.prolongFrom(coarse)
	if g.gxp == nil || len(g.gxp) != len(p) {
		np, npc := g.n+1, coarse.n+1
		sp := g.spectralOps()
		g.gxp, g.gvp = make([]float64, np*npc), make([]float64, np*npc)
		matMul(g.gxp, sp.gx, p, np, np, npc)
		matMul(g.gvp, sp.gv, p, np, np, npc)
	}
	return g.gxp, g.gvp
}

// restrictTo returns the interpolation matrix from g's nodes to those of
// coarse, cached like prolongFrom.
func (g *grid) restrictTo(coarse *grid) []float64 {
	if g.resTo != coarse {
		g.res = make([]float64, (coarse.n+1)*(g.n+1))
		interpMatrix(g.res, g.t, coarse.t)
		g.resTo = coarse
	}
	return g.res
}
