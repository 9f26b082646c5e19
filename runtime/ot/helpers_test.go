package ot

import (
	"math"
	"math/rand/v2"
)

// Test fixtures shared by the tests and benchmarks of this package.

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x07)) }

// gaussianCloud returns n standard normal points in d dimensions.
func gaussianCloud(rng *rand.Rand, n, d int) []float64 {
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x
}

// moonsCloud returns n points of the two-moons distribution of
// shared/datasets.md (2D).
func moonsCloud(rng *rand.Rand, n int) []float64 {
	x := make([]float64, 0, 2*n)
	nOut := n / 2
	nIn := n - nOut
	arc := func(k, i int) float64 {
		if k == 1 {
			return 0
		}
		return math.Pi * float64(i) / float64(k-1)
	}
	for i := range nOut {
		s := arc(nOut, i)
		u := 0.2 * rng.Float64()
		x = append(x, 3*(math.Cos(s)+u)-1, 3*(math.Sin(s)+u)-1)
	}
	for i := range nIn {
		s := arc(nIn, i)
		u := 0.2 * rng.Float64()
		x = append(x, 3*(1-math.Cos(s)+u)-1, 3*(1-math.Sin(s)-0.5+u)-1)
	}
	return x
}

// sqDistNaive is the textbook squared-distance matrix, the reference for
// SqDist.
func sqDistNaive(x []float64, n int, y []float64, m, d int) []float64 {
	c := make([]float64, n*m)
	for i := range n {
		for j := range m {
			var s float64
			for k := range d {
				t := x[i*d+k] - y[j*d+k]
				s += t * t
			}
			c[i*m+j] = s
		}
	}
	return c
}

// bruteAssign returns the least total cost over all permutations of an
// n×n matrix (+Inf if every permutation uses a +Inf entry), by Heap's
// algorithm.
func bruteAssign(cost []float64, n int) float64 {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	total := func() float64 {
		var s float64
		for i, j := range p {
			s += cost[i*n+j]
		}
		return s
	}
	best := total()
	c := make([]int, n)
	for i := 0; i < n; {
		if c[i] < i {
			if i%2 == 0 {
				p[0], p[i] = p[i], p[0]
			} else {
				p[c[i]], p[i] = p[i], p[c[i]]
			}
			best = min(best, total())
			c[i]++
			i = 0
		} else {
			c[i] = 0
			i++
		}
	}
	return best
}

func isPermutation(p []int) bool {
	seen := make([]bool, len(p))
	for _, j := range p {
		if j < 0 || j >= len(p) || seen[j] {
			return false
		}
		seen[j] = true
	}
	return true
}

// closeRel reports whether a and b agree to tol relative to scale (and
// treats equal infinities as equal).
func closeRel(a, b, tol, scale float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= tol*max(scale, 1)
}
