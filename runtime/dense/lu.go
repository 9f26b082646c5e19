package dense

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
)

// LU is the factorisation P·A = L·U of a square matrix with partial
// pivoting, L unit lower triangular. The zero value is ready to use; an LU
// is not safe for concurrent use.
type LU struct {
	n        int
	lu       []float64 // row-major n×n: L below the diagonal, U on and above
	piv      []int     // row k was swapped with row piv[k] at step k
	singular bool      // a pivot was zero or an entry not finite; lu is incomplete
	ratio    float64
}

// Factorize computes the LU factorisation of the n×n row-major matrix a,
// which it does not modify, and returns the ratio of the smallest to the
// largest pivot magnitude: a cheap measure of how close a is to singular,
// 0 when a is exactly singular or not finite. Callers compare it with the
// tolerance their problem needs; Solve is meaningful only for a positive
// ratio. Factorize panics if a holds fewer than n·n values, a programming
// error.
func (f *LU) Factorize(a []float64, n int) (pivotRatio float64) {
	if n < 0 || len(a) < n*n {
		panic(fmt.Sprintf("dense: LU of a %d×%d matrix from %d values", n, n, len(a)))
	}
	f.n, f.singular = n, false
	if cap(f.lu) < n*n {
		f.lu = make([]float64, n*n)
	}
	if cap(f.piv) < n {
		f.piv = make([]int, n)
	}
	f.lu, f.piv = f.lu[:n*n], f.piv[:n]
	lu := f.lu
	copy(lu, a[:n*n])
	for _, v := range lu {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return f.fail(0)
		}
	}
	pmin, pmax := math.Inf(1), 0.0
	big := n >= unrolled
	for k := 0; k < n; k++ {
		p, best := k, math.Abs(lu[k*n+k])
		for i := k + 1; i < n; i++ {
			if v := math.Abs(lu[i*n+k]); v > best {
				p, best = i, v
			}
		}
		f.piv[k] = p
		if p != k {
			rk, rp := lu[k*n:k*n+n], lu[p*n:p*n+n]
			for j := range rk {
				rk[j], rp[j] = rp[j], rk[j]
			}
		}
		if best == 0 || math.IsNaN(best) {
			return f.fail(k + 1)
		}
		pmin, pmax = math.Min(pmin, best), math.Max(pmax, best)
		inv := 1 / lu[k*n+k]
		rk := lu[k*n+k+1 : k*n+n]
		for i := k + 1; i < n; i++ {
			l := lu[i*n+k] * inv
			lu[i*n+k] = l
			switch {
			case l == 0:
			case big:
				floats.AddScaled(lu[i*n+k+1:i*n+n], -l, rk)
			default:
				axpy(lu[i*n+k+1:i*n+n], -l, rk)
			}
		}
	}
	f.ratio = 1
	if n > 0 {
		f.ratio = pmin / pmax
	}
	if math.IsNaN(f.ratio) {
		f.ratio = 0
	}
	return f.ratio
}

// fail marks the factorisation singular, with no row swaps from step k on.
func (f *LU) fail(k int) float64 {
	f.singular, f.ratio = true, 0
	for i := k; i < f.n; i++ {
		f.piv[i] = i
	}
	return 0
}

// Size is n, the order of the last matrix factorised.
func (f *LU) Size() int { return f.n }

// PivotRatio is the value the last Factorize returned.
func (f *LU) PivotRatio() float64 { return f.ratio }

// Solve writes the solution x of A·x = b to dst, using the factors of the
// last Factorize. dst and b must hold n values and may be the same slice.
// It does not allocate.
func (f *LU) Solve(dst, b []float64) {
	n, lu := f.n, f.lu
	dst, b = dst[:n], b[:n]
	copy(dst, b)
	for k, p := range f.piv {
		if p != k {
			dst[k], dst[p] = dst[p], dst[k]
		}
	}
	if n >= unrolled {
		for i := 1; i < n; i++ {
			dst[i] -= floats.Dot(lu[i*n:i*n+i], dst[:i])
		}
		for i := n - 1; i >= 0; i-- {
			dst[i] = (dst[i] - floats.Dot(lu[i*n+i+1:i*n+n], dst[i+1:n])) / lu[i*n+i]
		}
		return
	}
	for i := 1; i < n; i++ {
		dst[i] -= dot(lu[i*n:i*n+i], dst[:i])
	}
	for i := n - 1; i >= 0; i-- {
		dst[i] = (dst[i] - dot(lu[i*n+i+1:i*n+n], dst[i+1:n])) / lu[i*n+i]
	}
}

// Det returns the determinant of the last matrix factorised, 0 when it is
// exactly singular.
func (f *LU) Det() float64 {
	if f.singular {
		return 0
	}
	det := 1.0
	for k := 0; k < f.n; k++ {
		det *= f.lu[k*f.n+k]
		if f.piv[k] != k {
			det = -det
		}
	}
	return det
}

// DetSign returns the sign of the determinant (−1, 0 or 1) without forming
// it, so that it cannot overflow or underflow.
func (f *LU) DetSign() float64 {
	if f.singular {
		return 0
	}
	s := 1.0
	for k := 0; k < f.n; k++ {
		if f.piv[k] != k {
			s = -s
		}
		if f.lu[k*f.n+k] < 0 {
			s = -s
		}
	}
	return s
}
