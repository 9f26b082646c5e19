package eulerlag

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/ast"
	"github.com/lagc-dev/lagc/autodiff"
	"github.com/lagc-dev/lagc/dsl"
)

// derivedText is what lagc derive prints for a system: every derived
// expression as NAME = expression, with shared parts as temporaries.
func derivedText(t *testing.T, sys *System) string {
	t.Helper()
	outs := []autodiff.Named{{Name: "L", Node: sys.L}, {Name: "p", Node: sys.P}, {Name: "f", Node: sys.F}}
	for name, n := range map[string]*autodiff.Node{"m": sys.Mass, "M_w": sys.MW, "a": sys.A, "R": sys.R} {
		if n != nil {
			outs = append(outs, autodiff.Named{Name: name, Node: n})
		}
	}
	var b bytes.Buffer
	if err := autodiff.Format(&b, outs, autodiff.Text, "x", "v", "t", "d"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// randomLagrangian writes a random scalar expression in x, v, t of about
// the given depth, using every operator and function of the language.
func randomLagrangian(r *rand.Rand, depth int) string {
	if depth == 0 {
		return []string{"x[0]", "v[0]", "x[1]", "v[1]", "t", "|x|", "|v|^2", "2", "0.5", "w"}[r.IntN(10)]
	}
	sub := func() string { return randomLagrangian(r, depth-1) }
	switch r.IntN(9) {
	case 0:
		return sub() + " + " + sub()
	case 1:
		return sub() + " - (" + sub() + ")"
	case 2:
		return "(" + sub() + ")*(" + sub() + ")"
	case 3:
		return "(" + sub() + ")/(2 + (" + sub() + ")^2)"
	case 4:
		return "(" + sub() + ")^2"
	case 5:
		return "-(" + sub() + ")"
	case 6:
		return []string{"sin", "cos", "exp", "tanh", "sqrt", "log"}[r.IntN(6)] + "(1 + (" + sub() + ")^2)"
	case 7:
		return "dot([" + sub() + ", " + sub() + "], v)"
	}
	return "|v|^2*(" + sub() + ")"
}

// TestDerivedTextParses: everything the derivation prints parses again as
// .lag text (the property lagc derive relies on), for the examples, random
// Lagrangians, long sums and deep nests.
func TestDerivedTextParses(t *testing.T) {
	var srcs []string
	files, _ := filepath.Glob("../examples/lagrangians/*.lag")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, string(b))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 60 {
		srcs = append(srcs, "param w = 1.5\nL = 0.5*|v|^2 + "+randomLagrangian(r, 1+r.IntN(5))+"\n")
	}
	var sum, prod strings.Builder
	for i := range 300 {
		fmt.Fprintf(&sum, " - x[%d]*x[%d]*v[%d]", i, i+1, i)
		fmt.Fprintf(&prod, "*(1 + x[%d]^2)", i%7)
	}
	srcs = append(srcs,
		"dim 301\nL = 0.5*|v|^2"+sum.String()+"\n",
		"L = 0.5*|v|^2*(1"+prod.String()+")\n",
		"L = 0.5*|v|^2 - "+strings.Repeat("sin(", 300)+"x[0]"+strings.Repeat(")", 300)+"\n",
		"L = 0.5*|v|^2 - "+strings.Repeat("(1 + x[0]*", 300)+"x[1]"+strings.Repeat(")", 300)+"\n",
		// Near the parser's nesting limit.
		"L = 0.5*|v|^2 - "+strings.Repeat("(1 + ", 330)+"x[1]"+strings.Repeat(")^2", 330)+"\n",
		"L = 0.5*|v|^2*"+strings.Repeat("(1 + v[0]*", 330)+"x[1]"+strings.Repeat(")", 330)+"\n",
	)
	for i, src := range srcs {
		sys, err := Load("p.lag", []byte(src), nil)
		if err != nil {
			if i >= len(srcs)-6 {
				t.Fatalf("case %d does not load: %v", i, err) // the long and deep ones must
			}
			continue // random ones may be singular; they print nothing
		}
		text := derivedText(t, sys)
		f, err := dsl.ParseFile("derived.lag", []byte(text))
		if err != nil {
			short := text
			if len(short) > 400 {
				short = short[:400] + "..."
			}
			t.Errorf("case %d: the derivation of\n%.300s\nprints text that does not parse: %v\n%s", i, src, err, short)
			continue
		}
		if len(f.Stmts) == 0 || ast.String(f) == "" {
			t.Errorf("case %d: derived text parses to nothing", i)
		}
	}
}
