package bvp

// anderson accelerates the fine-grid two-grid iteration, a fixed-point
// iteration α ← α + δ(α) that converges linearly with a nearly constant
// ratio, by Anderson mixing (Walker & Ni 2011) over the last few steps:
// α ← α + δ − (ΔA + ΔD)·γ with γ = argmin ‖δ − ΔD·γ‖. For a linear map it
// matches GMRES. The path (x, v) is affine in α, so it follows from stored
// differences without another Green's-operator product.
type anderson struct {
	m, used, head int
	// History columns: steps of α, x, v and changes of δ, Gx·δ, Gv·δ.
	da, dx, dv, dd, ddx, ddv [][]float64
	// The previous iterate.
	pa, px, pv, pd, pdx, pdv []float64
	have                     bool
	gram                     [4]float64 // ΔDᵀΔD for m = 2
	gamma                    [2]float64
}

const andersonDepth = 2

func (an *anderson) reset(n int) {
	if an.m == 0 {
		an.m = andersonDepth
	}
	vec := func(b []float64) []float64 { return grow(b, n) }
	cols := func(b [][]float64) [][]float64 {
		if len(b) != an.m {
			b = make([][]float64, an.m)
		}
		for i := range b {
			b[i] = vec(b[i])
		}
		return b
	}
	an.da, an.dx, an.dv = cols(an.da), cols(an.dx), cols(an.dv)
	an.dd, an.ddx, an.ddv = cols(an.dd), cols(an.ddx), cols(an.ddv)
	an.pa, an.px, an.pv = vec(an.pa), vec(an.px), vec(an.pv)
	an.pd, an.pdx, an.pdv = vec(an.pd), vec(an.pdx), vec(an.pdv)
	an.used, an.head, an.have = 0, 0, false
}

// forget drops the history, keeping the buffers: the next step is plain.
func (an *anderson) forget() { an.used, an.head, an.have = 0, 0, false }

// step replaces (a, x, v) by the mixed update, given the plain correction
// d and its images gd = Gx·d, hd = Gv·d. It leaves d, gd, hd unchanged.
func (an *anderson) step(a, x, v, d, gd, hd []float64) {
	if an.have {
		k := an.head
		for i := range a {
			an.da[k][i] = a[i] - an.pa[i]
			an.dx[k][i] = x[i] - an.px[i]
			an.dv[k][i] = v[i] - an.pv[i]
			an.dd[k][i] = d[i] - an.pd[i]
			an.ddx[k][i] = gd[i] - an.pdx[i]
			an.ddv[k][i] = hd[i] - an.pdv[i]
		}
		an.head = (an.head + 1) % an.m
		an.used = min(an.used+1, an.m)
	}
	copy(an.pa, a)
	copy(an.px, x)
	copy(an.pv, v)
	copy(an.pd, d)
	copy(an.pdx, gd)
	copy(an.pdv, hd)
	an.have = true
	u := an.used
	if u > 0 && !an.solve(d) {
		an.forget()
		an.have = true // keep the iterate just saved as the new start
		u = 0
	}
	for i := range a {
		ai, xi, vi := a[i]+d[i], x[i]+gd[i], v[i]+hd[i]
		for j := 0; j < u; j++ {
			g := an.gamma[j]
			ai -= g * (an.da[j][i] + an.dd[j][i])
			xi -= g * (an.dx[j][i] + an.ddx[j][i])
			vi -= g * (an.dv[j][i] + an.ddv[j][i])
		}
		a[i], x[i], v[i] = ai, xi, vi
	}
}

// solve finds γ minimising ‖d − ΔD·γ‖ by the normal equations (at most
// 2×2). It reports false when they are too ill-conditioned to trust.
func (an *anderson) solve(d []float64) bool {
	u := an.used
	var b [2]float64
	for j := 0; j < u; j++ {
		b[j] = dotSlow(an.dd[j], d)
		for l := 0; l <= j; l++ {
			g := dotSlow(an.dd[j], an.dd[l])
			an.gram[j*2+l], an.gram[l*2+j] = g, g
		}
	}
	if u == 1 {
		if !(an.gram[0] > 0) {
			return false
		}
		an.gamma[0] = b[0] / an.gram[0]
		return true
	}
	g00, g01, g11 := an.gram[0], an.gram[1], an.gram[3]
	det := g00*g11 - g01*g01
	if !(det > 1e-12*g00*g11) {
		return false
	}
	an.gamma[0] = (g11*b[0] - g01*b[1]) / det
	an.gamma[1] = (g00*b[1] - g01*b[0]) / det
	return true
}

func dotSlow(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
