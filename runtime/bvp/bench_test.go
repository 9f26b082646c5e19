package bvp

import (
	"math/rand/v2"
	"testing"
)

func benchSolve(b *testing.B, sys interface {
	Dim() int
}, s *Solver, x0, x1 []float64) {
	var p Path
	if err := s.Solve(&p, x0, x1); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0, n := cpuTime(), 0
	for b.Loop() {
		if err := s.Solve(&p, x0, x1); err != nil {
			b.Fatal(err)
		}
		n++
	}
	// On a shared machine wall time overstates the cost; CPU time of this
	// process is the honest figure for "one core".
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(n), "cpu-ns/op")
	b.ReportMetric(float64(p.Iterations), "newton/op")
	b.ReportMetric(float64(p.Steps), "steps")
}

func BenchmarkSolveBump2(b *testing.B) {
	sys := newBump(2, 1)
	s, err := NewSolver(sys, nil)
	if err != nil {
		b.Fatal(err)
	}
	benchSolve(b, sys, s, []float64{-2, 0.3}, []float64{2, 0.3})
}

func BenchmarkSolveBump16(b *testing.B) {
	sys := newBump(16, 1)
	s, err := NewSolver(sys, nil)
	if err != nil {
		b.Fatal(err)
	}
	x0, x1 := ends16()
	benchSolve(b, sys, s, x0, x1)
}

// BenchmarkSolveBump2Random solves a fixed set of random pairs (N(0, 1.5²)
// endpoints) for the d=2 obstacle, a mix of easy and hard pairs like a
// training batch; the figure is per pair.
func BenchmarkSolveBump2Random(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n, d = 256, 2
	xs, ys := randomPoints(rng, n, d, 1.5), randomPoints(rng, n, d, 1.5)
	s, err := NewSolver(newBump(d, 1), nil)
	if err != nil {
		b.Fatal(err)
	}
	var p Path
	b.ReportAllocs()
	c0, k := cpuTime(), 0
	for b.Loop() {
		i := k % n
		if err := s.Solve(&p, xs[i*d:(i+1)*d], ys[i*d:(i+1)*d]); err != nil {
			b.Fatal(err)
		}
		k++
	}
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(k), "cpu-ns/op")
}
