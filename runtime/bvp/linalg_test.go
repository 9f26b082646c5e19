package bvp

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestLU checks the small dense LU against gonum's solver and determinant.
func TestLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{1, 2, 5, 17, 40} {
		a := make([]float64, n*n)
		for i := range a {
			a[i] = rng.NormFloat64()
		}
		b := make([]float64, n)
		for i := range b {
			b[i] = rng.NormFloat64()
		}
		var want mat.VecDense
		if err := want.SolveVec(mat.NewDense(n, n, append([]float64{}, a...)), mat.NewVecDense(n, append([]float64{}, b...))); err != nil {
			t.Fatal(err)
		}
		det := mat.Det(mat.NewDense(n, n, append([]float64{}, a...)))
		lu, piv := append([]float64{}, a...), make([]int, n)
		if rc := luFactor(lu, n, piv); !(rc > 0) {
			t.Fatalf("n=%d: pivot ratio %g for a random matrix", n, rc)
		}
		luSolve(lu, n, piv, b)
		for i := range b {
			if math.Abs(b[i]-want.AtVec(i)) > 1e-9*(1+math.Abs(want.AtVec(i))) {
				t.Errorf("n=%d: x[%d] = %g, gonum %g", n, i, b[i], want.AtVec(i))
			}
		}
		if s := luDetSign(lu, n, piv); s != math.Copysign(1, det) {
			t.Errorf("n=%d: determinant sign %v, gonum's determinant %g", n, s, det)
		}
	}
	singular := []float64{1, 2, 2, 4}
	if rc := luFactor(singular, 2, make([]int, 2)); rc > 1e-15 {
		t.Errorf("singular matrix: pivot ratio %g", rc)
	}
}
