package eulerlag

import (
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/ast"
	"github.com/lagc-dev/lagc/autodiff"
	"github.com/lagc-dev/lagc/dsl"
)

// Load parses, checks and derives a .lag file. overrides sets parameter
// values (-p NAME=VALUE) and may be nil. Errors in the text are a
// dsl.ErrorList; use dsl.Detail to print them with the source line.
func Load(filename string, src []byte, overrides map[string]float64) (*System, error) {
	info, err := dsl.Load(filename, src, overrides)
	if err != nil {
		return nil, err
	}
	return FromInfo(info)
}

// FromInfo derives the Euler–Lagrange equations of a checked file.
// Parameters stay symbolic (inputs of the graph), so an Evaluator can change
// them without deriving again.
func FromInfo(info *dsl.Info) (sys *System, err error) {
	defer func() {
		// expr panics only on a checker bug; report it instead of crashing.
		if r := recover(); r != nil {
			sys, err = nil, fmt.Errorf("internal error: %v (please report this with the .lag file)", r)
		}
	}()
	g := autodiff.NewGraph()
	lw := &lowerer{g: g, info: info, bound: map[string]*autodiff.Node{}, params: map[string]bool{}}
	params := make([]Param, len(info.Params))
	for i, p := range info.Params {
		params[i] = Param{Name: p.Name, Value: p.Value, Lower: p.Lower, Upper: p.Upper}
		lw.params[p.Name] = true
	}
	for _, b := range info.Bindings {
		lw.bound[b.Name] = lw.expr(b.Value)
	}
	L := lw.expr(info.L)
	sys, err = Derive(g, L, params)
	if err != nil {
		return nil, dsl.ErrorList{info.Errorf(info.LPos, "%v", err)}
	}
	sys.Dim = info.Dim
	sys.MinDim = max(1, info.MinDim)
	if info.LPos.IsValid() {
		sys.Where = info.LPos.String()
	}
	return sys, nil
}

type lowerer struct {
	g      *autodiff.Graph
	info   *dsl.Info
	bound  map[string]*autodiff.Node
	params map[string]bool
}

// expr lowers a checked expression. The checker has guaranteed types and
// names, so a failure here is a bug in the checker, not in the user's text.
func (lw *lowerer) expr(e ast.Expr) *autodiff.Node {
	g := lw.g
	switch e := e.(type) {
	case *ast.Number:
		return g.Const(e.Value)
	case *ast.Ident:
		switch e.Name {
		case "x", "v":
			return g.VecVar(e.Name)
		case "t", "d":
			return g.Var(e.Name)
		case "pi":
			return g.Const(math.Pi)
		}
		if n, ok := lw.bound[e.Name]; ok {
			return n
		}
		if lw.params[e.Name] {
			return g.Var(e.Name)
		}
	case *ast.Unary:
		x := lw.expr(e.X)
		if e.Op == "-" {
			return g.Neg(x)
		}
		return x
	case *ast.Binary:
		x, y := lw.expr(e.X), lw.expr(e.Y)
		switch e.Op {
		case "+":
			return g.Add(x, y)
		case "-":
			return g.Sub(x, y)
		case "*":
			return g.Mul(x, y)
		case "/":
			return g.Div(x, y)
		case "^":
			return g.Pow(x, y)
		}
	case *ast.Norm:
		return g.Norm(lw.expr(e.X))
	case *ast.Index:
		return g.Index(lw.expr(e.X), e.Index)
	case *ast.VecLit:
		el := make([]*autodiff.Node, len(e.Elems))
		for i, x := range e.Elems {
			el[i] = lw.expr(x)
		}
		return g.VecLit(el...)
	case *ast.Call:
		args := make([]*autodiff.Node, len(e.Args))
		for i, x := range e.Args {
			args[i] = lw.expr(x)
		}
		switch e.Fun.Name {
		case "dot":
			return g.Dot(args[0], args[1])
		case "sum":
			return g.Sum(args[0])
		}
		if op, ok := autodiff.FuncOp(e.Fun.Name); ok && len(args) == 1 {
			return g.Func(op, args[0])
		}
	}
	panic(fmt.Sprintf("eulerlag: cannot lower checked expression %s at %v", ast.String(e), e.Pos()))
}
