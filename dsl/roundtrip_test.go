package dsl_test

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lagc-dev/lagc/ast"
	"github.com/lagc-dev/lagc/dsl"
)

// randomExpr builds a random tree of at most the given depth, using every
// node kind; the trees need not type-check, only parse.
func randomExpr(r *rand.Rand, depth int) ast.Expr {
	leaf := func() ast.Expr {
		switch r.IntN(4) {
		case 0:
			lit := []string{"2", ".5", "1e-3", "2.", "10"}[r.IntN(5)]
			v, _ := strconv.ParseFloat(lit, 64)
			return &ast.Number{Lit: lit, Value: v}
		default:
			return &ast.Ident{Name: []string{"x", "v", "a", "b"}[r.IntN(4)]}
		}
	}
	if depth == 0 {
		return leaf()
	}
	sub := func() ast.Expr { return randomExpr(r, depth-1) }
	switch r.IntN(10) {
	case 0:
		return leaf()
	case 1:
		return &ast.Unary{Op: []string{"-", "+"}[r.IntN(2)], X: sub()}
	case 2, 3, 4, 5:
		return &ast.Binary{X: sub(), Op: []string{"+", "-", "*", "/", "^"}[r.IntN(5)], Y: sub()}
	case 6:
		return &ast.Norm{X: sub()}
	case 7:
		args := make([]ast.Expr, r.IntN(3))
		for i := range args {
			args[i] = sub()
		}
		return &ast.Call{Fun: &ast.Ident{Name: "f"}, Args: args}
	case 8:
		return &ast.Index{X: sub(), Index: r.IntN(3)}
	}
	elems := make([]ast.Expr, 1+r.IntN(2))
	for i := range elems {
		elems[i] = sub()
	}
	return &ast.VecLit{Elems: elems}
}

// TestPrintRoundTrip prints random trees, parses the text back and
// compares; it also checks that printing is idempotent and that every pair
// of parentheses the printer writes is needed.
func TestPrintRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 3000
	for i := 0; i < n; i++ {
		want := randomExpr(r, 1+i%5)
		text := ast.String(want)
		got := parseExpr(t, text)
		if d := cmp.Diff(want, got, ignorePos); d != "" {
			t.Fatalf("%s does not parse back (-printed +parsed):\n%s", text, d)
		}
		if again := ast.String(got); again != text {
			t.Fatalf("printing is not idempotent: %s, then %s", text, again)
		}
		for _, cut := range parenPairs(text) {
			trimmed := text[:cut[0]] + text[cut[0]+1:cut[1]] + text[cut[1]+1:]
			f, err := dsl.ParseFile("t.lag", []byte(trimmed))
			if err != nil || len(f.Stmts) != 1 {
				continue
			}
			if s, ok := f.Stmts[0].(*ast.ExprStmt); ok && cmp.Equal(s.X, want, ignorePos) {
				t.Fatalf("%s: the parentheses at %d are not needed (%s means the same)", text, cut[0], trimmed)
			}
		}
	}
}

// parenPairs returns the offsets of matching grouping parentheses (not
// those of calls, which follow a name).
func parenPairs(s string) [][2]int {
	var stack []int
	var pairs [][2]int
	for i, c := range s {
		switch c {
		case '(':
			stack = append(stack, i)
		case ')':
			open := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if open == 0 || !strings.ContainsAny(s[open-1:open], "abcdefghijklmnopqrstuvwxyz") {
				pairs = append(pairs, [2]int{open, i})
			}
		}
	}
	return pairs
}

// TestParamBoundsPrint: bounds print as written (canonically) and parse
// back to the same statement, whose End is just past the `]`.
func TestParamBoundsPrint(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"param  w=0.5   in[0,3]", "param w = 0.5 in [0, 3]"},
		{"param w = 1 in [ -inf , 2*pi ]", "param w = 1 in [-inf, 2*pi]"},
		{"param w = (1) in [(0), (1 + 2)]", "param w = 1 in [0, 1 + 2]"},
		{"param w = 1", "param w = 1"},
	} {
		f, err := dsl.ParseFile("p.lag", []byte(tc.src))
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		got := ast.String(f.Stmts[0])
		if got != tc.want {
			t.Errorf("%q prints as %q, want %q", tc.src, got, tc.want)
		}
		again, err := dsl.ParseFile("p.lag", []byte(got))
		if err != nil || !cmp.Equal(f, again, ignorePos) {
			t.Errorf("%q reparses differently: %v", got, err)
		}
		if end := f.Stmts[0].End(); end.Offset != len(strings.TrimRight(tc.src, " ")) {
			t.Errorf("%q: End at offset %d, want %d", tc.src, end.Offset, len(tc.src))
		}
		var seen []string
		ast.Inspect(f, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				seen = append(seen, id.Name)
			}
			return true
		})
		if strings.Contains(tc.src, "inf") && !slices.Contains(seen, "inf") {
			t.Errorf("%q: Inspect did not visit the bounds (saw %v)", tc.src, seen)
		}
	}
}
