package ast_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/ast"
)

func num(lit string) *ast.Number { return &ast.Number{Lit: lit} }
func id(name string) *ast.Ident  { return &ast.Ident{Name: name} }
func bin(x ast.Expr, op string, y ast.Expr) *ast.Binary {
	return &ast.Binary{X: x, Op: op, Y: y}
}
func neg(x ast.Expr) *ast.Unary { return &ast.Unary{Op: "-", X: x} }

func TestPrint(t *testing.T) {
	for _, tc := range []struct {
		n    ast.Node
		want string
	}{
		{num("1e-3"), "1e-3"},
		{&ast.Number{Value: 0.25}, "0.25"},
		{bin(id("a"), "+", bin(id("b"), "*", id("c"))), "a + b*c"},
		{bin(bin(id("a"), "+", id("b")), "*", id("c")), "(a + b)*c"},
		{bin(bin(id("a"), "-", id("b")), "-", id("c")), "a - b - c"},
		{bin(id("a"), "-", bin(id("b"), "-", id("c"))), "a - (b - c)"},
		{bin(id("a"), "/", bin(id("b"), "*", id("c"))), "a/(b*c)"},
		{bin(id("a"), "^", bin(id("b"), "^", id("c"))), "a^b^c"},
		{bin(bin(id("a"), "^", id("b")), "^", id("c")), "(a^b)^c"},
		{neg(bin(id("x"), "^", num("2"))), "-x^2"},
		{bin(neg(id("x")), "^", num("2")), "(-x)^2"},
		{bin(num("2"), "^", neg(num("1"))), "2^-1"},
		{bin(id("a"), "*", neg(id("b"))), "a*-b"},
		{neg(bin(id("a"), "*", id("b"))), "-(a*b)"},
		{neg(neg(id("x"))), "- -x"},
		{&ast.Norm{X: bin(id("x"), "-", id("c"))}, "|x - c|"},
		{&ast.Call{Fun: id("dot"), Args: []ast.Expr{id("a"), id("b")}}, "dot(a, b)"},
		{&ast.Index{X: id("x"), Index: 3}, "x[3]"},
		{&ast.Index{X: bin(id("x"), "+", id("v")), Index: 0}, "(x + v)[0]"},
		{&ast.Index{X: neg(id("x")), Index: 0}, "(-x)[0]"},
		{&ast.VecLit{Elems: []ast.Expr{&ast.Index{X: id("x"), Index: 1}, neg(&ast.Index{X: id("x")})}}, "[x[1], -x[0]]"},
		{
			bin(bin(num("0.5"), "*", bin(&ast.Norm{X: id("v")}, "^", num("2"))), "-",
				bin(bin(num("0.5"), "*", bin(id("w"), "^", num("2"))), "*", bin(&ast.Norm{X: id("x")}, "^", num("2")))),
			"0.5*|v|^2 - 0.5*w^2*|x|^2",
		},
		{&ast.File{Stmts: []ast.Stmt{
			&ast.ParamStmt{Name: id("w"), Value: bin(id("pi"), "/", num("2"))},
			&ast.DimStmt{N: 2},
			&ast.LetStmt{Name: id("L"), Value: id("w")},
			&ast.ExprStmt{X: id("w")},
		}}, "param w = pi/2\ndim 2\nL = w\nw\n"},
		{bin(id("a"), "+", nil), "a + <nil>"},
	} {
		if got := ast.String(tc.n); got != tc.want {
			t.Errorf("String = %q, want %q", got, tc.want)
		}
		var b strings.Builder
		if err := ast.Fprint(&b, tc.n); err != nil || b.String() != tc.want {
			t.Errorf("Fprint = %q, %v; want %q", b.String(), err, tc.want)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestFprintReportsWriteError(t *testing.T) {
	if err := ast.Fprint(failingWriter{}, id("x")); err == nil || err.Error() != "disk full" {
		t.Errorf("Fprint to a failing writer: %v, want disk full", err)
	}
}

func TestInspectOrder(t *testing.T) {
	// L = f(a, -b)[1] + |c|, visited in source order, each node closed by nil.
	call := &ast.Call{Fun: id("f"), Args: []ast.Expr{id("a"), neg(id("b"))}}
	file := &ast.File{Stmts: []ast.Stmt{&ast.LetStmt{Name: id("L"),
		Value: bin(&ast.Index{X: call, Index: 1}, "+", &ast.Norm{X: id("c")})}}}
	var got []string
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case nil:
			got = append(got, ")")
		case *ast.Ident:
			got = append(got, n.Name)
		default:
			got = append(got, typeName(n))
		}
		return true
	})
	want := "File LetStmt L ) Binary Index Call f ) a ) Unary b ) ) ) ) Norm c ) ) ) ) )"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("visit order\n got %s\nwant %s", s, want)
	}

	// Returning false skips the children and the closing nil.
	var visited int
	ast.Inspect(file, func(n ast.Node) bool {
		visited++
		_, isCall := n.(*ast.Call)
		return !isCall
	})
	// 24 calls in full, less the call's 4 descendants and their 4 closing
	// nils and the call's own closing nil.
	if visited != 15 {
		t.Errorf("visited %d calls with the call's subtree pruned, want 15", visited)
	}
}

func typeName(n ast.Node) string {
	switch n.(type) {
	case *ast.File:
		return "File"
	case *ast.LetStmt:
		return "LetStmt"
	case *ast.Binary:
		return "Binary"
	case *ast.Index:
		return "Index"
	case *ast.Call:
		return "Call"
	case *ast.Unary:
		return "Unary"
	case *ast.Norm:
		return "Norm"
	}
	return "?"
}

func TestPos(t *testing.T) {
	p := ast.Pos{Filename: "a.lag", Offset: 10, Line: 2, Column: 4}
	for _, tc := range []struct {
		p     ast.Pos
		valid bool
		s     string
	}{
		{p, true, "a.lag:2:4"},
		{ast.Pos{Line: 2, Column: 4}, true, "2:4"},
		{ast.Pos{Filename: "a.lag"}, false, "a.lag"},
		{ast.Pos{}, false, "-"},
	} {
		if tc.p.IsValid() != tc.valid || tc.p.String() != tc.s {
			t.Errorf("%#v: IsValid %v String %q, want %v %q", tc.p, tc.p.IsValid(), tc.p.String(), tc.valid, tc.s)
		}
	}
	// End is just past the last character.
	n := &ast.Number{ValuePos: p, Lit: "1e-3"}
	if e := n.End(); e.Offset != 14 || e.Column != 8 || e.Line != 2 {
		t.Errorf("End of %q at %v = %+v, want offset 14 column 8", n.Lit, p, e)
	}
	idx := &ast.Index{X: id("x"), Rbrack: p}
	if e := idx.End(); e.Column != 5 {
		t.Errorf("End of index with ] at column 4 is column %d, want 5", e.Column)
	}
	// Missing children do not panic.
	for _, n := range []ast.Node{&ast.Binary{}, &ast.Unary{}, &ast.LetStmt{}, &ast.ExprStmt{}, &ast.ParamStmt{}, &ast.File{}} {
		_, _ = n.Pos(), n.End()
	}
}
