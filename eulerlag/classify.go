package eulerlag

import (
	"fmt"
	"strconv"

	"github.com/lagc-dev/lagc/autodiff"
	"github.com/lagc-dev/lagc/runtime/closedform"
)

// Class says how the two-point problem of a System is solved: by a closed
// form, when the Euler–Lagrange equations are linear with constant
// coefficients (a = A x + B v + c with A, B, c free of x, v and t), or
// numerically. Its String is the line lagc derive prints, such as
// "closed form: harmonic, ω = 1.5707963267948966" or "numeric: nonlinear in x".
type Class struct {
	// Closed reports a closed form.
	Closed bool
	// Isotropic reports A = α·I and B = β·I, recognised structurally, so
	// for every dimension; otherwise A and B are matrices at the dimension
	// classified.
	Isotropic bool
	// Kind is the shape of the closed form at the parameters and dimension
	// classified.
	Kind closedform.Kind
	// Omega is the frequency of the harmonic and inverted kinds.
	Omega float64
	// Alpha and Beta are α and β of an isotropic equation a = α x + β v + c.
	Alpha, Beta float64
	// Reason says why there is no closed form, e.g. "nonlinear in x".
	Reason string
	// Err is non-nil when the closed-form paths are stationary but not
	// least-action paths (a conjugate point in (0, 1]).
	Err error
}

func (c Class) String() string {
	if !c.Closed {
		return "numeric: " + c.Reason
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	var s string
	switch c.Kind {
	case closedform.Straight:
		s = "closed form: straight line"
	case closedform.ConstantForce:
		s = "closed form: constant force"
	case closedform.Harmonic:
		s = "closed form: harmonic, ω = " + f(c.Omega)
	case closedform.Inverted:
		s = "closed form: inverted harmonic, ω = " + f(c.Omega)
	case closedform.Damped:
		s = "closed form: linear, isotropic (a = α·x + β·v + c), α = " + f(c.Alpha) + ", β = " + f(c.Beta)
	default:
		s = "closed form: linear, constant coefficients (matrix exponential)"
	}
	if c.Err != nil {
		s += "; but " + c.Err.Error()
	}
	return s
}

// Classify classifies the system with its parameters' values, at its fixed
// dimension or else its smallest admissible one. The structure (linear,
// isotropic) is recognised symbolically and holds at every dimension; the
// kind and frequency depend on the parameters.
//
// Classify adds nodes to s.G, so it must not run concurrently with other
// uses of the graph.
func (s *System) Classify() Class {
	d := s.Dim
	if d == 0 {
		d = max(s.MinDim, 1)
	}
	ev, err := s.Evaluator(d)
	if err != nil {
		return Class{Reason: err.Error()}
	}
	c, _ := s.classify(ev)
	return c
}

// classify completes the structural classification with the coefficients
// read off ev's acceleration, returning the closed form too when there is
// one.
func (s *System) classify(ev *Evaluator) (Class, *closedform.Solution) {
	iso, reason := s.linearity()
	if reason != "" {
		return Class{Reason: reason}, nil
	}
	// A mass that is not positive definite makes the acceleration NaN;
	// say so, rather than let the closed form blame a non-finite value.
	zero := make([]float64, ev.Dim())
	if err := ev.AccelErr(make([]float64, ev.Dim()), 0, zero, zero); err != nil {
		return Class{Reason: fmt.Sprintf("linear with constant coefficients, but %v", err)}, nil
	}
	sol, err := closedform.New(ev.Dim(), ev.Accel, ev.L, iso)
	if err != nil {
		return Class{Reason: fmt.Sprintf("linear with constant coefficients, but at the parameters given: %v", err)}, nil
	}
	c := Class{Closed: true, Isotropic: iso, Kind: sol.Kind(), Err: sol.Err()}
	if p := sol.Isotropic(); p != nil {
		c.Alpha, c.Beta = p.Coefficients()
		c.Omega = p.Omega()
	}
	return c, sol
}

// linearity recognises a = A x + B v + c with A, B, c free of x, v and t
// from the derived graph: the directional derivatives of a along fresh
// directions δx and δv must be free of x, v and t, and a free of t. It
// returns why not, or whether A = α·I and B = β·I.
func (s *System) linearity() (isotropic bool, reason string) {
	g := s.G
	if s.A == nil {
		for _, in := range []*autodiff.Node{s.X, s.V, s.T} {
			if s.MW.DependsOn(in) {
				return false, "non-constant mass matrix"
			}
		}
		return false, "constant mass matrix that is not a multiple of the identity (not handled in closed form)"
	}
	a := s.A
	if a.DependsOn(s.T) {
		return false, "depends on t"
	}
	// The direction names cannot clash with the user's: .lag identifiers
	// are ASCII.
	dx, dv := g.VecVar("δx"), g.VecVar("δv")
	ax := g.JVP(a, map[*autodiff.Node]*autodiff.Node{s.X: dx})
	bv := g.JVP(a, map[*autodiff.Node]*autodiff.Node{s.V: dv})
	switch {
	case ax.DependsOn(s.X):
		return false, "nonlinear in x"
	case bv.DependsOn(s.V):
		return false, "nonlinear in v"
	case ax.DependsOn(s.V) || bv.DependsOn(s.X):
		return false, "nonlinear (products of x and v)"
	}
	return scaledOrZero(g, ax, dx) && scaledOrZero(g, bv, dv), ""
}

func scaledOrZero(g *autodiff.Graph, e, w *autodiff.Node) bool {
	if c, ok := constOf(e); ok && c == 0 {
		return true
	}
	_, ok := scaledIdentity(g, e, w)
	return ok
}
