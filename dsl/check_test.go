package dsl_test

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/ast"
	"github.com/lagc-dev/lagc/dsl"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/errors")

// overridesOf reads "#override NAME=VALUE ..." from the first line of a
// test file.
func overridesOf(t *testing.T, src []byte) map[string]float64 {
	first, _, _ := strings.Cut(string(src), "\n")
	rest, ok := strings.CutPrefix(first, "#override ")
	if !ok {
		return nil
	}
	m := map[string]float64{}
	for _, kv := range strings.Fields(rest) {
		k, v, _ := strings.Cut(kv, "=")
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("bad override %q: %v", kv, err)
		}
		m[k] = f
	}
	return m
}

// TestErrorGolden loads every testdata/errors/*.lag and compares the
// rendered errors with the .golden file beside it (go test -update rewrites
// them; review the diff).
func TestErrorGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "errors", "*.lag"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(file)
		_, err = dsl.Load(name, src, overridesOf(t, src))
		if err == nil {
			t.Errorf("%s: loads without error", file)
			continue
		}
		if _, ok := err.(dsl.ErrorList); !ok {
			t.Errorf("%s: error is %T, want dsl.ErrorList", file, err)
		}
		got := dsl.Detail(err)
		golden := strings.TrimSuffix(file, ".lag") + ".golden"
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", file, got, want)
		}
	}
}

func TestCheckTypes(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want dsl.Type
	}{
		{"1", dsl.Scalar},
		{"x", dsl.Vector},
		{"v", dsl.Vector},
		{"t + d + pi + w", dsl.Scalar},
		{"-x", dsl.Vector},
		{"2*x", dsl.Vector},
		{"x*2", dsl.Vector},
		{"x*v", dsl.Vector},
		{"x/v", dsl.Vector},
		{"x/2", dsl.Vector},
		{"x^2", dsl.Vector},
		{"x + v - c", dsl.Vector},
		{"|x|", dsl.Scalar},
		{"|t|", dsl.Scalar},
		{"dot(x, v)", dsl.Scalar},
		{"sum(x)", dsl.Scalar},
		{"x[1]", dsl.Scalar},
		{"[t, x[0]]", dsl.Vector},
		{"sin(x)", dsl.Vector},
		{"sin(t)", dsl.Scalar},
		{"exp(-|x - c|^2)", dsl.Scalar},
		{"c", dsl.Vector},
		{"s", dsl.Scalar},
	} {
		src := "param w = 1\nc = [1, 0]\ns = |x|\ny = " + tc.expr + "\nL = 0.5*|v|^2\n"
		info, err := dsl.Load("types.lag", []byte(src), nil)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, dsl.Detail(err))
			continue
		}
		y := info.Bindings[len(info.Bindings)-1]
		if y.Name != "y" || info.TypeOf(y.Value) != tc.want {
			t.Errorf("%s: binding %s has type %v, want %v", tc.expr, y.Name, info.TypeOf(y.Value), tc.want)
		}
		// Every expression node has a type, except the names of called
		// functions, which are not values.
		for _, b := range info.Bindings {
			if untyped := untypedNodes(info, b.Value); untyped != nil {
				t.Errorf("%s: no type for %v", tc.expr, untyped)
			}
		}
	}
}

func untypedNodes(info *dsl.Info, root ast.Expr) []string {
	var untyped []string
	callee := map[ast.Node]bool{}
	ast.Inspect(root, func(n ast.Node) bool {
		if c, ok := n.(*ast.Call); ok {
			callee[c.Fun] = true
		}
		if e, ok := n.(ast.Expr); ok && !callee[n] && info.TypeOf(e) == 0 {
			untyped = append(untyped, ast.String(e))
		}
		return true
	})
	return untyped
}

func TestCheckDims(t *testing.T) {
	for _, tc := range []struct {
		src         string
		dim, minDim int
	}{
		{"L = 0.5*|v|^2", 0, 1},
		{"dim 3\nL = 0.5*|v|^2", 3, 1},
		{"L = 0.5*|v|^2 - x[3]", 0, 4},
		{"L = 0.5*|v|^2 - x[0]*x[2]", 0, 3},
		{"L = 0.5*|v - [1, 0]|^2", 2, 1},
		{"c = [1, 0, 0]\nL = 0.5*|v|^2 - dot(c, x)", 3, 1},
		{"dim 2\nc = [1, 0]\nL = 0.5*|v|^2 - x[1]*dot(c, x)", 2, 2},
		{"L = 0.5*|v|^2 + x[0]*v[1] - [x[1], -x[0]][1]", 2, 2},
	} {
		info, err := dsl.Load("dims.lag", []byte(tc.src), nil)
		if err != nil {
			t.Errorf("%q: %v", tc.src, dsl.Detail(err))
			continue
		}
		if info.Dim != tc.dim || info.MinDim != tc.minDim {
			t.Errorf("%q: Dim %d MinDim %d, want %d %d", tc.src, info.Dim, info.MinDim, tc.dim, tc.minDim)
		}
	}
}

func TestCheckParams(t *testing.T) {
	src := "param w = pi/2\nparam a = 2\nparam b = a^2 + sqrt(a) - |-1| + cos(0)\nL = 0.5*|v|^2 - w*a*b*|x|^2\n"
	for _, tc := range []struct {
		overrides map[string]float64
		want      []float64
	}{
		{nil, []float64{math.Pi / 2, 2, 4 + math.Sqrt2}},
		{map[string]float64{"a": 3}, []float64{math.Pi / 2, 3, 9 + math.Sqrt(3)}},
		{map[string]float64{"w": 0.25, "b": -1}, []float64{0.25, 2, -1}},
	} {
		info, err := dsl.Load("params.lag", []byte(src), tc.overrides)
		if err != nil {
			t.Fatalf("%v: %v", tc.overrides, dsl.Detail(err))
		}
		if len(info.Params) != len(tc.want) {
			t.Fatalf("%v: %d params, want %d", tc.overrides, len(info.Params), len(tc.want))
		}
		for i, p := range info.Params {
			if math.Abs(p.Value-tc.want[i]) > 1e-15*math.Abs(tc.want[i]) {
				t.Errorf("%v: %s = %v, want %v", tc.overrides, p.Name, p.Value, tc.want[i])
			}
		}
		if got := info.Params[2].Pos.String(); got != "params.lag:3:7" {
			t.Errorf("param b at %s, want params.lag:3:7", got)
		}
	}
}

func TestCheckLagrangian(t *testing.T) {
	for _, tc := range []struct {
		src, want, pos string
		bindings       []string
	}{
		{"0.5*|v|^2", "0.5*|v|^2", "l.lag:1:1", nil},
		{"# comment\n\n  L = |v|^2\n", "|v|^2", "l.lag:3:3", nil},
		{"c = 2\nL = c*|v|^2\ne = 3", "c*|v|^2", "l.lag:2:1", []string{"c", "e"}},
		{"param k = 1; k*|v|^2", "k*|v|^2", "l.lag:1:14", nil},
	} {
		info, err := dsl.Load("l.lag", []byte(tc.src), nil)
		if err != nil {
			t.Fatalf("%q: %v", tc.src, dsl.Detail(err))
		}
		if got := ast.String(info.L); got != tc.want {
			t.Errorf("%q: L = %s, want %s", tc.src, got, tc.want)
		}
		if got := info.LPos.String(); got != tc.pos {
			t.Errorf("%q: LPos %s, want %s", tc.src, got, tc.pos)
		}
		var names []string
		for _, b := range info.Bindings {
			names = append(names, b.Name)
		}
		if strings.Join(names, " ") != strings.Join(tc.bindings, " ") {
			t.Errorf("%q: bindings %v, want %v", tc.src, names, tc.bindings)
		}
	}
}

// TestCheckWithoutSource checks that Check (no source text) reports the
// same errors as Load, without source lines.
func TestCheckWithoutSource(t *testing.T) {
	src := []byte("L = 0.5*|v|^2 + x\n")
	f, err := dsl.ParseFile("c.lag", src)
	if err != nil {
		t.Fatal(err)
	}
	_, err = dsl.Check(f, nil)
	const want = "c.lag:1:15: cannot add scalar and vector (`0.5*|v|^2` + `x`): scalars are not broadcast to vectors; " +
		"make both sides vectors (e.g. a vector literal [a, b]) or both scalars (e.g. |x|, sum(x), x[0])\n"
	if got := dsl.Detail(err); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestParamBounds: bounds are constant expressions, inf makes one side
// open, and the checked Params carry them (infinite when absent).
func TestParamBounds(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		src          string
		override     float64 // 0: none
		lower, upper float64
		err          string // substring of the error, "" for none
	}{
		{src: "param w = 1", lower: -inf, upper: inf},
		{src: "param w = 1 in [0, 3]", lower: 0, upper: 3},
		{src: "param w = 1 in [0, inf]", lower: 0, upper: inf},
		{src: "param w = -1 in [-inf, -1]", lower: -inf, upper: -1},
		{src: "param w = 1 in [-pi/2, 2*pi]", lower: -math.Pi / 2, upper: 2 * math.Pi},
		{src: "param w = 1 in [1, 1]", lower: 1, upper: 1},
		{src: "param w = 1 in [0, 3]", override: 3, lower: 0, upper: 3},
		{src: "param w = 1 in [0, 3]", override: 3.5, err: "the value 3.5 given for param w is outside its bounds [0, 3]"},
		{src: "param w = 4 in [0, 3]", err: "param w = 4 is outside its bounds [0, 3]"},
		{src: "param w = 1 in [3, 0]", err: "lower bound 3 above its upper bound 0"},
		{src: "param w = 1 in [-inf, -inf]", err: "hold no finite value"},
		{src: "param w = 1 in [0, t]", err: "must be constant"},
		{src: "param w = inf", err: "inf may be written only in param bounds"},
		{src: "param w = 1 in [0, 3]\nparam w2 = w in [0, 1]", override: 2, err: "param w2 = 2 is outside its bounds [0, 1]"},
	} {
		var overrides map[string]float64
		if tc.override != 0 {
			overrides = map[string]float64{"w": tc.override}
		}
		info, err := dsl.Load("b.lag", []byte(tc.src+"\nL = 0.5*w*|v|^2\n"), overrides)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.src, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if p := info.Params[0]; p.Lower != tc.lower || p.Upper != tc.upper {
			t.Errorf("%q: bounds [%v, %v], want [%v, %v]", tc.src, p.Lower, p.Upper, tc.lower, tc.upper)
		}
	}
}

// TestTooManyErrors: parsing and checking stop after MaxErrors errors, so
// that a hostile file cannot make millions of them (or spend quadratic time
// suggesting names for each).
func TestTooManyErrors(t *testing.T) {
	var syntax, names strings.Builder
	for i := range 5000 {
		syntax.WriteString("@\n")
		fmt.Fprintf(&names, "e%d = y%d\n", i, i)
	}
	names.WriteString("L = 0.5*|v|^2\n")
	for _, src := range []string{syntax.String(), names.String()} {
		_, err := dsl.Load("m.lag", []byte(src), nil)
		list, ok := err.(dsl.ErrorList)
		if !ok || len(list) != dsl.MaxErrors+1 {
			t.Fatalf("%.20q...: %d errors, want %d", src, len(list), dsl.MaxErrors+1)
		}
		if last := list[len(list)-1]; !strings.Contains(last.Msg, "too many errors") || last.Pos.Line != dsl.MaxErrors+1 {
			t.Errorf("%.20q...: last error %v, want too many errors at line %d", src, last, dsl.MaxErrors+1)
		}
	}
}
