package eulerlag

import (
	"fmt"
	"sync"

	"github.com/lagc-dev/lagc/autodiff"
)

// Param is a scalar parameter of a Lagrangian.
type Param struct {
	Name  string
	Value float64
	// Lower ≤ Value ≤ Upper are the bounds the file declares
	// (param w = 0.5 in [0, 3]); −Inf and +Inf when it declares none.
	Lower, Upper float64
}

// System holds the Euler–Lagrange equations of one Lagrangian, derived
// symbolically and valid at every dimension d (≥ MinDim, or = Dim when the
// file fixes it).
//
// With p = ∂L/∂v, f = ∂L/∂x and M = ∂²L/∂v², the equation d/dt p = f reads
//
//	M a = f − (∂p/∂x)·v − ∂p/∂t =: R.
type System struct {
	G *autodiff.Graph
	// Inputs: x and v (vectors), t (scalar), W (a vector standing for the
	// direction w in M·w).
	X, V, T, W *autodiff.Node

	L   *autodiff.Node // the Lagrangian
	P   *autodiff.Node // p = ∂L/∂v
	F   *autodiff.Node // f = ∂L/∂x
	MW  *autodiff.Node // M·w, linear in W
	R   *autodiff.Node // the right-hand side R
	DPX *autodiff.Node // (∂p/∂x)·v
	DPT *autodiff.Node // ∂p/∂t

	// Mass is m when M = m·I structurally (the common case ½m|v|² − U),
	// else nil, in which case M is assembled and factorised numerically.
	Mass *autodiff.Node
	// A is the acceleration M⁻¹R when Mass is known, else nil.
	A *autodiff.Node

	Params []Param
	Dim    int // fixed dimension, 0 if dimension-generic
	MinDim int // smallest admissible dimension

	// Where reports the source position of the Lagrangian for errors found
	// late ("file:line:col"); empty when the system was built directly.
	Where string

	once  sync.Once
	progs *programs
}

// Derive derives the Euler–Lagrange equations of the Lagrangian L, a scalar
// node of g over the inputs named "x", "v" (vectors) and "t".
func Derive(g *autodiff.Graph, L *autodiff.Node, params []Param) (*System, error) {
	if L.IsVector() {
		return nil, fmt.Errorf("the Lagrangian must be a scalar, got a vector")
	}
	s := &System{G: g, X: g.VecVar("x"), V: g.VecVar("v"), T: g.Var("t"), W: g.VecVar("w"), L: L,
		Params: params, MinDim: 1}
	s.P = g.Grad(L, s.V)
	s.F = g.Grad(L, s.X)
	s.MW = g.JVP(s.P, map[*autodiff.Node]*autodiff.Node{s.V: s.W})
	if !s.MW.DependsOn(s.W) {
		return nil, fmt.Errorf("L is degenerate in v: ∂²L/∂v² = 0 everywhere (L is at most linear in v), so the Euler–Lagrange equations do not determine the acceleration; add a kinetic term such as 0.5*|v|^2")
	}
	s.DPX = g.JVP(s.P, map[*autodiff.Node]*autodiff.Node{s.X: s.V})
	s.DPT = g.Deriv(s.P, s.T)
	s.R = g.Sub(g.Sub(s.F, s.DPX), s.DPT)
	if m, ok := scaledIdentity(g, s.MW, s.W); ok {
		s.Mass = m
		s.A = cancel(g, s.R, m)
	}
	return s, nil
}

// scaledIdentity recognises e = m·w, with m a scalar free of w, and returns m.
func scaledIdentity(g *autodiff.Graph, e, w *autodiff.Node) (*autodiff.Node, bool) {
	if e == w {
		return g.Const(1), true
	}
	if !e.DependsOn(w) {
		return nil, false // a nonzero vector free of w is not linear in w
	}
	args := e.Args()
	switch e.Op() {
	case autodiff.OpNeg:
		if m, ok := scaledIdentity(g, args[0], w); ok {
			return g.Neg(m), true
		}
	case autodiff.OpAdd, autodiff.OpSub:
		ma, okA := scaledPart(g, args[0], w)
		mb, okB := scaledPart(g, args[1], w)
		if okA && okB {
			if e.Op() == autodiff.OpAdd {
				return g.Add(ma, mb), true
			}
			return g.Sub(ma, mb), true
		}
	case autodiff.OpMul:
		a, b := args[0], args[1]
		if !a.IsVector() && !a.DependsOn(w) {
			if m, ok := scaledIdentity(g, b, w); ok {
				return g.Mul(a, m), true
			}
		}
		if !b.IsVector() && !b.DependsOn(w) {
			if m, ok := scaledIdentity(g, a, w); ok {
				return g.Mul(m, b), true
			}
		}
	}
	// No OpDiv case: Graph.Div of a w-linear numerator by a w-free scalar
	// never reaches here, because the JVPs that build M·w and the
	// Jacobians classify inspects write quotients as products with a
	// reciprocal (1/m*w).
	return nil, false
}

// scaledPart is scaledIdentity that also accepts terms free of w only when
// they are the zero vector.
func scaledPart(g *autodiff.Graph, e, w *autodiff.Node) (*autodiff.Node, bool) {
	if !e.DependsOn(w) {
		if c, ok := constOf(e); ok && c == 0 {
			return g.Const(0), true
		}
		return nil, false
	}
	return scaledIdentity(g, e, w)
}

func constOf(e *autodiff.Node) (float64, bool) {
	switch e.Op() {
	case autodiff.OpConst:
		return e.Value(), true
	case autodiff.OpFill:
		if a := e.Args()[0]; a.Op() == autodiff.OpConst {
			return a.Value(), true
		}
	}
	return 0, false
}

// cancel returns e/m, dividing m out of products structurally where it is a
// factor, so that a = R/m stays free of m for Lagrangians such as
// exp(g*t)*(½|v|² − U) whose mass is a common factor.
func cancel(g *autodiff.Graph, e, m *autodiff.Node) *autodiff.Node {
	if r, ok := tryCancel(g, e, m); ok {
		return r
	}
	return g.Div(e, m)
}

func tryCancel(g *autodiff.Graph, e, m *autodiff.Node) (*autodiff.Node, bool) {
	if m.IsConst(1) {
		return e, true
	}
	if c, ok := constOf(e); ok && c == 0 {
		return e, true
	}
	if e == m {
		return g.Const(1), true
	}
	args := e.Args()
	switch e.Op() {
	case autodiff.OpNeg:
		if r, ok := tryCancel(g, args[0], m); ok {
			return g.Neg(r), true
		}
	case autodiff.OpAdd, autodiff.OpSub:
		ra, okA := tryCancel(g, args[0], m)
		rb, okB := tryCancel(g, args[1], m)
		if okA && okB {
			return g.Binary(e.Op(), ra, rb), true
		}
	case autodiff.OpMul:
		if r, ok := tryCancel(g, args[0], m); ok {
			return g.Mul(r, args[1]), true
		}
		if r, ok := tryCancel(g, args[1], m); ok {
			return g.Mul(args[0], r), true
		}
	case autodiff.OpDiv:
		if r, ok := tryCancel(g, args[0], m); ok {
			return g.Div(r, args[1]), true
		}
	}
	return nil, false
}
