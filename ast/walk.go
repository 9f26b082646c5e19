package ast

// Inspect traverses the tree rooted at n in depth-first order, like
// go/ast.Inspect: it calls f(n); if f returns true, Inspect visits each of
// n's children in source order and then calls f(nil). Missing (nil) children
// are skipped.
func Inspect(n Node, f func(Node) bool) {
	if isNil(n) || !f(n) {
		return
	}
	switch n := n.(type) {
	case *File:
		for _, s := range n.Stmts {
			Inspect(s, f)
		}
	case *ParamStmt:
		Inspect(n.Name, f)
		Inspect(n.Value, f)
		Inspect(n.Lo, f)
		Inspect(n.Hi, f)
	case *LetStmt:
		Inspect(n.Name, f)
		Inspect(n.Value, f)
	case *ExprStmt:
		Inspect(n.X, f)
	case *Unary:
		Inspect(n.X, f)
	case *Binary:
		Inspect(n.X, f)
		Inspect(n.Y, f)
	case *Norm:
		Inspect(n.X, f)
	case *Call:
		Inspect(n.Fun, f)
		for _, a := range n.Args {
			Inspect(a, f)
		}
	case *Index:
		Inspect(n.X, f)
	case *VecLit:
		for _, e := range n.Elems {
			Inspect(e, f)
		}
	}
	f(nil)
}
