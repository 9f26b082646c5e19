package dense

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The sizes of lagc's systems: mass matrices and Hessians (d = 2..64) and
// collocation Jacobians (a few hundred).
var benchSizes = []int{2, 4, 8, 16, 64, 256}

func BenchmarkCholesky(b *testing.B) {
	for _, n := range benchSizes {
		a := randomSPD(rand.New(rand.NewPCG(1, uint64(n))), n)
		rhs, x := make([]float64, n), make([]float64, n)
		for i := range rhs {
			rhs[i] = float64(i + 1)
		}
		b.Run(fmt.Sprintf("dense/n=%d", n), func(b *testing.B) {
			var c Cholesky
			for b.Loop() {
				c.Factorize(a, n, 0)
				c.Solve(x, rhs)
			}
		})
		b.Run(fmt.Sprintf("gonum/n=%d", n), func(b *testing.B) {
			s := mat.NewSymDense(n, append([]float64(nil), a...))
			var c mat.Cholesky
			xv, rv := mat.NewVecDense(n, x), mat.NewVecDense(n, rhs)
			for b.Loop() {
				c.Factorize(s)
				_ = c.SolveVecTo(xv, rv)
			}
		})
	}
}

func BenchmarkLU(b *testing.B) {
	for _, n := range benchSizes {
		a := randomMatrix(rand.New(rand.NewPCG(2, uint64(n))), n)
		rhs, x := make([]float64, n), make([]float64, n)
		for i := range rhs {
			rhs[i] = float64(i + 1)
		}
		b.Run(fmt.Sprintf("dense/n=%d", n), func(b *testing.B) {
			var f LU
			for b.Loop() {
				f.Factorize(a, n)
				f.Solve(x, rhs)
			}
		})
		b.Run(fmt.Sprintf("gonum/n=%d", n), func(b *testing.B) {
			m := mat.NewDense(n, n, a)
			var f mat.LU
			xv, rv := mat.NewVecDense(n, x), mat.NewVecDense(n, rhs)
			for b.Loop() {
				f.Factorize(m)
				_ = f.SolveVecTo(xv, false, rv)
			}
		})
	}
}
