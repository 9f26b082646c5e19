package icnn

import "fmt"

// Workspace holds one point's activations between Grad and the Hessian and
// ParamGrad calls that reuse them. Make one per goroutine with
// NewWorkspace; no evaluation allocates.
type Workspace struct {
	net        *Network
	valid      bool
	x          []float64
	y, z, s1   [][]float64 // pre-activations, activations, σ'
	abar       [][]float64 // ∂Ψ/∂z_k
	m          [][]float64 // (∂y_k/∂x)ᵀ, d×h_k
	cw         []float64
	tmp        []float64
	ydot, zdot [][]float64
	zb, zdb    [2][]float64
	lx, ldir   []float64
}

// NewWorkspace returns a Workspace for n.
func (n *Network) NewWorkspace() *Workspace {
	K := len(n.hidden)
	ws := &Workspace{net: n, x: make([]float64, n.d), lx: make([]float64, n.r), ldir: make([]float64, n.r)}
	grid := func() [][]float64 {
		g := make([][]float64, K)
		for k, h := range n.hidden {
			g[k] = make([]float64, h)
		}
		return g
	}
	ws.y, ws.z, ws.s1, ws.abar, ws.ydot, ws.zdot = grid(), grid(), grid(), grid(), grid(), grid()
	ws.m = make([][]float64, K)
	maxH := 0
	for k, h := range n.hidden {
		ws.m[k] = make([]float64, h*n.d)
		maxH = max(maxH, h)
	}
	ws.tmp = make([]float64, maxH*n.d)
	ws.cw = make([]float64, maxH)
	for i := range ws.zb {
		ws.zb[i], ws.zdb[i] = make([]float64, maxH), make([]float64, maxH)
	}
	return ws
}

func (n *Network) checkWS(ws *Workspace) error {
	if ws == nil || ws.net == nil {
		return fmt.Errorf("icnn: nil Workspace (make one with Network.NewWorkspace)")
	}
	if ws.net != n && (ws.net.d != n.d || ws.net.r != n.r || !equalInts(ws.net.hidden, n.hidden)) {
		return fmt.Errorf("icnn: the workspace was made for a network of another shape")
	}
	return nil
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Value returns Ψ(x).
func (n *Network) Value(ws *Workspace, x []float64) (float64, error) {
	return n.Grad(nil, ws, x)
}

// Grad returns Ψ(x) and, when dst is not nil, writes ∇Ψ(x) to dst (len d).
// It leaves in ws what Hessian and ParamGrad need at this x.
func (n *Network) Grad(dst []float64, ws *Workspace, x []float64) (float64, error) {
	if err := n.checkWS(ws); err != nil {
		return 0, err
	}
	if len(x) != n.d || (dst != nil && len(dst) != n.d) {
		return 0, fmt.Errorf("icnn: Grad at a point of %d values into %d; the network has dimension %d", len(x), len(dst), n.d)
	}
	ws.net = n
	return n.grad(dst, ws, x), nil
}

// grad is Grad without checks, for the inner loops of solvers.
func (n *Network) grad(dst []float64, ws *Workspace, x []float64) float64 {
	d, p := n.d, n.params
	copy(ws.x, x)
	K := len(n.hidden)
	for k, h := range n.hidden {
		y := ws.y[k]
		copy(y, p[n.bOff[k]:n.bOff[k]+h])
		A := p[n.aOff[k] : n.aOff[k]+h*d]
		for j := range h {
			y[j] += dot(A[j*d:(j+1)*d], x)
		}
		if k > 0 {
			prev := ws.z[k-1]
			W := n.wPos[k]
			np := len(prev)
			for j := range h {
				y[j] += dot(W[j*np:(j+1)*np], prev)
			}
		}
		z, s1 := ws.z[k], ws.s1[k]
		for j, v := range y {
			z[j], s1[j] = softplusSigmoid(v)
		}
	}
	a := p[n.outA : n.outA+d]
	val := dot(n.oPos, ws.z[K-1]) + dot(a, x)
	// ½xᵀQx with Q = LLᵀ + αI, and ∇ of it Qx.
	var quad float64
	for i := range d {
		quad += x[i] * dot(n.quadQ[i*d:(i+1)*d], x)
	}
	val += quad / 2
	// Reverse pass: abar_k = ∂Ψ/∂z_k.
	copy(ws.abar[K-1], n.oPos)
	if dst != nil {
		for i := range d {
			dst[i] = a[i] + dot(n.quadQ[i*d:(i+1)*d], x)
		}
	}
	for k := K - 1; k >= 0; k-- {
		h := n.hidden[k]
		g := ws.tmp[:h] // ∂Ψ/∂y_k
		for j := range h {
			g[j] = ws.s1[k][j] * ws.abar[k][j]
		}
		if dst != nil {
			A := p[n.aOff[k] : n.aOff[k]+h*d]
			for j, gj := range g {
				axpy(dst, gj, A[j*d:(j+1)*d])
			}
		}
		if k > 0 {
			prev := ws.abar[k-1]
			clear(prev)
			W := n.wPos[k]
			np := len(prev)
			for j, gj := range g {
				axpy(prev, gj, W[j*np:(j+1)*np])
			}
		}
	}
	ws.valid = true
	return val
}

// Hessian writes ∇²Ψ (d×d, row-major) at the point of the last Grad on ws
// to dst. With pre-activations y_k and their Jacobians M_k = ∂y_k/∂x, it is
//
//	∇²Ψ = LLᵀ + αI + Σ_k M_kᵀ diag(∂Ψ/∂z_k ⊙ σ”(y_k)) M_k,
//
// exact because every nonlinearity acts on one scalar; each term is
// positive semi-definite (∂Ψ/∂z_k ≥ 0 by the non-negative weights, σ” > 0).
func (n *Network) Hessian(dst []float64, ws *Workspace) error {
	if err := n.checkWS(ws); err != nil {
		return err
	}
	if !ws.valid || ws.net != n {
		return fmt.Errorf("icnn: Hessian needs a Grad on this network and workspace first")
	}
	if len(dst) != n.d*n.d {
		return fmt.Errorf("icnn: Hessian destination has %d values, want d² = %d", len(dst), n.d*n.d)
	}
	n.hessian(dst, ws)
	return nil
}

func (n *Network) hessian(dst []float64, ws *Workspace) {
	d, p := n.d, n.params
	copy(dst, n.quadQ)
	// mt[k] holds M_kᵀ (d×h_k), so that both the propagation and the
	// assembly are dot products of contiguous rows of length h.
	for k, h := range n.hidden {
		Mt := ws.m[k]
		A := p[n.aOff[k] : n.aOff[k]+h*d]
		for j := range h {
			for c := range d {
				Mt[c*h+j] = A[j*d+c]
			}
		}
		if k > 0 {
			np := n.hidden[k-1]
			// tmp = (diag(σ'(y_{k-1})) M_{k-1})ᵀ, then M_k += W⁺ tmpᵀ.
			tmp := ws.tmp[:np*d]
			prev := ws.m[k-1]
			s := ws.s1[k-1]
			for c := range d {
				for i := range np {
					tmp[c*np+i] = s[i] * prev[c*np+i]
				}
			}
			W := n.wPos[k]
			for c := range d {
				tc := tmp[c*np : (c+1)*np]
				row := Mt[c*h : (c+1)*h]
				for j := range h {
					row[j] += dot(W[j*np:(j+1)*np], tc)
				}
			}
		}
		cm := ws.tmp[:d*h]
		cw := ws.cw[:h]
		for j := range h {
			s := ws.s1[k][j]
			cw[j] = ws.abar[k][j] * s * (1 - s)
		}
		for a := range d {
			ra, ca := Mt[a*h:(a+1)*h], cm[a*h:(a+1)*h]
			for j := range h {
				ca[j] = cw[j] * ra[j]
			}
			for b := a; b < d; b++ {
				dst[a*d+b] += dot(ca, Mt[b*h:(b+1)*h])
			}
		}
	}
	for a := range d {
		for b := a + 1; b < d; b++ {
			dst[b*d+a] = dst[a*d+b]
		}
	}
}

// ParamGrad adds to dst (len NumParams()) the gradient with respect to the
// parameters of
//
//	cPsi·Ψ(x) + cDir·∇Ψ(x)·u
//
// at the point x of the last Grad on ws, with u = dir held constant (dir
// may be nil when cDir is 0). The second term is the mixed derivative
// ∂θ∇ₓΨ contracted with u: forward mode along u, then reverse mode
// through the primal and tangent activations together.
func (n *Network) ParamGrad(dst []float64, ws *Workspace, cPsi float64, dir []float64, cDir float64) error {
	if err := n.checkWS(ws); err != nil {
		return err
	}
	if !ws.valid || ws.net != n {
		return fmt.Errorf("icnn: ParamGrad needs a Grad on this network and workspace first")
	}
	if len(dst) != len(n.params) {
		return fmt.Errorf("icnn: parameter gradient has %d values, want NumParams() = %d", len(dst), len(n.params))
	}
	if dir != nil && len(dir) != n.d {
		return fmt.Errorf("icnn: direction has %d values, want d = %d", len(dir), n.d)
	}
	if dir == nil {
		cDir = 0
	}
	n.paramGrad(dst, ws, cPsi, dir, cDir)
	return nil
}

func (n *Network) paramGrad(dst []float64, ws *Workspace, cPsi float64, dir []float64, cDir float64) {
	d, r, p := n.d, n.r, n.params
	K := len(n.hidden)
	x := ws.x
	tangent := cDir != 0
	if tangent {
		for k, h := range n.hidden {
			yd := ws.ydot[k]
			A := p[n.aOff[k] : n.aOff[k]+h*d]
			for j := range h {
				yd[j] = dot(A[j*d:(j+1)*d], dir)
			}
			if k > 0 {
				prev := ws.zdot[k-1]
				W := n.wPos[k]
				np := len(prev)
				for j := range h {
					yd[j] += dot(W[j*np:(j+1)*np], prev)
				}
			}
			for j, v := range yd {
				ws.zdot[k][j] = ws.s1[k][j] * v
			}
		}
	}
	// Output layer.
	last := n.hidden[K-1]
	for i := range last {
		g := cPsi * ws.z[K-1][i]
		if tangent {
			g += cDir * ws.zdot[K-1][i]
		}
		dst[n.outW+i] += g * n.oSig[i]
	}
	for i := range d {
		g := cPsi * x[i]
		if tangent {
			g += cDir * dir[i]
		}
		dst[n.outA+i] += g
	}
	if r > 0 {
		L := p[n.outL : n.outL+d*r]
		lx, ld := ws.lx, ws.ldir
		clear(lx)
		clear(ld)
		for i := range d {
			axpy(lx, x[i], L[i*r:(i+1)*r])
			if tangent {
				axpy(ld, dir[i], L[i*r:(i+1)*r])
			}
		}
		for i := range d {
			g := dst[n.outL+i*r : n.outL+(i+1)*r]
			axpy(g, cPsi*x[i], lx)
			if tangent {
				axpy(g, cDir*x[i], ld)
				axpy(g, cDir*dir[i], lx)
			}
		}
	}
	// zb, zdb: adjoints of z_k and ż_k; cur becomes the pre-activation ones.
	zb, zdb := ws.zb[0][:last], ws.zdb[0][:last]
	for i := range last {
		zb[i] = cPsi * n.oPos[i]
		zdb[i] = cDir * n.oPos[i]
	}
	for k := K - 1; k >= 0; k-- {
		h := n.hidden[k]
		s1 := ws.s1[k]
		// ȳ = σ'·z̄ + σ”·ẏ·ż̄ and ẏ̄ = σ'·ż̄, in place.
		for j := range h {
			yb := s1[j] * zb[j]
			if tangent {
				yb += s1[j] * (1 - s1[j]) * ws.ydot[k][j] * zdb[j]
				zdb[j] *= s1[j]
			}
			zb[j] = yb
		}
		A := dst[n.aOff[k] : n.aOff[k]+h*d]
		B := dst[n.bOff[k] : n.bOff[k]+h]
		for j := range h {
			axpy(A[j*d:(j+1)*d], zb[j], x)
			if tangent {
				axpy(A[j*d:(j+1)*d], zdb[j], dir)
			}
			B[j] += zb[j]
		}
		if k == 0 {
			break
		}
		np := n.hidden[k-1]
		W, Wsig := n.wPos[k], n.wSig[k]
		dW := dst[n.wOff[k] : n.wOff[k]+h*np]
		zPrev, zdPrev := ws.z[k-1], ws.zdot[k-1]
		nzb, nzdb := ws.zb[1][:np], ws.zdb[1][:np]
		clear(nzb)
		clear(nzdb)
		for j := range h {
			row, srow, grow := W[j*np:(j+1)*np], Wsig[j*np:(j+1)*np], dW[j*np:(j+1)*np]
			yb, ydb := zb[j], zdb[j]
			for i := range np {
				g := yb * zPrev[i]
				if tangent {
					g += ydb * zdPrev[i]
				}
				grow[i] += g * srow[i]
			}
			axpy(nzb, yb, row)
			if tangent {
				axpy(nzdb, ydb, row)
			}
		}
		ws.zb[0], ws.zb[1] = ws.zb[1], ws.zb[0]
		ws.zdb[0], ws.zdb[1] = ws.zdb[1], ws.zdb[0]
		zb, zdb = nzb, nzdb
	}
}

func dot(a, b []float64) float64 {
	var s0, s1 float64
	i := 0
	for ; i+1 < len(a); i += 2 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
	}
	if i < len(a) {
		s0 += a[i] * b[i]
	}
	return s0 + s1
}

// axpy adds alpha·x to dst.
func axpy(dst []float64, alpha float64, x []float64) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] += alpha * v
	}
}
