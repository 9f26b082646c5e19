package dense

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
)

// Cholesky is the factorisation A = L·Lᵀ of a symmetric positive-definite
// matrix, L lower triangular. The zero value is ready to use; a Cholesky is
// not safe for concurrent use.
type Cholesky struct {
	n int
	l []float64 // row-major n×n; L in the lower triangle, the rest unread
	// What made the last Factorize fail, for Err.
	failed       bool
	index        int
	pivot, scale float64
	tol          float64
}

// Factorize computes the Cholesky factor of the symmetric n×n row-major
// matrix a, reading only its lower triangle, and reports whether a is
// positive definite to the relative tolerance tol: every pivot (the square
// of a diagonal entry of L) must exceed tol·max_i |a_ii|. tol = 0 asks only
// for positive pivots; an infinite pivot fails too. a is not modified. Factorize panics if a holds fewer
// than n·n values, a programming error.
func (c *Cholesky) Factorize(a []float64, n int, tol float64) (ok bool) {
	if n < 0 || len(a) < n*n {
		panic(fmt.Sprintf("dense: Cholesky of a %d×%d matrix from %d values", n, n, len(a)))
	}
	c.reset(n)
	l := c.l
	var scale float64
	for i := 0; i < n; i++ {
		copy(l[i*n:i*n+i+1], a[i*n:i*n+i+1])
		scale = math.Max(scale, math.Abs(a[i*n+i]))
	}
	threshold := 0.0 // tol·scale, but 0 for tol = 0 even when scale is Inf
	if tol != 0 {
		threshold = tol * scale
	}
	big := n >= unrolled
	for j := 0; j < n; j++ {
		lj := l[j*n : j*n+j]
		var s float64
		if big {
			s = l[j*n+j] - floats.Dot(lj, lj)
		} else {
			s = l[j*n+j] - dot(lj, lj)
		}
		if !(s > threshold) || math.IsInf(s, 1) {
			c.failed, c.index, c.pivot, c.scale, c.tol = true, j, s, scale, tol
			return false
		}
		s = math.Sqrt(s)
		l[j*n+j] = s
		inv := 1 / s
		for i := j + 1; i < n; i++ {
			if big {
				l[i*n+j] = (l[i*n+j] - floats.Dot(l[i*n:i*n+j], lj)) * inv
			} else {
				l[i*n+j] = (l[i*n+j] - dot(l[i*n:i*n+j], lj)) * inv
			}
		}
	}
	return true
}

func (c *Cholesky) reset(n int) {
	c.n, c.failed = n, false
	if cap(c.l) < n*n {
		c.l = make([]float64, n*n)
	}
	c.l = c.l[:n*n]
}

// Size is n, the order of the last matrix factorised.
func (c *Cholesky) Size() int { return c.n }

// Err describes why the last Factorize failed, as a *PivotError, or is nil
// after a successful one.
func (c *Cholesky) Err() error {
	if !c.failed {
		return nil
	}
	return &PivotError{Index: c.index, Pivot: c.pivot, Scale: c.scale, Tol: c.tol}
}

// Solve writes the solution x of A·x = b to dst, using the factors of the
// last successful Factorize. dst and b must hold n values and may be the
// same slice. It does not allocate.
func (c *Cholesky) Solve(dst, b []float64) {
	n, l := c.n, c.l
	dst, b = dst[:n], b[:n]
	// L·y = b, by rows; then Lᵀ·x = y, by the columns of Lᵀ (rows of L), so
	// that both sweeps read contiguous memory.
	big := n >= unrolled
	for i := 0; i < n; i++ {
		if big {
			dst[i] = (b[i] - floats.Dot(l[i*n:i*n+i], dst[:i])) / l[i*n+i]
		} else {
			dst[i] = (b[i] - dot(l[i*n:i*n+i], dst[:i])) / l[i*n+i]
		}
	}
	for i := n - 1; i >= 0; i-- {
		xi := dst[i] / l[i*n+i]
		dst[i] = xi
		if big {
			floats.AddScaled(dst[:i], -xi, l[i*n:i*n+i])
		} else {
			axpy(dst[:i], -xi, l[i*n:i*n+i])
		}
	}
}

// LowerTo writes L to dst (n×n row-major, zeros above the diagonal).
func (c *Cholesky) LowerTo(dst []float64) {
	n := c.n
	for i := 0; i < n; i++ {
		copy(dst[i*n:i*n+i+1], c.l[i*n:i*n+i+1])
		clear(dst[i*n+i+1 : (i+1)*n])
	}
}

// PivotError is the failure of a Cholesky factorisation: the pivot of row
// Index (the square of L's diagonal entry there) was NaN or not above
// Tol·Scale, with Scale the largest diagonal magnitude of the matrix.
type PivotError struct {
	Index        int
	Pivot, Scale float64
	Tol          float64
}

// Reason says what the failed pivot shows about the matrix: "undefined
// (NaN)", "not finite (Inf)", "not positive definite" (a pivot clearly
// negative) or "singular" (a pivot zero to the tolerance).
func (e *PivotError) Reason() string {
	switch {
	case math.IsNaN(e.Pivot):
		return "undefined (NaN)"
	case math.IsInf(e.Pivot, 1):
		return "not finite (Inf)"
	case e.Pivot < 0 && (e.Tol == 0 || e.Pivot < -e.Tol*e.Scale):
		return "not positive definite"
	}
	return "singular"
}

func (e *PivotError) Error() string {
	return fmt.Sprintf("dense: the matrix is %s (Cholesky pivot %d is %.3g, largest diagonal entry %.3g)", e.Reason(), e.Index, e.Pivot, e.Scale)
}
