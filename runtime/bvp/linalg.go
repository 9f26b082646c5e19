package bvp

import (
	"math"

	"gonum.org/v1/gonum/floats"
)

// luFactor overwrites the n×n row-major matrix a with its LU factorisation
// with partial pivoting and records the row swaps in piv. It returns the
// ratio of the smallest to the largest pivot magnitude, a cheap measure of
// how close a is to singular (0 if exactly singular).
func luFactor(a []float64, n int, piv []int) float64 {
	pmin, pmax := math.Inf(1), 0.0
	for k := 0; k < n; k++ {
		p, best := k, math.Abs(a[k*n+k])
		for i := k + 1; i < n; i++ {
			if v := math.Abs(a[i*n+k]); v > best {
				p, best = i, v
			}
		}
		piv[k] = p
		if p != k {
			rk, rp := a[k*n:k*n+n], a[p*n:p*n+n]
			for j := range rk {
				rk[j], rp[j] = rp[j], rk[j]
			}
		}
		pmin, pmax = math.Min(pmin, best), math.Max(pmax, best)
		if best == 0 || math.IsNaN(best) {
			return 0
		}
		inv := 1 / a[k*n+k]
		rk := a[k*n+k+1 : k*n+n]
		for i := k + 1; i < n; i++ {
			l := a[i*n+k] * inv
			a[i*n+k] = l
			if l == 0 {
				continue
			}
			floats.AddScaled(a[i*n+k+1:i*n+n], -l, rk)
		}
	}
	if pmax == 0 {
		return 0
	}
	return pmin / pmax
}

// luSolve solves a·x = b in place in b, given luFactor's output.
func luSolve(lu []float64, n int, piv []int, b []float64) {
	for k := 0; k < n; k++ {
		if p := piv[k]; p != k {
			b[k], b[p] = b[p], b[k]
		}
	}
	// Dot products over contiguous rows use gonum's assembly kernels.
	for i := 1; i < n; i++ {
		b[i] -= floats.Dot(lu[i*n:i*n+i], b[:i])
	}
	for i := n - 1; i >= 0; i-- {
		b[i] = (b[i] - floats.Dot(lu[i*n+i+1:i*n+n], b[i+1:n])) / lu[i*n+i]
	}
}

// luDetSign returns the sign of the determinant from luFactor's output.
func luDetSign(lu []float64, n int, piv []int) float64 {
	s := 1.0
	for k := 0; k < n; k++ {
		if piv[k] != k {
			s = -s
		}
		if lu[k*n+k] < 0 {
			s = -s
		}
	}
	return s
}

func norm2(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}
