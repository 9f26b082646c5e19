package ot

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// W2 returns the 2-Wasserstein distance between the uniform distributions
// on the n points x and the m points y in d dimensions (flat row-major):
// the square root of the least mean squared Euclidean distance over all
// transport plans. It is exact: an optimal assignment when n = m, an
// optimal plan otherwise.
func W2(x []float64, n int, y []float64, m, d int) (float64, error) {
	c, err := wassersteinCost(x, n, y, m, d, SqDist)
	if err != nil {
		return 0, err
	}
	return math.Sqrt(max(c, 0)), nil
}

// W1 returns the 1-Wasserstein (earth mover's) distance between the
// uniform distributions on the n points x and the m points y in d
// dimensions: the least mean Euclidean distance over all transport plans,
// computed exactly as W2 is.
func W1(x []float64, n int, y []float64, m, d int) (float64, error) {
	return wassersteinCost(x, n, y, m, d, Dist)
}

func wassersteinCost(x []float64, n int, y []float64, m, d int, costFn func(dst, x []float64, n int, y []float64, m, d int) error) (float64, error) {
	if err := checkPoints(x, n, y, m, d); err != nil {
		return 0, err
	}
	if n > math.MaxInt/m {
		return 0, fmt.Errorf("ot: %d×%d cost matrix is too large", n, m)
	}
	cost := make([]float64, n*m)
	if err := costFn(cost, x, n, y, m, d); err != nil {
		return 0, err
	}
	if n == m {
		total, err := Assign(make([]int, n), cost, n, nil)
		if err != nil {
			return 0, err
		}
		return total / float64(n), nil
	}
	_, total, err := Plan(nil, cost, n, m, nil, nil, nil)
	return total, err
}

// checkPoints validates two point sets: sizes, lengths and finite
// coordinates.
func checkPoints(x []float64, n int, y []float64, m, d int) error {
	if n <= 0 || m <= 0 || d <= 0 {
		return fmt.Errorf("ot: empty point sets (n = %d, m = %d, d = %d): need n, m, d ≥ 1", n, m, d)
	}
	if n > math.MaxInt/d || len(x) != n*d {
		return fmt.Errorf("ot: x has %d coordinates, want n×d = %d×%d", len(x), n, d)
	}
	if m > math.MaxInt/d || len(y) != m*d {
		return fmt.Errorf("ot: y has %d coordinates, want m×d = %d×%d", len(y), m, d)
	}
	for k, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("ot: x point %d has coordinate %d = %g", k/d, k%d, v)
		}
	}
	for k, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("ot: y point %d has coordinate %d = %g", k/d, k%d, v)
		}
	}
	return nil
}

// parallelMin is the number of coordinate differences below which SqDist
// and Dist stay on the calling goroutine.
const parallelMin = 1 << 17

// SqDist writes the squared Euclidean distances between the n points x and
// the m points y in d dimensions into dst, an n×m row-major matrix:
// dst[i*m+j] = |x_i − y_j|². Large matrices are split across GOMAXPROCS
// goroutines by rows.
//
// Differences are formed coordinate by coordinate, not through
// |x|² + |y|² − 2 x·y, which loses all precision for nearby points: the
// distance of a point to itself is exactly zero.
func SqDist(dst, x []float64, n int, y []float64, m, d int) error {
	return pairwise(dst, x, n, y, m, d, false)
}

// Dist is like SqDist for Euclidean distances |x_i − y_j|.
func Dist(dst, x []float64, n int, y []float64, m, d int) error {
	return pairwise(dst, x, n, y, m, d, true)
}

func pairwise(dst, x []float64, n int, y []float64, m, d int, root bool) error {
	if n <= 0 || m <= 0 || d <= 0 {
		return fmt.Errorf("ot: empty point sets (n = %d, m = %d, d = %d): need n, m, d ≥ 1", n, m, d)
	}
	if n > math.MaxInt/d || len(x) != n*d || m > math.MaxInt/d || len(y) != m*d {
		return fmt.Errorf("ot: x and y have %d and %d coordinates, want %d×%d and %d×%d", len(x), len(y), n, d, m, d)
	}
	if n > math.MaxInt/m || len(dst) != n*m {
		return fmt.Errorf("ot: dst has length %d, want n×m = %d×%d", len(dst), n, m)
	}
	workers := min(runtime.GOMAXPROCS(0), n, n*m*d/parallelMin)
	if workers <= 1 {
		pairwiseRows(dst, x, y, m, d, root)
		return nil
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			pairwiseRows(dst[lo*m:hi*m], x[lo*d:hi*d], y, m, d, root)
		}()
	}
	wg.Wait()
	return nil
}

// pairwiseRows fills the rows of dst for the points in x.
func pairwiseRows(dst, x, y []float64, m, d int, root bool) {
	n := len(x) / d
	for i := range n {
		out := dst[i*m : i*m+m]
		if d == 2 {
			// The flow-matching case, unrolled: the compiler keeps the
			// point in registers and drops the bounds checks.
			x0, x1 := x[2*i], x[2*i+1]
			y := y[:2*m]
			for j := range out {
				a, b := x0-y[2*j], x1-y[2*j+1]
				out[j] = a*a + b*b
			}
		} else {
			xi := x[i*d : i*d+d]
			for j := range out {
				yj := y[j*d : j*d+d]
				var s float64
				for k, v := range xi {
					t := v - yj[k]
					s += t * t
				}
				out[j] = s
			}
		}
		if root {
			for j, v := range out {
				out[j] = math.Sqrt(v)
			}
		}
	}
}
