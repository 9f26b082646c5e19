package ot

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestSinkhornApproachesExact checks, at decreasing ε, the bounds that
// follow from optimality of the entropic plan P_ε against the exact plan
// P* (KL(P*|a⊗b) ≤ log n for a permutation): the transport cost and the
// dual value Σ a_i f_i + Σ b_j g_j both lie in [OT, OT + ε log n], up to the
// marginal tolerance; and the plan's marginals.
func TestSinkhornApproachesExact(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
		seed uint64
	}{
		{"n=40", 40, 1},
		{"n=80", 80, 2},
		{"n=150", 150, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.n
			rng := newRand(tc.seed)
			cost := sqDistNaive(gaussianCloud(rng, n, 2), n, moonsCloud(rng, n), n, 2)
			exact, err := Assign(make([]int, n), cost, n, nil)
			if err != nil {
				t.Fatal(err)
			}
			exact /= float64(n)
			lo, hi, _, _ := checkCost(cost, n, n)
			span := hi - lo
			const tol = 1e-6
			plan := make([]float64, n*n)
			f, g := make([]float64, n), make([]float64, n)
			prevGap := math.Inf(1)
			for _, rel := range []float64{1e-1, 1e-2, 1e-3} {
				eps := rel * span
				res, err := Sinkhorn(plan, f, g, cost, n, n, nil, nil, eps, &SinkhornSettings{Tol: tol})
				if err != nil {
					t.Fatalf("ε=%g: %v", eps, err)
				}
				slack := 4 * tol * (math.Abs(lo) + math.Abs(hi))
				bound := eps*math.Log(float64(n)) + slack
				gap := res.Cost - exact
				if gap < -slack || gap > bound {
					t.Fatalf("ε=%g: cost %v − exact %v = %v, want in [0, %v]", eps, res.Cost, exact, gap, bound)
				}
				var dual float64
				for i := range n {
					dual += (f[i] + g[i]) / float64(n)
				}
				if d := dual - exact; d < -slack || d > bound {
					t.Fatalf("ε=%g: dual value %v − exact %v = %v, want in [0, %v]", eps, dual, exact, d, bound)
				}
				if gap > prevGap+slack {
					t.Fatalf("ε=%g: gap %v grew from %v", eps, gap, prevGap)
				}
				prevGap = gap
				rows, cols := make([]float64, n), make([]float64, n)
				for i := range n {
					for j := range n {
						p := plan[i*n+j]
						if !(p >= 0) {
							t.Fatalf("ε=%g: plan[%d,%d] = %v", eps, i, j, p)
						}
						rows[i] += p
						cols[j] += p
					}
				}
				var rowErr float64
				for i := range n {
					rowErr += math.Abs(rows[i] - 1/float64(n))
					if math.Abs(cols[i]-1/float64(n)) > 1e-12 {
						t.Fatalf("ε=%g: column %d sums to %v", eps, i, cols[i])
					}
				}
				if rowErr > tol*1.01 || math.Abs(rowErr-res.MarginalError) > 1e-12 {
					t.Fatalf("ε=%g: row violation %v, reported %v, tolerance %v", eps, rowErr, res.MarginalError, tol)
				}
			}
		})
	}
}

// TestSinkhornWeighted checks a weighted problem with zero weights and
// forbidden entries: marginals hold and forbidden entries get no mass.
func TestSinkhornWeighted(t *testing.T) {
	const n, m = 40, 25
	rng := newRand(11)
	cost := sqDistNaive(gaussianCloud(rng, n, 3), n, gaussianCloud(rng, m, 3), m, 3)
	for k := range cost {
		if rng.IntN(5) == 0 {
			cost[k] = math.Inf(1)
		}
	}
	a, b := randomWeights(rng, n, 1), randomWeights(rng, m, 1)
	a[3], b[7] = 0, 0
	// Restore equal totals after zeroing.
	var sa, sb float64
	for _, x := range a {
		sa += x
	}
	for _, x := range b {
		sb += x
	}
	for j := range b {
		b[j] *= sa / sb
	}
	plan := make([]float64, n*m)
	res, err := Sinkhorn(plan, nil, nil, cost, n, m, a, b, 0.01, &SinkhornSettings{Tol: 1e-8})
	if err != nil {
		t.Fatal(err)
	}
	rows, cols := make([]float64, n), make([]float64, m)
	for i := range n {
		for j := range m {
			p := plan[i*m+j]
			if math.IsInf(cost[i*m+j], 1) && p != 0 {
				t.Fatalf("forbidden entry (%d,%d) carries %v", i, j, p)
			}
			rows[i] += p
			cols[j] += p
		}
	}
	var rowErr float64
	for i := range rows {
		rowErr += math.Abs(rows[i] - a[i])
	}
	if rowErr > 1e-8*1.01 {
		t.Fatalf("row violation %v", rowErr)
	}
	for j := range cols {
		if math.Abs(cols[j]-b[j]) > 1e-12 {
			t.Fatalf("column %d sums to %v, want %v", j, cols[j], b[j])
		}
	}
	if rows[3] != 0 || cols[7] != 0 {
		t.Fatalf("zero-weight row/column carry %v, %v", rows[3], cols[7])
	}
	if math.IsNaN(res.Cost) {
		t.Fatal("NaN cost")
	}
}

// TestSinkhornSmallEpsStable runs at ε far below the cost scale, where a
// kernel exp(−C/ε) would underflow to zero everywhere.
func TestSinkhornSmallEpsStable(t *testing.T) {
	const n = 50
	rng := newRand(12)
	cost := sqDistNaive(gaussianCloud(rng, n, 2), n, moonsCloud(rng, n), n, 2)
	for k := range cost {
		cost[k] = 1000 + 100*cost[k] // exp(−C/ε) = 0 in float64 for every entry
	}
	lo, hi, _, _ := checkCost(cost, n, n)
	eps := 1e-3 * (hi - lo)
	exact, err := Assign(make([]int, n), cost, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	plan := make([]float64, n*n)
	res, err := Sinkhorn(plan, nil, nil, cost, n, n, nil, nil, eps, &SinkhornSettings{Tol: 1e-7})
	if err != nil {
		t.Fatal(err)
	}
	slack := 4e-7 * hi
	if gap := res.Cost - exact/n; gap < -slack || gap > eps*math.Log(n)+slack {
		t.Fatalf("ε=%g: cost %v, exact %v", eps, res.Cost, exact/n)
	}
	for k, p := range plan {
		if math.IsNaN(p) || math.IsInf(p, 0) {
			t.Fatalf("plan[%d] = %v", k, p)
		}
	}
}

// TestSinkhornUnderflowingKernel starts without ε-scaling where every
// kernel entry exp(−C/ε) underflows to zero, so the first steps must fall
// back to the log domain; the result must still have the right marginals.
func TestSinkhornUnderflowingKernel(t *testing.T) {
	const n, m = 30, 20
	rng := newRand(14)
	cost := sqDistNaive(gaussianCloud(rng, n, 2), n, gaussianCloud(rng, m, 2), m, 2)
	for k := range cost {
		cost[k] += 1e4
	}
	plan := make([]float64, n*m)
	res, err := Sinkhorn(plan, nil, nil, cost, n, m, nil, nil, 1, &SinkhornSettings{NoEpsScaling: true, Tol: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	rows, cols := make([]float64, n), make([]float64, m)
	for i := range n {
		for j := range m {
			rows[i] += plan[i*m+j]
			cols[j] += plan[i*m+j]
		}
	}
	var rowErr float64
	for i := range rows {
		rowErr += math.Abs(rows[i] - 1.0/n)
	}
	for j := range cols {
		if math.Abs(cols[j]-1.0/m) > 1e-12 {
			t.Fatalf("column %d sums to %v", j, cols[j])
		}
	}
	if rowErr > 1.01e-9 || math.Abs(rowErr-res.MarginalError) > 1e-12 {
		t.Fatalf("row violation %v, reported %v", rowErr, res.MarginalError)
	}
}

func TestSinkhornNotConverged(t *testing.T) {
	const n = 30
	rng := newRand(13)
	cost := sqDistNaive(gaussianCloud(rng, n, 2), n, moonsCloud(rng, n), n, 2)
	plan := make([]float64, n*n)
	res, err := Sinkhorn(plan, nil, nil, cost, n, n, nil, nil, 1e-3, &SinkhornSettings{MaxIter: 3, Tol: 1e-12})
	if !errors.Is(err, ErrNotConverged) {
		t.Fatalf("got %v, want ErrNotConverged", err)
	}
	if res.Iterations != 3 || !(res.MarginalError > 1e-12) {
		t.Fatalf("result %+v", res)
	}
}

func TestSinkhornBadInput(t *testing.T) {
	c22 := []float64{1, 2, 3, 4}
	p4 := make([]float64, 4)
	for _, tc := range []struct {
		name    string
		plan    []float64
		f       []float64
		cost    []float64
		a       []float64
		eps     float64
		wantErr string
	}{
		{"zero ε", p4, nil, c22, nil, 0, "need a finite ε > 0"},
		{"NaN ε", p4, nil, c22, nil, math.NaN(), "need a finite ε > 0"},
		{"short plan", p4[:3], nil, c22, nil, 1, "plan has length 3"},
		{"short f", p4, make([]float64, 1), c22, nil, 1, "f and g have lengths"},
		{"NaN cost", p4, nil, []float64{1, math.NaN(), 3, 4}, nil, 1, "NaN"},
		{"bad weights", p4, nil, c22, []float64{1, -1}, 1, "a[1] = -1"},
		{"unequal totals", p4, nil, c22, []float64{1, 1}, 1, "total masses differ"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Sinkhorn(tc.plan, tc.f, nil, tc.cost, 2, 2, tc.a, nil, tc.eps, nil)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
	// Row 0's only finite cost leads to a column of zero weight.
	_, err := Sinkhorn(p4, nil, nil, []float64{math.Inf(1), 1, 2, 3}, 2, 2, nil, []float64{1, 0}, 1, nil)
	if !errors.Is(err, ErrInfeasible) {
		t.Fatalf("stranded mass: got %v, want ErrInfeasible", err)
	}
}
