package ast_test

import (
	"fmt"
	"os"

	"github.com/lagc-dev/lagc/ast"
	"github.com/lagc-dev/lagc/dsl"
)

// Fprint writes canonical text: the parentheses that the precedence table
// needs and no others, whatever the source had.
func ExampleFprint() {
	f, err := dsl.ParseFile("h.lag", []byte("param w=pi/2 # comment\nL=((0.5*(|v|^2)))-(0.5*w^2)*|x|^2 + (-x[0])^2"))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := ast.Fprint(os.Stdout, f); err != nil {
		fmt.Println(err)
	}
	// Output:
	// param w = pi/2
	// L = 0.5*|v|^2 - 0.5*w^2*|x|^2 + (-x[0])^2
}

// Inspect walks a tree; here it collects the names a Lagrangian uses.
func ExampleInspect() {
	f, _ := dsl.ParseFile("m.lag", []byte("L = 0.5*|v|^2 + B/2*(x[0]*v[1] - x[1]*v[0])"))
	seen := map[string]bool{}
	ast.Inspect(f.Stmts[0].(*ast.LetStmt).Value, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !seen[id.Name] {
			seen[id.Name] = true
			fmt.Print(id.Name, " ")
		}
		return true
	})
	fmt.Println()
	// Output:
	// v B x
}
