package eulerlag

import (
	"github.com/lagc-dev/lagc/runtime/closedform"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// Instantiate returns the system at dimension d as the runtime consumes it:
// a *ClosedEvaluator, which also implements lagrangian.ClosedForm, when the
// Euler–Lagrange equations are linear with constant coefficients (so
// runtime/bvp uses the exact paths automatically), else the plain
// *Evaluator.
func (s *System) Instantiate(d int) (lagrangian.System, error) {
	ev, err := s.Evaluator(d)
	if err != nil {
		return nil, err
	}
	c, sol := s.classify(ev)
	if !c.Closed {
		return ev, nil
	}
	return &ClosedEvaluator{Evaluator: ev, sol: sol}, nil
}

// ClosedEvaluator is an Evaluator whose least-action paths have a closed
// form (see closedform.Solution). Path and Action return an error when the
// stationary path is not a least-action path (a conjugate point in (0, 1]).
type ClosedEvaluator struct {
	*Evaluator
	sol *closedform.Solution
}

var _ lagrangian.ClosedForm = (*ClosedEvaluator)(nil)

// Path writes the position and velocity at time t of the least-action path
// from x0 to x1.
func (c *ClosedEvaluator) Path(xt, vt []float64, t float64, x0, x1 []float64) error {
	return c.sol.Path(xt, vt, t, x0, x1)
}

// Action returns the least action ∫₀¹ L dt from x0 to x1.
func (c *ClosedEvaluator) Action(x0, x1 []float64) (float64, error) {
	return c.sol.Action(x0, x1)
}

// Class is the classification at the evaluator's parameters.
func (c *ClosedEvaluator) Class() Class {
	cl := Class{Closed: true, Kind: c.sol.Kind(), Omega: c.sol.Omega(), Err: c.sol.Err()}
	if p := c.sol.Isotropic(); p != nil {
		cl.Isotropic = true
		cl.Alpha, cl.Beta = p.Coefficients()
	}
	return cl
}

// SetParam changes a parameter and recomputes the closed form, whose
// coefficients (and whether a conjugate point appears) depend on it.
func (c *ClosedEvaluator) SetParam(name string, value float64) error {
	if err := c.Evaluator.SetParam(name, value); err != nil {
		return err
	}
	sol, err := closedform.New(c.Dim(), c.Evaluator.Accel, c.Evaluator.L, c.sol.Isotropic() != nil)
	if err != nil {
		return err
	}
	c.sol = sol
	return nil
}

// Clone returns an independent evaluator with its own buffers.
func (c *ClosedEvaluator) Clone() lagrangian.System {
	ev := c.Evaluator.Clone().(*Evaluator)
	sol, err := closedform.New(ev.Dim(), ev.Accel, ev.L, c.sol.Isotropic() != nil)
	if err != nil {
		panic(err) // unreachable: the same coefficients succeeded before
	}
	return &ClosedEvaluator{Evaluator: ev, sol: sol}
}

var _ lagrangian.EuclideanCoupling = (*ClosedEvaluator)(nil)

// EuclideanCoupling reports whether the least action is κ|x1 − x0|² plus
// terms of x0 alone and of x1 alone with κ > 0. For an isotropic solution
// with β = 0 and the canonical Lagrangian ½|v|² + ½α|x|² + c·x, the action
// is ½(x1·v1 − x0·v0) plus linear terms, with v0 = p'(0)x0 + q'(0)x1 + …
// and v1 = p'(1)x0 + q'(1)x1 + …, so the coefficient of x0·x1 is
// (p'(1) − q'(0))/2 = −κ·2/2.
func (c *ClosedEvaluator) EuclideanCoupling() bool {
	iso := c.sol.Isotropic()
	if iso == nil || !c.sol.Canonical() || c.sol.Err() != nil {
		return false
	}
	if _, beta := iso.Coefficients(); beta != 0 {
		return false
	}
	_, _, _, _, dq0, _ := iso.Weights(0)
	_, _, _, dp1, _, _ := iso.Weights(1)
	return dq0-dp1 > 0
}
