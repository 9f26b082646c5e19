package coupling

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/ot"
)

// halfSqCost returns n random 2-D points on each side and the cost
// ½|x − y|² between them.
func halfSqCost(t testing.TB, n int, seed uint64) []float64 {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	x, y := make([]float64, 2*n), make([]float64, 2*n)
	for i := range x {
		x[i], y[i] = rng.NormFloat64(), 2+rng.NormFloat64()
	}
	cost := make([]float64, n*n)
	if err := ot.SqDist(cost, x, n, y, n, 2); err != nil {
		t.Fatal(err)
	}
	for i := range cost {
		cost[i] /= 2
	}
	return cost
}

// As ε → 0 every drawn pair is a pair of the exact optimal assignment, and
// n distinct draws are that assignment.
func TestSmallEpsilonDrawsOptimalPairs(t *testing.T) {
	const n = 12
	for seed := range uint64(3) {
		cost := halfSqCost(t, n, seed)
		perm := make([]int, n)
		if _, err := ot.Assign(perm, cost, n, nil); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(seed, 5))
		for _, replace := range []bool{false, true} {
			e := &Entropic{Epsilon: 1e-3, Replace: replace}
			k := n
			if replace {
				k = 500
			}
			rows, cols := make([]int, k), make([]int, k)
			if _, err := e.Pairs(rows, cols, cost, n, n, rng); err != nil {
				t.Fatal(err)
			}
			seen := make([]bool, n)
			for r := range k {
				if cols[r] != perm[rows[r]] {
					t.Fatalf("seed %d replace=%v: drew pair (%d, %d); the optimal assignment sends %d to %d", seed, replace, rows[r], cols[r], rows[r], perm[rows[r]])
				}
				seen[rows[r]] = true
			}
			if !replace {
				for i, ok := range seen {
					if !ok {
						t.Errorf("seed %d: %d distinct draws missed the optimal pair of row %d", seed, n, i)
					}
				}
			}
		}
	}
}

// chiSquare returns Pearson's statistic of counts against probabilities p.
func chiSquare(counts []int, p []float64, total int) float64 {
	var x2 float64
	for c, q := range p {
		want := q * float64(total)
		x2 += (float64(counts[c]) - want) * (float64(counts[c]) - want) / want
	}
	return x2
}

// As ε → ∞ the pairs are independent and uniform: Pearson's χ² over the
// 16 cells of a 4×4 plan stays below the 0.999 quantile of χ²(15), 37.7.
func TestLargeEpsilonDrawsIndependentPairs(t *testing.T) {
	const n, draws = 4, 16000
	cost := halfSqCost(t, n, 1)
	e := &Entropic{Epsilon: 1e6, Replace: true}
	rows, cols := make([]int, draws), make([]int, draws)
	if _, err := e.Pairs(rows, cols, cost, n, n, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	counts := make([]int, n*n)
	for r := range draws {
		counts[rows[r]*n+cols[r]]++
	}
	uniform := make([]float64, n*n)
	for c := range uniform {
		uniform[c] = 1.0 / (n * n)
	}
	if x2 := chiSquare(counts, uniform, draws); x2 > 37.7 {
		t.Errorf("χ² = %.1f against independent uniform pairs (15 dof, 0.999 quantile 37.7); counts %v", x2, counts)
	}
	// The same statistic against the small-ε plan is huge: the test can fail.
	e.Epsilon = 1e-2
	if _, err := e.Pairs(rows, cols, cost, n, n, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	clear(counts)
	for r := range draws {
		counts[rows[r]*n+cols[r]]++
	}
	if x2 := chiSquare(counts, uniform, draws); x2 < 1000 {
		t.Errorf("χ² = %.1f at small ε; expected the coupling to be far from independent", x2)
	}
}

// At a moderate ε, single draws with and without replacement both follow
// the normalised plan (χ² over its 9 cells below the 0.999 quantile of χ²(8),
// 26.1).
func TestDrawsFollowThePlan(t *testing.T) {
	const n, draws = 3, 9000
	cost := halfSqCost(t, n, 4)
	const eps = 1.0
	plan := make([]float64, n*n)
	if _, err := ot.Sinkhorn(plan, nil, nil, cost, n, n, nil, nil, eps, nil); err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, p := range plan {
		total += p
	}
	for c := range plan {
		plan[c] /= total
	}
	for _, replace := range []bool{true, false} {
		e := &Entropic{Epsilon: eps, Replace: replace}
		rng := rand.New(rand.NewPCG(7, 7))
		counts := make([]int, n*n)
		rows, cols := make([]int, 1), make([]int, 1)
		for range draws {
			if _, err := e.Pairs(rows, cols, cost, n, n, rng); err != nil {
				t.Fatal(err)
			}
			counts[rows[0]*n+cols[0]]++
		}
		if x2 := chiSquare(counts, plan, draws); x2 > 26.1 {
			t.Errorf("replace=%v: χ² = %.1f against the plan %v (8 dof, 0.999 quantile 26.1); counts %v", replace, x2, plan, counts)
		}
	}
}

// Without replacement the drawn cells are distinct, and a plan's
// forbidden (+Inf cost) cells are never drawn either way.
func TestDistinctCellsAndForbiddenPairs(t *testing.T) {
	const n = 3
	cost := halfSqCost(t, n, 2)
	cost[0*n+1] = math.Inf(1)
	cost[2*n+2] = math.Inf(1)
	for _, replace := range []bool{true, false} {
		e := &Entropic{Epsilon: 10, Replace: replace}
		k := 7
		rows, cols := make([]int, k), make([]int, k)
		if _, err := e.Pairs(rows, cols, cost, n, n, rand.New(rand.NewPCG(3, 3))); err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for r := range k {
			c := rows[r]*n + cols[r]
			if math.IsInf(cost[c], 1) {
				t.Errorf("replace=%v: drew the forbidden pair (%d, %d)", replace, rows[r], cols[r])
			}
			if !replace && seen[c] {
				t.Errorf("without replacement the cell (%d, %d) came twice", rows[r], cols[r])
			}
			seen[c] = true
		}
	}
}

func TestPairsRejectsBadInput(t *testing.T) {
	cost := []float64{0, 1, 1, 0}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		name       string
		e          Entropic
		rows, cols int
		cost       []float64
		want       string
	}{
		{"zero ε", Entropic{}, 2, 2, cost, "positive"},
		{"NaN ε", Entropic{Epsilon: math.NaN()}, 2, 2, cost, "positive"},
		{"slots differ", Entropic{Epsilon: 1}, 2, 3, cost, "same number"},
		{"too many distinct", Entropic{Epsilon: 1}, 5, 5, cost, "distinct"},
		{"NaN cost", Entropic{Epsilon: 1}, 2, 2, []float64{0, math.NaN(), 1, 0}, "NaN"},
		{"short cost", Entropic{Epsilon: 1}, 2, 2, cost[:3], "cost"},
	} {
		_, err := tc.e.Pairs(make([]int, tc.rows), make([]int, tc.cols), tc.cost, 2, 2, rng)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

// A plan stopped early is used when its marginals are close enough, and
// refused otherwise.
func TestUnconvergedPlan(t *testing.T) {
	cost := halfSqCost(t, 8, 1)
	rows, cols := make([]int, 8), make([]int, 8)
	rng := rand.New(rand.NewPCG(1, 1))
	e := &Entropic{Epsilon: 1e-3, Sinkhorn: &ot.SinkhornSettings{MaxIter: 3, NoEpsScaling: true}, MaxMarginalError: 1e-9}
	res, err := e.Pairs(rows, cols, cost, 8, 8, rng)
	if err == nil || !strings.Contains(err.Error(), "raise ε") {
		t.Fatalf("3 iterations at ε = 1e-3 (marginal error %g): error %v, want a refusal", res.MarginalError, err)
	}
	e.MaxMarginalError = 1
	if _, err := e.Pairs(rows, cols, cost, 8, 8, rng); err != nil {
		t.Errorf("with any marginal error accepted: %v", err)
	}
}
