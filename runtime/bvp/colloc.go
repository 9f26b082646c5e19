package bvp

import (
	"errors"
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/dense"
	"gonum.org/v1/gonum/floats"
)

// collocCoarse is the number of intervals of the coarse collocation grid,
// where Newton's method runs with a dense Jacobian: small enough that its
// LU factorisation is cheap, fine enough that it resolves the smooth range
// of the Jacobian's compact part. (Measured on the Gaussian obstacle in
// d=2, 6 to 12 intervals cost the same within noise; 16 costs 40% more.)
func (s *Solver) collocCoarse() int {
	if s.nc > 0 {
		return s.nc
	}
	return 8
}

// colloc holds the buffers of spectral collocation.
type colloc struct {
	alpha, x, v, a, f []float64 // (N+1)×d on the current grid
	ax, av            []float64 // (N+1)×d×d
	at                []float64 // d×(N+1): a transposed operand
	gf, hf, kf        []float64 // Gx·F, Gv·F, K·F
	jc                []float64 // coarse Jacobian
	lu                dense.LU  // of jc
	rc, ec, alphaC    []float64 // coarse vectors
	trial, prev       []float64
	mid               []float64 // N×3d: α, x, v at the midpoints
	aa                anderson
	am                []float64
}

func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

func (s *Solver) collocBuffers(np, npc int) {
	if s.col == nil {
		s.col = new(colloc)
	}
	c, d := s.col, s.d
	c.alpha = grow(c.alpha, np*d)
	c.x, c.v, c.a, c.f = grow(c.x, np*d), grow(c.v, np*d), grow(c.a, np*d), grow(c.f, np*d)
	c.ax, c.av = grow(c.ax, np*d*d), grow(c.av, np*d*d)
	c.at = grow(c.at, np*d)
	c.gf, c.hf, c.kf = grow(c.gf, np*d), grow(c.hf, np*d), grow(c.kf, np*d)
	c.trial = grow(c.trial, np*d)
	nc := npc * d
	c.jc = grow(c.jc, nc*nc)
	c.rc, c.ec, c.alphaC = grow(c.rc, nc), grow(c.ec, nc), grow(c.alphaC, nc)
	c.mid, c.am = grow(c.mid, np*3*d), grow(c.am, d)
}

func (s *Solver) collocGrid(n int) *grid {
	if s.cgrids == nil {
		s.cgrids = make(map[int]*grid)
	}
	g := s.cgrids[n]
	if g == nil {
		g = newGrid(n)
		s.cgrids[n] = g
	}
	return g
}

// applyTo writes m·vals into dst for an r×(N+1) matrix m and node-major
// vals ((N+1)×d), through a transposed copy so that the inner loop is a
// contiguous dot product even for small d.
func (s *Solver) applyTo(dst, m []float64, r, np int, vals []float64) {
	d := s.d
	at := s.transpose(vals, np)
	for k := 0; k < r; k++ {
		row := m[k*np : (k+1)*np]
		for i := 0; i < d; i++ {
			dst[k*d+i] = floats.Dot(row, at[i*np:(i+1)*np])
		}
	}
}

// applyPair writes m1·vals into dst1 and m2·vals into dst2 (both r×(N+1)),
// sharing one transposition and one pass over vals.
func (s *Solver) applyPair(dst1, dst2, m1, m2 []float64, r, np int, vals []float64) {
	d := s.d
	at := s.transpose(vals, np)
	for k := 0; k < r; k++ {
		row1, row2 := m1[k*np:(k+1)*np], m2[k*np:(k+1)*np]
		for i := 0; i < d; i++ {
			col := at[i*np : (i+1)*np]
			dst1[k*d+i] = floats.Dot(row1, col)
			dst2[k*d+i] = floats.Dot(row2, col)
		}
	}
}

func (s *Solver) transpose(vals []float64, np int) []float64 {
	d := s.d
	at := s.col.at[:np*d]
	for k := 0; k < np; k++ {
		row := vals[k*d : (k+1)*d]
		for i, v := range row {
			at[i*np+k] = v
		}
	}
	return at
}

// evalColloc computes, for accelerations alpha at the nodes of g, the path
// x, v (Green's operators plus the straight line), the acceleration a of
// the System there, the defect f = alpha − a, and, if jac, the blocks ∂a/∂x
// and ∂a/∂v at every node. It returns ‖f‖∞.
//
// With haveXV the path in c.x, c.v is taken as already updated to alpha.
func (s *Solver) evalColloc(g *grid, alpha, x0, x1 []float64, jac, haveXV bool) (float64, error) {
	c := s.col
	d, np := s.d, g.n+1
	sp := g.spectralOps()
	x, v, a, f := c.x[:np*d], c.v[:np*d], c.a[:np*d], c.f[:np*d]
	if !haveXV {
		s.applyPair(x, v, sp.gx, sp.gv, np, np, alpha)
		for k := 0; k < np; k++ {
			t, xk, vk := g.t[k], x[k*d:(k+1)*d], v[k*d:(k+1)*d]
			for i := 0; i < d; i++ {
				xk[i] += x0[i] + t*(x1[i]-x0[i])
				vk[i] += x1[i] - x0[i]
			}
		}
	}
	var fn float64
	s.nanSeen = false
	for k := 0; k < np; k++ {
		t, xk, vk, ak := g.t[k], x[k*d:(k+1)*d], v[k*d:(k+1)*d], a[k*d:(k+1)*d]
		if !finite(xk) || !finite(vk) {
			return math.Inf(1), errDiverged
		}
		if jac {
			s.fullJac(ak, c.ax[k*d*d:(k+1)*d*d], c.av[k*d*d:(k+1)*d*d], t, xk, vk)
		} else {
			s.sys.Accel(ak, t, xk, vk)
		}
		s.checkAccel(ak, t, xk, vk)
		if s.nanSeen {
			return math.Inf(1), s.degenerateError()
		}
		for i := 0; i < d; i++ {
			fi := alpha[k*d+i] - ak[i]
			f[k*d+i] = fi
			if !(math.Abs(fi) <= fn) {
				fn = math.Abs(fi)
			}
		}
	}
	if math.IsNaN(fn) || math.IsInf(fn, 0) {
		return math.Inf(1), errDiverged
	}
	return fn, nil
}

// fullJac writes a, ∂a/∂x and ∂a/∂v at one point, from AccelJac or by
// forward differences of Accel.
func (s *Solver) fullJac(a, ax, av []float64, t float64, x, v []float64) {
	if s.jac != nil {
		s.jac.AccelJac(a, ax, av, t, x, v)
		return
	}
	d := s.d
	s.sys.Accel(a, t, x, v)
	copy(s.xp, x)
	copy(s.vp, v)
	for j := 0; j < d; j++ {
		h := 1.5e-8 * math.Max(1, math.Abs(x[j]))
		s.xp[j] = x[j] + h
		s.sys.Accel(s.ap, t, s.xp, v)
		s.xp[j] = x[j]
		for i := 0; i < d; i++ {
			ax[i*d+j] = (s.ap[i] - a[i]) / h
		}
		h = 1.5e-8 * math.Max(1, math.Abs(v[j]))
		s.vp[j] = v[j] + h
		s.sys.Accel(s.ap, t, x, s.vp)
		s.vp[j] = v[j]
		for i := 0; i < d; i++ {
			av[i*d+j] = (s.ap[i] - a[i]) / h
		}
	}
}

// applyK writes K·f into c.kf: the change of the nodal accelerations along
// a change f of alpha, ∂a/∂x·(Gx f) + ∂a/∂v·(Gv f), from the Jacobian
// blocks when the System has them, else by one directional difference of
// Accel per node.
func (s *Solver) applyK(g *grid, f []float64) {
	c := s.col
	d, np := s.d, g.n+1
	sp := g.spectralOps()
	gf, hf, kf := c.gf[:np*d], c.hf[:np*d], c.kf[:np*d]
	s.applyPair(gf, hf, sp.gx, sp.gv, np, np, f)
	for k := 0; k < np; k++ {
		gk, hk := gf[k*d:(k+1)*d], hf[k*d:(k+1)*d]
		if s.jac != nil {
			ax, av := c.ax[k*d*d:(k+1)*d*d], c.av[k*d*d:(k+1)*d*d]
			for i := 0; i < d; i++ {
				var sum float64
				for j := 0; j < d; j++ {
					sum += ax[i*d+j]*gk[j] + av[i*d+j]*hk[j]
				}
				kf[k*d+i] = sum
			}
			continue
		}
		xk, vk, ak := c.x[k*d:(k+1)*d], c.v[k*d:(k+1)*d], c.a[k*d:(k+1)*d]
		var size, dn float64
		for i := 0; i < d; i++ {
			size = math.Max(size, math.Max(math.Abs(xk[i]), math.Abs(vk[i])))
			dn = math.Max(dn, math.Max(math.Abs(gk[i]), math.Abs(hk[i])))
		}
		if dn == 0 {
			for i := 0; i < d; i++ {
				kf[k*d+i] = 0
			}
			continue
		}
		eps := 1.5e-8 * (1 + size) / dn
		for i := 0; i < d; i++ {
			s.xp[i] = xk[i] + eps*gk[i]
			s.vp[i] = vk[i] + eps*hk[i]
		}
		s.sys.Accel(s.ap, g.t[k], s.xp, s.vp)
		for i := 0; i < d; i++ {
			kf[k*d+i] = (s.ap[i] - ak[i]) / eps
		}
	}
}

// coarseJacobian assembles and factors I − K on the coarse grid from the
// blocks left by evalColloc. With final set it applies the conjugate-point
// test: det(I − K) turns negative when the second variation of the action
// acquires a negative direction (an odd number of conjugate points).
func (s *Solver) coarseJacobian(gc *grid, final, refactor bool) error {
	c := s.col
	d, np := s.d, gc.n+1
	sp := gc.spectralOps()
	n := np * d
	if final && !refactor {
		if c.lu.DetSign() < 0 {
			return fmt.Errorf("%w (collocation: det(I − K) < 0, the second variation has a negative direction)", ErrConjugatePoint)
		}
		return nil
	}
	jc := c.jc[:n*n]
	for k := 0; k < np; k++ {
		ax, av := c.ax[k*d*d:(k+1)*d*d], c.av[k*d*d:(k+1)*d*d]
		for i := 0; i < d; i++ {
			row := jc[(k*d+i)*n : (k*d+i+1)*n]
			for j := 0; j < np; j++ {
				wx, wv := sp.gx[k*np+j], sp.gv[k*np+j]
				for l := 0; l < d; l++ {
					row[j*d+l] = -(ax[i*d+l]*wx + av[i*d+l]*wv)
				}
			}
			row[k*d+i] += 1
		}
	}
	if rc := c.lu.Factorize(jc, n); rc < 1e-13 {
		return fmt.Errorf("%w (collocation: the Jacobian is singular, pivot ratio %.2g)", ErrConjugatePoint, rc)
	}
	if final && c.lu.DetSign() < 0 {
		return fmt.Errorf("%w (collocation: det(I − K) < 0, the second variation has a negative direction)", ErrConjugatePoint)
	}
	return nil
}

// tail estimates the error of the interpolants of x and v on g from their
// two highest Chebyshev coefficients. The factor 10 is calibrated on
// smooth test paths, where the true error is 5–10 times the tail. It also
// returns the decay rate per degree of the coefficients' envelope between
// degrees N/2 and N (negative when they decay), used to pick a finer grid.
func (s *Solver) tail(g *grid) (est, rate float64) {
	c := s.col
	d, n, np := s.d, g.n, g.n+1
	sp := g.spectralOps()
	env := func(m int) float64 {
		row := sp.coef[m*np : (m+1)*np]
		var worst float64
		for i := 0; i < d; i++ {
			var cx, cv float64
			for k, w := range row {
				cx += w * c.x[k*d+i]
				cv += w * c.v[k*d+i]
			}
			worst = math.Max(worst, math.Max(math.Abs(cx), math.Abs(cv)))
		}
		return worst
	}
	hi := env(n) + env(n-1)
	lo := env(n/2) + env(n/2-1)
	est = 10 * hi
	rate = math.Inf(1)
	if hi > 0 && lo > 0 {
		rate = math.Log(hi/lo) / float64(n-n/2)
	}
	return est, rate
}

// nextN picks the next grid: enough intervals for the tail to fall below
// tol at the observed decay rate (at least 1.25 and at most most times N,
// doubling when the rate is unknown), rounded up to a multiple of 8 below
// 64, of 16 below 128 and of 32 beyond, so that a Solver meets few sizes
// and caches few operators.
func nextN(n int, est, rate, tol float64, most int) int {
	want := 2 * n
	if rate < 0 && est > 0 {
		extra := math.Log(tol/(4*est)) / rate
		if extra < float64((most-1)*n) {
			want = n + int(math.Ceil(extra))
		}
	}
	want = max(want, n+n/4)
	unit := 8
	switch {
	case want > 128:
		unit = 32
	case want > 64:
		unit = 16
	}
	return (want + unit - 1) / unit * unit
}

// maxCollocN caps collocation grids: a path that needs more intervals is
// left to shooting, whose cost grows linearly rather than quadratically.
const maxCollocN = 256

// collocate solves by Chebyshev collocation in Green's-function form: the
// unknowns are the accelerations α at the nodes, the path x = line + Gx·α
// meets both endpoints by construction, and the equations are
// α = a(t, x, v) at every node. Newton's method with a dense Jacobian
// I − K runs on a coarse grid; on the fine grid a two-grid iteration
// (Atkinson–Brakhage) corrects with the coarse Jacobian, because K maps into
// smooth functions the coarse grid resolves. The fine grid grows until the
// Chebyshev tail of x and v is below Tol.
func (s *Solver) collocate(dst *Path, x0, x1 []float64) error {
	nc := s.collocCoarse()
	for {
		err := s.collocateWith(dst, x0, x1, nc)
		// A stalled two-grid iteration means the coarse grid misses modes
		// that K amplifies (strong potentials, velocity coupling): retry on
		// a finer one while its dense Jacobian stays affordable.
		if !errors.Is(err, errTwoGridStalled) || 2*nc*s.d > 300 || 2*nc > min(s.set.MaxSteps, maxCollocN) {
			return err
		}
		nc *= 2
	}
}

// errTwoGridStalled marks the failure that a finer coarse grid may cure.
var errTwoGridStalled = errors.New("the two-grid iteration stalled")

func (s *Solver) collocateWith(dst *Path, x0, x1 []float64, nc int) error {
	d, tol := s.d, s.set.Tol
	gc := s.collocGrid(nc)
	gfine := s.collocGrid(max(s.set.Steps, gc.n))
	s.collocBuffers(gfine.n+1, gc.n+1)
	c := s.col

	// Coarse Newton from the straight line (α = 0).
	ncd := (gc.n + 1) * d
	alphaC := c.alphaC[:ncd]
	for i := range alphaC {
		alphaC[i] = 0
	}
	iter := 0
	fn, err := s.evalColloc(gc, alphaC, x0, x1, true, false)
	if err != nil {
		return err
	}
	// Chord iterations: the Jacobian is refactored only when the defect
	// stops falling fast, and once at the end for the conjugate-point test.
	// The coarse solution only seeds the fine grid: a loose tolerance.
	const coarseTol = 1e-6
	factoredHere := false // the factors are of the Jacobian at alphaC
	keep := false         // reuse the factors for the next step
	for fn > coarseTol && iter < s.set.MaxIter {
		if !keep {
			if err := s.coarseJacobian(gc, false, true); err != nil {
				return err
			}
			factoredHere = true
		}
		iter++
		ec := c.ec[:ncd]
		for i := range ec {
			ec[i] = -c.f[i]
		}
		c.lu.Solve(ec, ec)
		lambda := 1.0
		for {
			tr := c.trial[:ncd]
			for i := range tr {
				tr[i] = alphaC[i] + lambda*ec[i]
			}
			ft, errT := s.evalColloc(gc, tr, x0, x1, true, false)
			if errT == nil && ft <= (1-1e-4*lambda)*fn {
				copy(alphaC, tr)
				keep = ft <= 0.2*fn
				factoredHere = false
				fn = ft
				break
			}
			if !factoredHere {
				// The stale Jacobian may be to blame: refactor here first.
				if _, err := s.evalColloc(gc, alphaC, x0, x1, true, false); err != nil {
					return err
				}
				keep = false
				break
			}
			lambda /= 2
			if lambda < 1.0/1024 {
				if errT != nil && errors.Is(errT, ErrDegenerate) {
					return errT
				}
				return fmt.Errorf("%w: collocation, coarse iteration %d: the line search found no decrease of the defect %.3g", ErrNoConvergence, iter, fn)
			}
		}
	}
	// The conjugate-point test reads the sign of det(I − K) from the
	// factors at hand, which may be of an earlier iterate; a negative sign
	// is confirmed at the final one before it is believed. (c.ax and c.av
	// are those of alphaC: the last evaluation was the accepted one.)
	refactor := iter == 0 || !factoredHere && c.lu.DetSign() < 0
	if err := s.coarseJacobian(gc, true, refactor); err != nil {
		return err
	}
	if fn > 1e-3 {
		return fmt.Errorf("%w: collocation: the coarse Newton iteration stalled at defect %.3g", ErrNoConvergence, fn)
	}

	// The coarse solution's Chebyshev coefficients predict how fine a grid
	// the path needs; starting there saves a round of refinement.
	if est, rate := s.tail(gc); est > tol {
		if n := nextN(gc.n, est, rate, tol, 8); n > gfine.n && n <= min(s.set.MaxSteps, maxCollocN) {
			gfine = s.collocGrid(n)
			s.collocBuffers(n+1, gc.n+1)
		}
	}
	// Two-grid iteration on the fine grid, seeded by interpolation.
	np := gfine.n + 1
	alpha := c.alpha[:np*d]
	s.applyTo(alpha, gfine.prolongFrom(gc), np, gc.n+1, alphaC)
	prev := math.Inf(1)
	stalls := 0
	haveXV := false
	c.aa.reset(np * d)
	for {
		fn, err = s.evalColloc(gfine, alpha, x0, x1, s.jac != nil, haveXV)
		if err != nil {
			return err
		}
		est, rate := s.tail(gfine)
		nf := float64(gfine.n)
		if est > tol && fn <= est*nf*nf/16 {
			// The tail is trustworthy once the defect, which reaches x and
			// v smoothed by ~1/N², no longer swamps it; and iterating
			// further on this grid cannot beat its discretisation error:
			// move to a finer one.
			n := nextN(gfine.n, est, rate, tol, 3)
			if n > min(s.set.MaxSteps, maxCollocN) {
				return fmt.Errorf("%w: collocation: estimated error %.3g with %d intervals exceeds Tol, and a finer grid would pass min(MaxSteps, %d)", ErrNoConvergence, est, gfine.n, maxCollocN)
			}
			old := gfine
			gfine = s.collocGrid(n)
			np = n + 1
			c.prev = grow(c.prev, len(alpha))
			copy(c.prev, alpha)
			s.collocBuffers(np, gc.n+1)
			alpha = c.alpha[:np*d]
			for k := 0; k < np; k++ {
				chebInterp(alpha[k*d:(k+1)*d], gfine.t[k], old.t, c.prev, d)
			}
			prev, stalls, haveXV = math.Inf(1), 0, false
			c.aa.reset(np * d)
			continue
		}
		if fn <= tol/4 && est <= tol {
			s.finishColloc(dst, gfine, alpha, iter, est)
			return nil
		}
		if fn > 0.5*prev {
			stalls++
		}
		if fn > prev {
			c.aa.forget() // the mixing overshot: restart it from here
		}
		iter++
		if iter > s.set.MaxIter+20 || stalls > 3 {
			return fmt.Errorf("%w: collocation with a coarse grid of %d intervals: %w at defect %.3g after %d iterations", ErrNoConvergence, nc, errTwoGridStalled, fn, iter)
		}
		prev = fn
		f := c.f[:np*d]
		s.applyK(gfine, f)
		// δ = −F − P·Jc⁻¹·R·K·F: the identity handles the rough part of the
		// correction, the coarse Jacobian the smooth part.
		rc := c.rc[:ncd]
		s.applyTo(rc, gfine.restrictTo(gc), gc.n+1, np, c.kf[:np*d])
		c.lu.Solve(rc, rc)
		// The path follows without a full Green's-operator product:
		// x ← x − Gx·F − (Gx·P)·e, and likewise v.
		gxp, gvp := gfine.greenProlong(gc)
		pf := c.kf[:np*d] // K·F is spent
		s.applyTo(pf, gfine.prolongFrom(gc), np, gc.n+1, rc)
		px, pv := c.trial[:np*d], c.mid[:np*d]
		s.applyPair(px, pv, gxp, gvp, np, gc.n+1, rc)
		for i := range alpha {
			f[i] = -(f[i] + pf[i])       // δ
			c.gf[i] = -(c.gf[i] + px[i]) // Gx·δ
			c.hf[i] = -(c.hf[i] + pv[i]) // Gv·δ
		}
		c.aa.step(alpha, c.x[:np*d], c.v[:np*d], f, c.gf[:np*d], c.hf[:np*d])
		haveXV = true
	}
}

// finishColloc writes the path at the nodes, its action by Clenshaw–Curtis
// quadrature, and the largest Euler–Lagrange defect between the nodes.
func (s *Solver) finishColloc(dst *Path, g *grid, alpha []float64, iter int, est float64) {
	c := s.col
	d, n, np := s.d, g.n, g.n+1
	mm := g.midMatrix()
	am, xm, vm := c.mid[:n*d], c.mid[n*d:2*n*d], c.mid[2*n*d:3*n*d]
	s.applyTo(am, mm, n, np, alpha)
	s.applyTo(xm, mm, n, np, c.x)
	s.applyTo(vm, mm, n, np, c.v)
	var defect float64
	for k := 0; k < n; k++ {
		t := (g.t[k] + g.t[k+1]) / 2
		s.sys.Accel(c.am, t, xm[k*d:(k+1)*d], vm[k*d:(k+1)*d])
		for i := 0; i < d; i++ {
			if e := math.Abs(am[k*d+i] - c.am[i]); !(e <= defect) {
				defect = e
			}
		}
	}
	dst.cf = nil
	dst.d = d
	dst.Method, dst.Iterations, dst.Residual, dst.ErrorEstimate, dst.Steps = Collocation, iter, defect, est, n
	dst.t = append(dst.t[:0], g.t...)
	dst.xv = grow(dst.xv, np*2*d)
	var act float64
	for k := 0; k < np; k++ {
		row := dst.xv[k*2*d : (k+1)*2*d]
		copy(row[:d], c.x[k*d:(k+1)*d])
		copy(row[d:], c.v[k*d:(k+1)*d])
		act += g.w[k] * s.sys.L(g.t[k], row[:d], row[d:])
	}
	dst.Action = act
}
