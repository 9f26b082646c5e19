package eulerlag

import (
	"github.com/lagc-dev/lagc/runtime/closedform"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

var _ lagrangian.IntervalSystem = (*ClosedEvaluator)(nil)

// OnInterval returns the closed form on the physical interval [ta, tb] in
// reduced time s = (t − ta)/T (see lagrangian.OnInterval). The rescaled
// equation x″ = T²A x + T B x′ + T² c is again linear with constant
// coefficients, so its closed form is built the same way, and conjugate
// points follow the interval: a harmonic path is a least-action path only
// while ω·(tb − ta) < π.
func (c *ClosedEvaluator) OnInterval(ta, tb float64) (lagrangian.System, error) {
	ev := c.Evaluator.Clone().(*Evaluator)
	in, err := lagrangian.NewInterval(ev, ta, tb)
	if err != nil {
		return nil, err
	}
	sol, err := closedform.New(ev.Dim(), in.Accel, in.L, c.sol.Isotropic() != nil)
	if err != nil {
		return nil, err
	}
	return &ClosedInterval{System: in, sol: sol, canonical: c.sol.Canonical()}, nil
}

// ClosedInterval is a ClosedEvaluator on a physical interval, in reduced
// time. It is not safe for concurrent use; Clone it.
type ClosedInterval struct {
	lagrangian.System
	sol       *closedform.Solution
	canonical bool // the Lagrangian on physical time is ½|v|² + ½α|x|² + c·x
}

var (
	_ lagrangian.ClosedForm        = (*ClosedInterval)(nil)
	_ lagrangian.Jacobian          = (*ClosedInterval)(nil)
	_ lagrangian.EuclideanCoupling = (*ClosedInterval)(nil)
)

// Path writes the position and velocity (d/ds) at reduced time s.
func (c *ClosedInterval) Path(xt, vt []float64, s float64, x0, x1 []float64) error {
	return c.sol.Path(xt, vt, s, x0, x1)
}

// Action returns the least action over the interval.
func (c *ClosedInterval) Action(x0, x1 []float64) (float64, error) { return c.sol.Action(x0, x1) }

// AccelJac forwards to the rescaled evaluator.
func (c *ClosedInterval) AccelJac(a, ax, av []float64, s float64, x, v []float64) {
	c.System.(lagrangian.Jacobian).AccelJac(a, ax, av, s, x, v)
}

// AccelErr forwards to the rescaled evaluator.
func (c *ClosedInterval) AccelErr(dst []float64, s float64, x, v []float64) error {
	return c.System.(lagrangian.AccelErrer).AccelErr(dst, s, x, v)
}

// Clone returns an independent copy.
func (c *ClosedInterval) Clone() lagrangian.System {
	in := c.System.Clone()
	sol, err := closedform.New(in.Dim(), in.Accel, in.L, c.sol.Isotropic() != nil)
	if err != nil {
		panic(err) // unreachable: the same coefficients succeeded before
	}
	return &ClosedInterval{System: in, sol: sol, canonical: c.canonical}
}

// EuclideanCoupling: on [ta, tb] the canonical Lagrangian becomes
// (1/T)(½|x′|² + ½αT²|x|² + T²c·x), proportional to a canonical one, so the
// test of ClosedEvaluator.EuclideanCoupling applies to the rescaled
// coefficients.
func (c *ClosedInterval) EuclideanCoupling() bool {
	iso := c.sol.Isotropic()
	if iso == nil || !c.canonical || c.sol.Err() != nil {
		return false
	}
	if _, beta := iso.Coefficients(); beta != 0 {
		return false
	}
	_, _, _, _, dq0, _ := iso.Weights(0)
	_, _, _, dp1, _, _ := iso.Weights(1)
	return dq0-dp1 > 0
}

// Class is the classification of the rescaled equation (Omega is ω·T).
func (c *ClosedInterval) Class() Class {
	cl := Class{Closed: true, Kind: c.sol.Kind(), Omega: c.sol.Omega(), Err: c.sol.Err()}
	if p := c.sol.Isotropic(); p != nil {
		cl.Isotropic = true
		cl.Alpha, cl.Beta = p.Coefficients()
	}
	return cl
}
