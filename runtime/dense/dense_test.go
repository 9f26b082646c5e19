package dense

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randomSPD returns B·Bᵀ + n·I for a random B: symmetric positive definite
// with a condition number of order 1.
func randomSPD(rng *rand.Rand, n int) []float64 {
	b := make([]float64, n*n)
	for i := range b {
		b[i] = rng.NormFloat64()
	}
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for k := 0; k < n; k++ {
				s += b[i*n+k] * b[j*n+k]
			}
			a[i*n+j] = s
		}
		a[i*n+i] += float64(n)
	}
	return a
}

func randomMatrix(rng *rand.Rand, n int) []float64 {
	a := make([]float64, n*n)
	for i := range a {
		a[i] = rng.NormFloat64()
	}
	return a
}

func maxAbs(a []float64) float64 {
	var m float64
	for _, v := range a {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

var sizes = []int{1, 2, 3, 5, 8, 16, 17, 33, 64}

func TestCholeskyReconstructs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var c Cholesky
	for _, n := range sizes {
		a := randomSPD(rng, n)
		orig := append([]float64(nil), a...)
		if !c.Factorize(a, n, 1e-13) {
			t.Fatalf("n=%d: an SPD matrix was refused: %v", n, c.Err())
		}
		for i := range a {
			if a[i] != orig[i] {
				t.Fatalf("n=%d: Factorize modified its input", n)
			}
		}
		if c.Err() != nil || c.Size() != n {
			t.Fatalf("n=%d: Err %v, Size %d after success", n, c.Err(), c.Size())
		}
		l := make([]float64, n*n)
		c.LowerTo(l)
		norm := maxAbs(a)
		// L·Lᵀ = A, and L is lower triangular with a positive diagonal.
		for i := 0; i < n; i++ {
			if l[i*n+i] <= 0 {
				t.Fatalf("n=%d: L[%d,%d] = %g", n, i, i, l[i*n+i])
			}
			for j := 0; j < n; j++ {
				if j > i && l[i*n+j] != 0 {
					t.Fatalf("n=%d: L[%d,%d] = %g above the diagonal", n, i, j, l[i*n+j])
				}
				var s float64
				for k := 0; k < n; k++ {
					s += l[i*n+k] * l[j*n+k]
				}
				if math.Abs(s-a[i*n+j]) > 1e-12*norm {
					t.Fatalf("n=%d: (LLᵀ)[%d,%d] = %g, A = %g", n, i, j, s, a[i*n+j])
				}
			}
		}
	}
}

// TestSolveMatchesGonum checks both solvers against gonum/mat's general
// solve, aliased and not.
func TestSolveMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var c Cholesky
	var f LU
	for _, n := range sizes {
		for _, spd := range []bool{true, false} {
			var a []float64
			if spd {
				a = randomSPD(rng, n)
			} else {
				a = randomMatrix(rng, n)
			}
			b := randomMatrix(rng, n)[:n]
			var want mat.VecDense
			if err := want.SolveVec(mat.NewDense(n, n, append([]float64(nil), a...)), mat.NewVecDense(n, append([]float64(nil), b...))); err != nil {
				t.Fatalf("n=%d: gonum: %v", n, err)
			}
			got := make([]float64, n)
			if spd {
				if !c.Factorize(a, n, 0) {
					t.Fatalf("n=%d: %v", n, c.Err())
				}
				c.Solve(got, b)
			} else {
				if r := f.Factorize(a, n); !(r > 0) {
					t.Fatalf("n=%d: pivot ratio %g", n, r)
				}
				f.Solve(got, b)
			}
			inPlace := append([]float64(nil), b...)
			if spd {
				c.Solve(inPlace, inPlace)
			} else {
				f.Solve(inPlace, inPlace)
			}
			scale := 1 + maxAbs(want.RawVector().Data)
			for i := 0; i < n; i++ {
				w := want.AtVec(i)
				if math.Abs(got[i]-w) > 1e-9*scale || inPlace[i] != got[i] {
					t.Fatalf("n=%d spd=%v: x[%d] = %g (in place %g), gonum %g", n, spd, i, got[i], inPlace[i], w)
				}
			}
		}
	}
}

func TestLUReconstructs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var f LU
	for _, n := range sizes {
		a := randomMatrix(rng, n)
		f.Factorize(a, n)
		norm := maxAbs(a)
		// Apply the row swaps to A, then compare with L·U.
		pa := append([]float64(nil), a...)
		for k, p := range f.piv {
			for j := 0; j < n; j++ {
				pa[k*n+j], pa[p*n+j] = pa[p*n+j], pa[k*n+j]
			}
		}
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				var s float64
				for k := 0; k <= min(i, j); k++ {
					lik := f.lu[i*n+k]
					if k == i {
						lik = 1
					}
					s += lik * f.lu[k*n+j]
				}
				if math.Abs(s-pa[i*n+j]) > 1e-12*float64(n)*norm {
					t.Fatalf("n=%d: (LU)[%d,%d] = %g, PA = %g", n, i, j, s, pa[i*n+j])
				}
			}
			for k := 0; k < i; k++ {
				if math.Abs(f.lu[i*n+k]) > 1 {
					t.Fatalf("n=%d: |L[%d,%d]| = %g > 1: pivoting is not partial pivoting", n, i, k, f.lu[i*n+k])
				}
			}
		}
		want := mat.Det(mat.NewDense(n, n, append([]float64(nil), a...)))
		if got := f.Det(); math.Abs(got-want) > 1e-10*math.Abs(want) {
			t.Fatalf("n=%d: Det %g, gonum %g", n, got, want)
		}
		if got := f.DetSign(); got != math.Copysign(1, want) {
			t.Fatalf("n=%d: DetSign %g, determinant %g", n, got, want)
		}
	}
}

func TestCholeskyDetectsFailures(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name   string
		a      []float64
		n      int
		tol    float64
		reason string
		index  int
	}{
		{"zero", []float64{0}, 1, 0, "singular", 0},
		{"indefinite", []float64{1, 2, 2, 1}, 2, 0, "not positive definite", 1},
		{"negative first", []float64{-1, 0, 0, 1}, 2, 1e-13, "not positive definite", 0},
		{"rank one", []float64{1, 1, 1, 1}, 2, 1e-13, "singular", 1},
		{"nearly singular to tol", []float64{1, 1, 1, 1 + 1e-10}, 2, 1e-9, "singular", 1},
		{"NaN", []float64{1, 0, nan, 1}, 2, 0, "undefined (NaN)", 1},
		{"Inf scale with tol", []float64{math.Inf(1), 0, 0, 1}, 2, 1e-13, "not finite (Inf)", 0},
		{"Inf pivot without tol", []float64{math.Inf(1), 0, 0, 1}, 2, 0, "not finite (Inf)", 0},
		{"Inf below the diagonal", []float64{1, 0, math.Inf(1), 1}, 2, 0, "not positive definite", 1},
		{"3x3 indefinite last", []float64{2, 0, 0, 0, 2, 0, 0, 0, -1e-3}, 3, 1e-13, "not positive definite", 2},
	} {
		var ch Cholesky
		if ch.Factorize(c.a, c.n, c.tol) {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		var pe *PivotError
		if !errors.As(ch.Err(), &pe) {
			t.Errorf("%s: Err %v is not a *PivotError", c.name, ch.Err())
			continue
		}
		if pe.Reason() != c.reason || pe.Index != c.index {
			t.Errorf("%s: reason %q at pivot %d, want %q at %d (%v)", c.name, pe.Reason(), pe.Index, c.reason, c.index, pe)
		}
		// A success afterwards clears the error.
		if !ch.Factorize([]float64{4}, 1, 0) || ch.Err() != nil {
			t.Errorf("%s: a later success left Err %v", c.name, ch.Err())
		}
	}
	// Tolerance: a matrix positive definite but nearly singular passes at
	// tol = 0 and fails at a tolerance above its smallest pivot.
	var ch Cholesky
	a := []float64{1, 1, 1, 1 + 1e-10}
	if !ch.Factorize(a, 2, 0) {
		t.Errorf("tol 0 refused a positive-definite matrix: %v", ch.Err())
	}
	if ch.Factorize(a, 2, 1e-9) {
		t.Errorf("tol 1e-9 accepted a pivot of 1e-10")
	}
}

func TestLUDetectsSingular(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name string
		a    []float64
		n    int
		zero bool // exactly singular: ratio, Det and DetSign 0
		max  float64
	}{
		{"zero", []float64{0, 0, 0, 0}, 2, true, 0},
		{"rank one", []float64{1, 2, 2, 4}, 2, true, 0},
		{"zero column", []float64{1, 0, 0, 2, 0, 1, 3, 0, 5}, 3, true, 0},
		{"NaN", []float64{1, nan, 0, 1}, 2, true, 0},
		{"nearly singular", []float64{1, 1, 1, 1 + 1e-12}, 2, false, 1e-11},
		{"Inf", []float64{math.Inf(1), 0, 0, 1}, 2, true, 0},
	} {
		var f LU
		r := f.Factorize(c.a, c.n)
		if c.zero {
			if r != 0 || f.Det() != 0 || f.DetSign() != 0 {
				t.Errorf("%s: ratio %g, Det %g, DetSign %g; want all 0", c.name, r, f.Det(), f.DetSign())
			}
			continue
		}
		if !(r > 0 && r <= c.max) {
			t.Errorf("%s: ratio %g, want in (0, %g]", c.name, r, c.max)
		}
	}
}

// TestReuseDoesNotAllocate checks the hot-loop contract: after the first
// Factorize, factorising and solving again allocate nothing.
func TestReuseDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n = 12
	s, g, b := randomSPD(rng, n), randomMatrix(rng, n), randomMatrix(rng, n)[:n]
	x := make([]float64, n)
	var c Cholesky
	var f LU
	c.Factorize(s, n, 0)
	f.Factorize(g, n)
	allocs := testing.AllocsPerRun(100, func() {
		c.Factorize(s, n, 0)
		c.Solve(x, b)
		c.Factorize(s[:4], 2, 0) // a smaller size reuses the storage
		f.Factorize(g, n)
		f.Solve(x, b)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per factorise-and-solve", allocs)
	}
}

func TestShapePanics(t *testing.T) {
	for name, fn := range map[string]func(){
		"Cholesky": func() { new(Cholesky).Factorize(make([]float64, 3), 2, 0) },
		"LU":       func() { new(LU).Factorize(make([]float64, 3), 2) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: a 2×2 factorisation from 3 values did not panic", name)
				}
			}()
			fn()
		}()
	}
}
