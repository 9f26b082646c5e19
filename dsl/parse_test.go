package dsl_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lagc-dev/lagc/ast"
	"github.com/lagc-dev/lagc/dsl"
)

// ignorePos compares trees by shape and content only.
var ignorePos = cmp.Options{cmpopts.IgnoreTypes(ast.Pos{}), cmpopts.EquateEmpty()}

// sexpr writes the shape of e with every node explicit, independently of the
// printer under test.
func sexpr(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Number:
		return e.Lit
	case *ast.Ident:
		return e.Name
	case *ast.Unary:
		return "(" + e.Op + " " + sexpr(e.X) + ")"
	case *ast.Binary:
		return "(" + e.Op + " " + sexpr(e.X) + " " + sexpr(e.Y) + ")"
	case *ast.Norm:
		return "(norm " + sexpr(e.X) + ")"
	case *ast.Call:
		var args []string
		for _, a := range e.Args {
			args = append(args, sexpr(a))
		}
		return "(" + e.Fun.Name + " " + strings.Join(args, " ") + ")"
	case *ast.Index:
		return fmt.Sprintf("(index %s %d)", sexpr(e.X), e.Index)
	case *ast.VecLit:
		var xs []string
		for _, x := range e.Elems {
			xs = append(xs, sexpr(x))
		}
		return "[" + strings.Join(xs, " ") + "]"
	}
	return fmt.Sprintf("?%T", e)
}

func parseExpr(t *testing.T, src string) ast.Expr {
	t.Helper()
	f, err := dsl.ParseFile("e.lag", []byte(src))
	if err != nil {
		t.Fatalf("ParseFile(%q): %v", src, dsl.Detail(err))
	}
	if len(f.Stmts) != 1 {
		t.Fatalf("ParseFile(%q): %d statements, want 1", src, len(f.Stmts))
	}
	s, ok := f.Stmts[0].(*ast.ExprStmt)
	if !ok {
		t.Fatalf("ParseFile(%q): %T, want *ast.ExprStmt", src, f.Stmts[0])
	}
	return s.X
}

func TestParsePrecedence(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"1 + 2*3", "(+ 1 (* 2 3))"},
		{"1 - 2 - 3", "(- (- 1 2) 3)"},
		{"8/4/2", "(/ (/ 8 4) 2)"},
		{"2^3^2", "(^ 2 (^ 3 2))"},
		{"-x^2", "(- (^ x 2))"},
		{"-a*b", "(* (- a) b)"},
		{"a*-b", "(* a (- b))"},
		{"2^-1", "(^ 2 (- 1))"},
		{"2^-x^2", "(^ 2 (- (^ x 2)))"},
		{"a^-b*c", "(* (^ a (- b)) c)"},
		{"- -x", "(- (- x))"},
		{"+x", "(+ x)"},
		{"(a + b)*c", "(* (+ a b) c)"},
		{"((a))", "a"},
		{"|v|^2", "(^ (norm v) 2)"},
		{"|x-c|^2", "(^ (norm (- x c)) 2)"},
		{"|a|*|b|", "(* (norm a) (norm b))"},
		{"|x - |y||", "(norm (- x (norm y)))"},
		{"||x||", "(norm (norm x))"},
		{"|a*|b|*c|", "(norm (* (* a (norm b)) c))"},
		{"-|x|", "(- (norm x))"},
		{"dot(a, b)", "(dot a b)"},
		{"sum(x)", "(sum x)"},
		{"f()", "(f )"},
		{"x[0]", "(index x 0)"},
		{"x[1]^2", "(^ (index x 1) 2)"},
		{"-x[0]", "(- (index x 0))"},
		{"(x + v)[2]", "(index (+ x v) 2)"},
		{"x[0][1]", "(index (index x 0) 1)"},
		{"[1, 0]", "[1 0]"},
		{"[x[1], -x[0]]", "[(index x 1) (- (index x 0))]"},
		{"[1, 2][0]", "(index [1 2] 0)"},
		{"1e-3 + .5 + 2. + 1E+2", "(+ (+ (+ 1e-3 .5) 2.) 1E+2)"},
		{"exp(-|x - c|^2/s^2)", "(exp (/ (- (^ (norm (- x c)) 2)) (^ s 2)))"},
		{"a +\n b", "(+ a b)"},
		{"f(a,\n b)", "(f a b)"},
	} {
		if got := sexpr(parseExpr(t, tc.src)); got != tc.want {
			t.Errorf("%q parses as %s, want %s", tc.src, got, tc.want)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want float64
	}{
		{"1e-3", 1e-3}, {".5", 0.5}, {"2.", 2}, {"3.25e2", 325}, {"0", 0}, {"007", 7},
	} {
		n, ok := parseExpr(t, tc.src).(*ast.Number)
		if !ok || n.Value != tc.want || n.Lit != tc.src {
			t.Errorf("%q: got %#v, want Number{Lit: %q, Value: %v}", tc.src, n, tc.src, tc.want)
		}
	}
}

func TestParseStatements(t *testing.T) {
	src := "# comment\nparam w = pi/2 # trailing\n\ndim 2; c = [0, 0]\n\tL = 0.5*|v|^2 - w*|x - c|^2\n"
	f, err := dsl.ParseFile("s.lag", []byte(src))
	if err != nil {
		t.Fatal(dsl.Detail(err))
	}
	w := func(name string) *ast.Ident { return &ast.Ident{Name: name} }
	want := &ast.File{Name: "s.lag", Stmts: []ast.Stmt{
		&ast.ParamStmt{Name: w("w"), Value: &ast.Binary{X: w("pi"), Op: "/", Y: &ast.Number{Lit: "2", Value: 2}}},
		&ast.DimStmt{N: 2},
		&ast.LetStmt{Name: w("c"), Value: &ast.VecLit{Elems: []ast.Expr{&ast.Number{Lit: "0"}, &ast.Number{Lit: "0"}}}},
		&ast.LetStmt{Name: w("L"), Value: f.Stmts[3].(*ast.LetStmt).Value},
	}}
	if d := cmp.Diff(want, f, ignorePos); d != "" {
		t.Errorf("tree mismatch (-want +got):\n%s", d)
	}
	// Positions, checked against the text.
	for _, tc := range []struct {
		n    ast.Node
		want string // file:line:col
	}{
		{f.Stmts[0], "s.lag:2:1"},
		{f.Stmts[0].(*ast.ParamStmt).Name, "s.lag:2:7"},
		{f.Stmts[1].(*ast.DimStmt), "s.lag:4:1"},
		{f.Stmts[2], "s.lag:4:8"},
		{f.Stmts[3], "s.lag:5:2"},
	} {
		if got := tc.n.Pos().String(); got != tc.want {
			t.Errorf("%s at %s, want %s", ast.String(tc.n), got, tc.want)
		}
	}
	if got := f.Stmts[1].(*ast.DimStmt).NPos.String(); got != "s.lag:4:5" {
		t.Errorf("dim N at %s, want s.lag:4:5", got)
	}
}

// TestPositionsSpanSource checks Pos and End of every node of a parsed
// expression against the source: the text between them, parsed again, is
// the same subtree. (The expressions avoid parenthesised first and last
// operands, whose nodes start or end inside the parentheses.)
func TestPositionsSpanSource(t *testing.T) {
	for _, src := range []string{
		"0.5*|v|^2 - 0.5*w^2*|x|^2",
		"exp(g*t)*0.5*|v|^2/w",
		"-x[1]^2 + dot([x[1], -x[0]], v) + 1e-3*sum(cos(x))",
		"|x - |y|| + |a|*|b|",
	} {
		root := parseExpr(t, src)
		ast.Inspect(root, func(n ast.Node) bool {
			e, ok := n.(ast.Expr)
			if !ok {
				return true
			}
			p, end := e.Pos(), e.End()
			if p.Line != 1 || end.Line != 1 || end.Column-p.Column != end.Offset-p.Offset {
				t.Errorf("%q: node %s spans %v..%v", src, ast.String(e), p, end)
				return false
			}
			text := src[p.Offset:end.Offset]
			if got := parseExpr(t, text); !cmp.Equal(got, e, ignorePos) {
				t.Errorf("%q: node %s spans %q", src, ast.String(e), text)
			}
			return true
		})
	}
}

// TestNestingLimit: nesting up to MaxDepth parses, deeper nesting of every
// kind is a clean error naming the limit, never a stack overflow.
func TestNestingLimit(t *testing.T) {
	n := dsl.MaxDepth
	for _, tc := range []struct {
		name       string
		okay, deep string
	}{
		{"parentheses", strings.Repeat("(", n-2) + "x" + strings.Repeat(")", n-2), strings.Repeat("(", n+1) + "x" + strings.Repeat(")", n+1)},
		{"norms", strings.Repeat("|", n-2) + "x" + strings.Repeat("|", n-2), strings.Repeat("|", n+1) + "x" + strings.Repeat("|", n+1)},
		{"calls", strings.Repeat("sin(", n-2) + "x" + strings.Repeat(")", n-2), strings.Repeat("sin(", n+1) + "x" + strings.Repeat(")", n+1)},
		{"prefix", strings.Repeat("-", n-2) + "x", strings.Repeat("-", n+1) + "x"},
		{"powers", strings.Repeat("x^", n-2) + "x", strings.Repeat("x^", n+1) + "x"},
		{"indices", "x" + strings.Repeat("[0]", n-2), "x" + strings.Repeat("[0]", n+1)},
		{"vectors", strings.Repeat("[", n-2) + "x" + strings.Repeat("]", n-2), strings.Repeat("[", n+1) + "x" + strings.Repeat("]", n+1)},
	} {
		if _, err := dsl.ParseFile("n.lag", []byte("L = "+tc.okay)); err != nil {
			t.Errorf("%s nested %d deep: %v", tc.name, n-2, err)
		}
		_, err := dsl.ParseFile("n.lag", []byte("L = "+tc.deep))
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("nested too deeply (more than %d levels)", n)) {
			t.Errorf("%s nested %d deep: error %v, want the nesting limit", tc.name, n+1, err)
		}
	}
}
