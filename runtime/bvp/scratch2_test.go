package bvp

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func TestScratchErr(t *testing.T) {
	sys := newBump(2, 1)
	x0, x1 := []float64{-2, 0.3}, []float64{2, 0.3}
	ref, err := Solve(sys, x0, x1, &Settings{Steps: 512, MaxSteps: 512, Segments: 8})
	if err != nil {
		t.Fatal(err)
	}
	v0 := make([]float64, 2)
	ref.At(nil, v0, 0)
	for _, n := range []int{8, 12, 16, 24, 32, 48, 64} {
		s, _ := NewSolver(sys, &Settings{Steps: n, MaxSteps: n, Segments: 2})
		g := s.grid(0)
		s.cols = 0
		y := s.y[:4]
		copy(y, x0)
		copy(y[2:], v0)
		fx, _ := NewSolverFixed(4)
		start := time.Now()
		var est float64
		for rep := 0; rep < 100; rep++ {
			copy(y, x0)
			copy(y[2:], v0)
			est, _ = s.integrate(fx, g, 0, g.n)
		}
		el := time.Since(start) / 100
		e := math.Hypot(y[0]-x1[0], y[1]-x1[1])
		// interpolation error at midpoints
		var p Path
		s.finish(&p, g, "x", 0, 0, 0)
		var ie float64
		xa, va, xb, vb := make([]float64, 2), make([]float64, 2), make([]float64, 2), make([]float64, 2)
		for i := 0; i <= 200; i++ {
			tt := float64(i) / 200
			p.At(xa, va, tt)
			ref.At(xb, vb, tt)
			ie = math.Max(ie, math.Max(math.Hypot(xa[0]-xb[0], xa[1]-xb[1]), math.Hypot(va[0]-vb[0], va[1]-vb[1])))
		}
		fmt.Printf("N=%d endErr=%.2g est=%.2g interpErr=%.2g dS=%.2g time=%v\n", n, e, est, ie, p.Action-ref.Action, el)
	}
}

func NewSolverFixed(n int) (*odeFixed, error) { return newFixedRK8(n) }

func TestScratchInterp(t *testing.T) {
	sys := harmonic{2, 1.2}
	x0, x1 := []float64{1, 0}, []float64{0, 1}
	p, _ := Solve(sys, x0, x1, nil)
	xa, va, xb, vb := make([]float64, 2), make([]float64, 2), make([]float64, 2), make([]float64, 2)
	for _, tt := range []float64{0, 0.1, 0.5, 0.77, 1} {
		p.At(xa, va, tt)
		sys.exact(xb, vb, tt, x0, x1)
		fmt.Println(tt, xa, xb, va, vb)
	}
}

func TestScratchRef(t *testing.T) {
	sys := newBump(2, 1)
	x0, x1 := []float64{-2, 0.3}, []float64{2, 0.3}
	for _, n := range []int{16, 64, 128, 256, 512} {
		ref, err := Solve(sys, x0, x1, &Settings{Steps: n, MaxSteps: 4096, Segments: 8})
		if err != nil {
			t.Fatal(err)
		}
		xa, va := make([]float64, 2), make([]float64, 2)
		ref.At(xa, va, 0.5)
		fmt.Println(n, xa, va, ref.Method, ref.Residual)
	}
}

func BenchmarkScratchInt(b *testing.B) {
	sys := newBump(2, 1)
	s, _ := NewSolver(sys, &Settings{Steps: 32, MaxSteps: 32, Segments: 2})
	g := s.grid(0)
	s.cols = 0
	fx, _ := NewSolverFixed(4)
	for b.Loop() {
		y := s.y[:4]
		y[0], y[1], y[2], y[3] = -2, 0.3, 4, 0.3
		s.integrate(fx, g, 0, g.n)
	}
}
