package dense_test

import (
	"fmt"

	"github.com/lagc-dev/lagc/runtime/dense"
)

func ExampleCholesky() {
	// A mass matrix M and a force f: solve M·a = f.
	m := []float64{
		4, 2,
		2, 3,
	}
	f := []float64{2, 1}
	var c dense.Cholesky // reuse it across calls: it keeps its storage
	if !c.Factorize(m, 2, 1e-13) {
		fmt.Println(c.Err())
		return
	}
	a := make([]float64, 2)
	c.Solve(a, f)
	fmt.Printf("a = [%.4f %.4f]\n", a[0], a[1])

	// An indefinite matrix is refused, and Err says why.
	c.Factorize([]float64{1, 2, 2, 1}, 2, 1e-13)
	fmt.Println(c.Err())
	// Output:
	// a = [0.5000 0.0000]
	// dense: the matrix is not positive definite (Cholesky pivot 1 is -3, largest diagonal entry 1)
}

func ExampleLU() {
	a := []float64{
		0, 2,
		3, 1,
	}
	var f dense.LU
	if r := f.Factorize(a, 2); r < 1e-13 {
		fmt.Println("singular to working precision")
		return
	}
	x := []float64{4, 5}
	f.Solve(x, x) // in place
	fmt.Printf("x = [%.4f %.4f], det = %g\n", x[0], x[1], f.Det())
	// Output:
	// x = [1.0000 2.0000], det = -6
}
