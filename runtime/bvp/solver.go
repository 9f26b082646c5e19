package bvp

import (
	"errors"
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/dense"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/ode"
)

// Solver solves boundary-value problems for one System, keeping every work
// buffer between solves. It is not safe for concurrent use: give each
// goroutine its own Solver on its own sys.Clone().
type Solver struct {
	sys   lagrangian.System
	jac   lagrangian.Jacobian
	cf    lagrangian.ClosedForm
	errer lagrangian.AccelErrer
	set   Settings
	d     int

	grids  []*grid // grids[l] has Steps·2^l steps
	single *ode.Fixed
	multi  *ode.Fixed // allocated on first use
	rhs    ode.Func
	cols   int // columns of the variational matrix in the current integration

	y            []float64 // integrated state
	ax, av       []float64 // d×d Jacobian blocks
	xp, vp, ap   []float64 // finite-difference probes
	rec          []float64 // (x, v) at the nodes of the last integration
	recPhi       []float64 // ∂x/∂(unknowns of the segment) at those nodes, d×cols each
	jm, r, delta []float64
	lu           dense.LU // of jm, single shooting's Jacobian
	z, ztrial    []float64
	ms           *multiShooting
	col          *colloc
	cgrids       map[int]*grid // collocation grids by number of intervals
	scratch      Path          // for Cost
	nc           int           // coarse collocation intervals; 0 for the default
	jacobi       dense.LU      // of ∂x(t)/∂v0 at the nodes, for Jacobi's condition
	rz           *ritz         // Jacobi's test, allocated on first use

	nanSeen    bool // the acceleration was NaN at finite (x, v)
	nanT       float64
	nanX, nanV []float64
}

// NewSolver returns a Solver for sys; s may be nil for the defaults.
func NewSolver(sys lagrangian.System, s *Settings) (*Solver, error) {
	set, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if sys == nil {
		return nil, errors.New("bvp: nil System")
	}
	d := sys.Dim()
	if d < 1 {
		return nil, fmt.Errorf("bvp: System has dimension %d", d)
	}
	sv := &Solver{sys: sys, set: set, d: d}
	sv.jac, _ = sys.(lagrangian.Jacobian)
	sv.cf, _ = sys.(lagrangian.ClosedForm)
	sv.errer, _ = sys.(lagrangian.AccelErrer)
	if set.Method == ClosedForm && sv.cf == nil {
		return nil, errors.New("bvp: Method is closed-form but the System has no closed form; leave Method empty to solve numerically")
	}
	sv.single, err = ode.NewFixed(ode.RK8, 2*d+2*d*d)
	if err != nil {
		return nil, err
	}
	sv.rhs = sv.deriv
	sv.y = make([]float64, 2*d+4*d*d)
	sv.ax, sv.av = make([]float64, d*d), make([]float64, d*d)
	sv.xp, sv.vp, sv.ap = make([]float64, d), make([]float64, d), make([]float64, d)
	sv.nanX, sv.nanV = make([]float64, d), make([]float64, d)
	sv.jm = make([]float64, d*d)
	sv.r, sv.delta = make([]float64, d), make([]float64, d)
	sv.z, sv.ztrial = make([]float64, d), make([]float64, d)
	sv.grids = []*grid{newGrid(set.Steps)}
	return sv, nil
}

// System returns the System s solves for.
func (s *Solver) System() lagrangian.System { return s.sys }

func (s *Solver) grid(level int) *grid {
	for len(s.grids) <= level {
		s.grids = append(s.grids, newGrid(s.set.Steps<<len(s.grids)))
	}
	return s.grids[level]
}

// deriv is the first-order system integrated by shooting: the state
// y = (x, v, Φx, Φv), where Φ = ∂(x, v)/∂(unknowns) has s.cols columns and
// obeys the variational equations Φx' = Φv, Φv' = ∂a/∂x·Φx + ∂a/∂v·Φv.
func (s *Solver) deriv(dst []float64, t float64, y []float64) {
	d, c := s.d, s.cols
	x, v := y[:d], y[d:2*d]
	copy(dst[:d], v)
	a := dst[d : 2*d]
	if c == 0 {
		s.sys.Accel(a, t, x, v)
		s.checkAccel(a, t, x, v)
		return
	}
	px, pv := y[2*d:2*d+d*c], y[2*d+d*c:2*d+2*d*c]
	dpx, dpv := dst[2*d:2*d+d*c], dst[2*d+d*c:2*d+2*d*c]
	copy(dpx, pv)
	if s.jac != nil {
		s.jac.AccelJac(a, s.ax, s.av, t, x, v)
		for i := 0; i < d; i++ {
			row := dpv[i*c : (i+1)*c]
			for l := range row {
				row[l] = 0
			}
			for j := 0; j < d; j++ {
				axij, avij := s.ax[i*d+j], s.av[i*d+j]
				pxj, pvj := px[j*c:(j+1)*c], pv[j*c:(j+1)*c]
				for l := range row {
					row[l] += axij*pxj[l] + avij*pvj[l]
				}
			}
		}
	} else {
		s.sys.Accel(a, t, x, v)
		// Directional finite differences along each column of Φ: d extra
		// Accel calls instead of 2d for the full Jacobian. Their ~1e-8
		// relative error only slows Newton's (then linear) convergence.
		var size float64
		for i := range x {
			size = math.Max(size, math.Max(math.Abs(x[i]), math.Abs(v[i])))
		}
		for l := 0; l < c; l++ {
			var dn float64
			for j := 0; j < d; j++ {
				dn = math.Max(dn, math.Max(math.Abs(px[j*c+l]), math.Abs(pv[j*c+l])))
			}
			if dn == 0 {
				for i := 0; i < d; i++ {
					dpv[i*c+l] = 0
				}
				continue
			}
			eps := 1.5e-8 * (1 + size) / dn
			for j := 0; j < d; j++ {
				s.xp[j] = x[j] + eps*px[j*c+l]
				s.vp[j] = v[j] + eps*pv[j*c+l]
			}
			s.sys.Accel(s.ap, t, s.xp, s.vp)
			for i := 0; i < d; i++ {
				dpv[i*c+l] = (s.ap[i] - a[i]) / eps
			}
		}
	}
	s.checkAccel(a, t, x, v)
}

// checkAccel remembers the first point where the acceleration is NaN
// although the state is finite: evidence of a degenerate Lagrangian rather
// than of a diverging trajectory.
func (s *Solver) checkAccel(a []float64, t float64, x, v []float64) {
	if s.nanSeen {
		return
	}
	for _, ai := range a {
		if ai != ai {
			if finite(x) && finite(v) {
				s.nanSeen = true
				s.nanT = t
				copy(s.nanX, x)
				copy(s.nanV, v)
			}
			return
		}
	}
}

// degenerateError explains a NaN acceleration seen during integration.
func (s *Solver) degenerateError() error {
	if s.errer != nil {
		if err := s.errer.AccelErr(s.ap, s.nanT, s.nanX, s.nanV); err != nil {
			return fmt.Errorf("%w at t=%.6g, x=%.6g, v=%.6g: %v", ErrDegenerate, s.nanT, s.nanX, s.nanV, err)
		}
	}
	return fmt.Errorf("%w: the acceleration is NaN at t=%.6g, x=%.6g, v=%.6g (check ∂²L/∂v² there)", ErrDegenerate, s.nanT, s.nanX, s.nanV)
}

// errDiverged reports that the integrated state left the finite numbers.
var errDiverged = errors.New("the trajectory overflowed")

// integrate advances s.y from node k0 to node k1 of grid g with f,
// recording (x, v) and the d×cols block ∂x/∂(unknowns) at each node. It
// returns DOP853's error estimate for (x, v) summed over the steps.
func (s *Solver) integrate(f *ode.Fixed, g *grid, k0, k1 int) (float64, error) {
	d, c := s.d, s.cols
	n := f.Dim()
	y := s.y[:n]
	s.record(g, k0)
	var est float64
	for k := k0; k < k1; k++ {
		t, h := g.t[k], g.t[k+1]-g.t[k]
		f.Step(y, s.rhs, t, h, y)
		est += f.ErrorEstimate(0, 2*d)
		if !finite(y[:2*d+d*c]) {
			if s.nanSeen {
				return est, s.degenerateError()
			}
			return est, errDiverged
		}
		s.record(g, k+1)
	}
	return est, nil
}

func (s *Solver) record(g *grid, k int) {
	d, c := s.d, s.cols
	need := (g.n + 1) * 2 * d
	if cap(s.rec) < need {
		s.rec = make([]float64, need)
	}
	s.rec = s.rec[:need]
	copy(s.rec[k*2*d:(k+1)*2*d], s.y[:2*d])
	needPhi := (g.n + 1) * d * c
	if cap(s.recPhi) < needPhi {
		s.recPhi = make([]float64, needPhi)
	}
	s.recPhi = s.recPhi[:needPhi]
	copy(s.recPhi[k*d*c:(k+1)*d*c], s.y[2*d:2*d+d*c])
}

// Solve finds the least-action path from x0 to x1 and writes it into dst,
// reusing dst's storage. With a closed form it costs one Action call;
// numerically it allocates nothing once dst and s have warmed up.
func (s *Solver) Solve(dst *Path, x0, x1 []float64) error {
	if dst == nil {
		return errors.New("bvp: nil destination Path")
	}
	if err := s.checkEnds(x0, x1); err != nil {
		return err
	}
	dst.d = s.d
	if s.cf != nil && (s.set.Method == "" || s.set.Method == ClosedForm) {
		return s.closedForm(dst, x0, x1)
	}
	if err := s.numeric(dst, x0, x1); err != nil {
		return err
	}
	return s.checkMinimum(dst)
}

// numeric runs the method Settings ask for, or in turn the cheapest first
// and the most robust last.
func (s *Solver) numeric(dst *Path, x0, x1 []float64) error {
	switch s.set.Method {
	case Collocation:
		return s.collocate(dst, x0, x1)
	case Shooting:
		return s.shoot(dst, x0, x1)
	case MultipleShooting:
		return s.multiple(dst, x0, x1)
	}
	// A degenerate Lagrangian is a property of L, so no method can help.
	errC := s.collocate(dst, x0, x1)
	if errC == nil || errors.Is(errC, ErrDegenerate) {
		return errC
	}
	errS := s.shoot(dst, x0, x1)
	if errS == nil || errors.Is(errS, ErrDegenerate) {
		return errS
	}
	errM := s.multiple(dst, x0, x1)
	if errM == nil {
		return nil
	}
	return fmt.Errorf("%w; before it, collocation: %w; single shooting: %w", errM, errC, errS)
}

func (s *Solver) checkEnds(x0, x1 []float64) error {
	if len(x0) != s.d || len(x1) != s.d {
		return fmt.Errorf("bvp: endpoints have dimensions %d and %d; the System has dimension %d", len(x0), len(x1), s.d)
	}
	if !finite(x0) || !finite(x1) {
		return fmt.Errorf("bvp: endpoints x0=%g, x1=%g are not finite", x0, x1)
	}
	return nil
}

func (s *Solver) closedForm(dst *Path, x0, x1 []float64) error {
	act, err := s.cf.Action(x0, x1)
	if err != nil {
		return fmt.Errorf("bvp: closed form: %w", err)
	}
	dst.setClosedForm(s.cf, x0, x1)
	dst.Method, dst.Iterations, dst.Action = ClosedForm, 0, act
	// The residual is checked, not assumed: the closed form evaluated at t=1.
	xt, vt := s.xp, s.vp
	if err := s.cf.Path(xt, vt, 1, x0, x1); err != nil {
		return fmt.Errorf("bvp: closed form: %w", err)
	}
	for i := range xt {
		s.r[i] = xt[i] - x1[i]
	}
	dst.Residual = norm2(s.r)
	return nil
}

// shoot is single shooting: Newton's method on v(0) with a backtracking
// line search, refining the grid whenever the error estimate exceeds Tol.
func (s *Solver) shoot(dst *Path, x0, x1 []float64) error {
	d := s.d
	tol := s.set.Tol
	v := s.z[:d]
	for i := range v {
		v[i] = x1[i] - x0[i]
	}
	level := 0
	rn, est, err := s.shootOnce(level, x0, v, x1)
	if err != nil {
		return s.shootErr(err, 0)
	}
	iter := 0
	for {
		for est > tol && s.set.Steps<<level < s.set.MaxSteps {
			level++
			if rn, est, err = s.shootOnce(level, x0, v, x1); err != nil {
				return s.shootErr(err, iter)
			}
		}
		if rn <= tol && est <= tol {
			break
		}
		if iter >= s.set.MaxIter {
			if est > tol {
				return fmt.Errorf("%w: single shooting after %d iterations: residual %.3g, integration error estimate %.3g exceeds Tol with %d steps (raise MaxSteps)", ErrNoConvergence, iter, rn, est, s.set.Steps<<level)
			}
			return fmt.Errorf("%w: single shooting after %d iterations: residual |x(1) − x1| = %.3g > %.3g", ErrNoConvergence, iter, rn, tol)
		}
		iter++
		if rc := s.lu.Factorize(s.jm, d); rc < 1e-13 {
			return fmt.Errorf("%w (single shooting, iteration %d: ∂x(1)/∂v(0) is singular, pivot ratio %.2g)", ErrConjugatePoint, iter, rc)
		}
		for i := range s.delta {
			s.delta[i] = -s.r[i]
		}
		s.lu.Solve(s.delta, s.delta)
		lambda := 1.0
		for {
			vt := s.ztrial[:d]
			for i := range vt {
				vt[i] = v[i] + lambda*s.delta[i]
			}
			rt, et, errT := s.shootOnce(level, x0, vt, x1)
			if errT == nil && (rt <= (1-1e-4*lambda)*rn || rt <= tol) {
				copy(v, vt)
				rn, est = rt, et
				break
			}
			lambda /= 2
			if lambda < 1.0/1024 {
				if errT != nil && errors.Is(errT, ErrDegenerate) {
					return errT
				}
				return fmt.Errorf("%w: single shooting, iteration %d: the line search found no decrease of the residual %.3g (the shooting map is too nonlinear; multiple shooting may help)", ErrNoConvergence, iter, rn)
			}
		}
	}
	if err := s.checkConjugate(s.grid(level), d); err != nil {
		return err
	}
	s.finish(dst, s.grid(level), Shooting, iter, rn, est)
	return nil
}

func (s *Solver) shootErr(err error, iter int) error {
	if errors.Is(err, errDiverged) {
		return fmt.Errorf("%w: single shooting, iteration %d: %v", ErrNoConvergence, iter, err)
	}
	return err
}

// shootOnce integrates from (x0, v) over all of grid level with the
// variational equations for ∂/∂v0, leaving the residual x(1) − x1 in s.r and
// ∂x(1)/∂v0 in s.jm.
func (s *Solver) shootOnce(level int, x0, v, x1 []float64) (rn, est float64, err error) {
	d := s.d
	g := s.grid(level)
	s.cols = d
	y := s.y[:2*d+2*d*d]
	copy(y[:d], x0)
	copy(y[d:2*d], v)
	phi := y[2*d:]
	for i := range phi {
		phi[i] = 0
	}
	pv := phi[d*d:]
	for i := 0; i < d; i++ {
		pv[i*d+i] = 1
	}
	s.nanSeen = false
	est, err = s.integrate(s.single, g, 0, g.n)
	if err != nil {
		return math.Inf(1), est, err
	}
	for i := 0; i < d; i++ {
		s.r[i] = y[i] - x1[i]
	}
	copy(s.jm, y[2*d:2*d+d*d])
	return norm2(s.r), est, nil
}

// checkConjugate applies Jacobi's condition to the recorded ∂x(t)/∂v0
// (d×d at each node, as left by single shooting): its determinant starts
// positive (≈ t^d) and must not vanish or change sign on (0, 1].
func (s *Solver) checkConjugate(g *grid, c int) error {
	d := s.d
	for k := 1; k <= g.n; k++ {
		rc := s.jacobi.Factorize(s.recPhi[k*d*c:(k+1)*d*c], d)
		if rc < 1e-13 || s.jacobi.DetSign() < 0 {
			return fmt.Errorf("%w: ∂x(t)/∂v(0) is singular near t=%.4g, so the stationary path found is not a minimum", ErrConjugatePoint, g.t[k])
		}
	}
	return nil
}

// finish copies the recorded nodes into dst and integrates the action by
// Clenshaw–Curtis quadrature.
func (s *Solver) finish(dst *Path, g *grid, method string, iter int, residual, est float64) {
	d := s.d
	dst.cf = nil
	dst.Method, dst.Iterations, dst.Residual, dst.ErrorEstimate, dst.Steps = method, iter, residual, est, g.n
	dst.t = append(dst.t[:0], g.t...)
	dst.xv = append(dst.xv[:0], s.rec[:(g.n+1)*2*d]...)
	var act float64
	for k, w := range g.w {
		row := dst.xv[k*2*d : (k+1)*2*d]
		act += w * s.sys.L(g.t[k], row[:d], row[d:])
	}
	dst.Action = act
}

// Solve is a convenience wrapper: a new Solver and Path for one problem.
// Loops should keep a Solver and reuse Paths instead.
func Solve(sys lagrangian.System, x0, x1 []float64, s *Settings) (*Path, error) {
	sv, err := NewSolver(sys, s)
	if err != nil {
		return nil, err
	}
	p := new(Path)
	if err := sv.Solve(p, x0, x1); err != nil {
		return nil, err
	}
	return p, nil
}

func norm2(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}
