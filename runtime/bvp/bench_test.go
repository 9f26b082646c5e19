package bvp

import "testing"

func benchSolve(b *testing.B, sys interface {
	Dim() int
}, s *Solver, x0, x1 []float64) {
	var p Path
	if err := s.Solve(&p, x0, x1); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := s.Solve(&p, x0, x1); err != nil {
			b.Fatal(err)
		}
	}
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
