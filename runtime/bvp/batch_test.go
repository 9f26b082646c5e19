package bvp

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func randomPoints(rng *rand.Rand, n, d int, scale float64) []float64 {
	p := make([]float64, n*d)
	for i := range p {
		p[i] = scale * rng.NormFloat64()
	}
	return p
}

func TestSolveBatchMatchesSolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n, d = 40, 2
	x0s, x1s := randomPoints(rng, n, d, 1.5), randomPoints(rng, n, d, 1.5)
	x0s[7*d] = math.NaN() // pair 7 must fail alone, and say so
	sys := newBump(d, 1)
	paths, err := SolveBatch(sys, x0s, x1s, n, nil)
	var be *BatchError
	if !errors.As(err, &be) || len(be.Failed) != 1 || be.Failed[0].I != 7 || be.Total != n {
		t.Fatalf("error %v, want a BatchError naming pair 7 only", err)
	}
	for i := 0; i < n; i++ {
		if i == 7 {
			if paths[i] != nil {
				t.Error("the failed pair has a path")
			}
			continue
		}
		want, err := Solve(sys, x0s[i*d:(i+1)*d], x1s[i*d:(i+1)*d], nil)
		if err != nil {
			t.Fatal(err)
		}
		if paths[i] == nil || math.Abs(paths[i].Action-want.Action) > 1e-12 {
			t.Errorf("pair %d: batch path %+v, want action %g", i, paths[i], want.Action)
		}
	}
	if _, err := SolveBatch(sys, x0s, x1s[:3], n, nil); err == nil {
		t.Error("mismatched lengths: want an error")
	}
}

func TestCostMatrix(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, m, d = 9, 7, 2
	xs, ys := randomPoints(rng, n, d, 1), randomPoints(rng, m, d, 1)
	// Closed form: every entry is the harmonic action formula.
	cf := closedHarmonic{harmonic{d, 1.2}}
	c := make([]float64, n*m)
	if err := CostMatrix(c, cf, xs, n, ys, m, nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			want, _ := cf.Action(xs[i*d:(i+1)*d], ys[j*d:(j+1)*d])
			if c[i*m+j] != want {
				t.Errorf("closed form C[%d][%d] = %g, want %g", i, j, c[i*m+j], want)
			}
		}
	}
	// Numeric: the same entries through collocation, to 1e-9.
	c2 := make([]float64, n*m)
	if err := CostMatrix(c2, harmonic{d, 1.2}, xs, n, ys, m, nil); err != nil {
		t.Fatal(err)
	}
	for k := range c {
		if math.Abs(c2[k]-c[k]) > 1e-9 {
			t.Errorf("numeric C[%d][%d] = %.15g, closed form %.15g", k/m, k%m, c2[k], c[k])
		}
	}
	// A bad point fails its row only, with (i, j) indices.
	ys[3*d+1] = math.Inf(1)
	err := CostMatrix(c2, newBump(d, 1), xs, n, ys, m, nil)
	var be *BatchError
	if !errors.As(err, &be) || len(be.Failed) != n {
		t.Fatalf("error %v, want %d failures", err, n)
	}
	for i, pe := range be.Failed {
		if pe.I != i || pe.J != 3 || !math.IsNaN(c2[pe.I*m+pe.J]) {
			t.Errorf("failure %d is pair (%d, %d), entry %g; want (%d, 3) and NaN", i, pe.I, pe.J, c2[pe.I*m+pe.J], i)
		}
	}
	if err := CostMatrix(c2[:5], cf, xs, n, ys, m, nil); err == nil {
		t.Error("short dst: want an error")
	}
}

func BenchmarkCostMatrixBump2(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n, d = 256, 2
	xs, ys := randomPoints(rng, n, d, 1.5), randomPoints(rng, n, d, 1.5)
	c := make([]float64, n*n)
	sys := newBump(d, 1)
	b.ReportAllocs()
	c0, k := cpuTime(), 0
	for b.Loop() {
		if err := CostMatrix(c, sys, xs, n, ys, n, nil); err != nil {
			b.Fatal(err)
		}
		k++
	}
	// CPU seconds summed over the worker goroutines: on an idle machine the
	// wall time is this divided by the number of cores.
	b.ReportMetric((cpuTime()-c0).Seconds()/float64(k), "cpu-s/op")
}
