package dsl_test

import (
	"fmt"

	"github.com/lagc-dev/lagc/ast"
	"github.com/lagc-dev/lagc/dsl"
)

func ExampleParseFile() {
	src := []byte("# Harmonic oscillator.\nparam w = pi/2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n")
	f, err := dsl.ParseFile("harmonic.lag", src)
	if err != nil {
		fmt.Print(dsl.Detail(err))
		return
	}
	for _, s := range f.Stmts {
		fmt.Printf("%s: %T: %s\n", s.Pos(), s, ast.String(s))
	}
	// Output:
	// harmonic.lag:2:1: *ast.ParamStmt: param w = pi/2
	// harmonic.lag:3:1: *ast.LetStmt: L = 0.5*|v|^2 - 0.5*w^2*|x|^2
}

// A syntax error is reported with its position, the line and a caret.
func ExampleParseFile_error() {
	_, err := dsl.ParseFile("bad.lag", []byte("L = 0.5*|v|^2 - 2x\n"))
	fmt.Print(dsl.Detail(err))
	// Output:
	// bad.lag:1:18: unexpected name `x` after expression; write 2*x for a product
	// 	L = 0.5*|v|^2 - 2x
	// 	                 ^
}

func ExampleLoad() {
	src := []byte(`dim 2
param A = 2
param s = 1
c = [0, 0]
L = 0.5*|v|^2 - A*exp(-|x - c|^2/s^2)
`)
	// The equivalent of lagc -p A=3.
	info, err := dsl.Load("bump.lag", src, map[string]float64{"A": 3})
	if err != nil {
		fmt.Print(dsl.Detail(err))
		return
	}
	fmt.Println("L =", ast.String(info.L), "at", info.LPos)
	for _, p := range info.Params {
		fmt.Printf("param %s = %v\n", p.Name, p.Value)
	}
	for _, b := range info.Bindings {
		fmt.Printf("%s = %s (%v)\n", b.Name, ast.String(b.Value), info.TypeOf(b.Value))
	}
	fmt.Println("dim", info.Dim)
	// Output:
	// L = 0.5*|v|^2 - A*exp(-|x - c|^2/s^2) at bump.lag:5:1
	// param A = 3
	// param s = 1
	// c = [0, 0] (vector)
	// dim 2
}

// Several errors are reported at once, in source order.
func ExampleLoad_errors() {
	src := []byte("param w = 1\nL = 0.5*|v|^2 - ww*|x|^2 + x\n")
	_, err := dsl.Load("h.lag", src, map[string]float64{"k": 2})
	fmt.Print(dsl.Detail(err))
	// Output:
	// h.lag: -p k: no param k in this file (its params: w)
	// h.lag:2:17: undefined: ww (did you mean `w`?)
	// 	L = 0.5*|v|^2 - ww*|x|^2 + x
	// 	                ^
}

// Check works on a tree from ParseFile (or built by hand); its errors carry
// no source lines, which Load adds.
func ExampleCheck() {
	f, err := dsl.ParseFile("g.lag", []byte("param g = 2\nL = 0.5*|v|^2 - g*x[1]\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	info, err := dsl.Check(f, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("L is a", info.TypeOf(info.L), "needing d >=", info.MinDim)
	// Output:
	// L is a scalar needing d >= 2
}

// Errors found after checking (by the compiler, say) point at the
// Lagrangian with Info.Errorf.
func ExampleInfo_Errorf() {
	info, err := dsl.Load("c.lag", []byte("# position-dependent mass\nL = 0.5*(1 - |x|^2)*|v|^2\n"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(info.Errorf(info.LPos, "mass matrix ∂²L/∂v² is singular at x = [1 0]").Detail())
	// Output:
	// c.lag:2:1: mass matrix ∂²L/∂v² is singular at x = [1 0]
	// 	L = 0.5*(1 - |x|^2)*|v|^2
	// 	^
}
