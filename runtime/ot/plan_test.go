package ot

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// lpTransport solves the transport problem as a linear program with
// gonum's simplex: the independent reference for Plan. Forbidden (+Inf)
// entries cost bigM in the program; if the optimum still uses them there is
// no feasible plan, and lpTransport reports +Inf.
func lpTransport(t *testing.T, cost []float64, n, m int, a, b []float64) float64 {
	t.Helper()
	const bigM = 1e6
	// Row sums, and all column sums but the last (the constraints are
	// otherwise linearly dependent, which the simplex refuses).
	A := mat.NewDense(n+m-1, n*m, nil)
	c := make([]float64, n*m)
	for k, ck := range cost {
		i, j := k/m, k%m
		c[k] = ck
		if math.IsInf(ck, 1) {
			c[k] = bigM
		}
		A.Set(i, k, 1)
		if j < m-1 {
			A.Set(n+j, k, 1)
		}
	}
	rhs := append(append([]float64(nil), a...), b[:m-1]...)
	opt, x, err := lp.Simplex(c, A, rhs, 1e-12, nil)
	if err != nil {
		t.Fatalf("simplex: %v", err)
	}
	for k, xk := range x {
		if math.IsInf(cost[k], 1) && xk > 1e-9 {
			return math.Inf(1)
		}
	}
	return opt
}

func randomWeights(rng *rand.Rand, n int, total float64) []float64 {
	w := make([]float64, n)
	var s float64
	for i := range w {
		w[i] = rng.Float64() + 0.05
		s += w[i]
	}
	for i := range w {
		w[i] *= total / s
	}
	return w
}

func uniform(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	return w
}

// checkPlan checks a plan's entries, marginals and reported cost.
func checkPlan(t *testing.T, plan []Flow, total float64, cost []float64, n, m int, a, b []float64, tol float64) {
	t.Helper()
	ra, rb := make([]float64, n), make([]float64, m)
	var sum float64
	for k, f := range plan {
		if f.I < 0 || f.I >= n || f.J < 0 || f.J >= m || !(f.Mass > 0) {
			t.Fatalf("bad entry %+v", f)
		}
		if k > 0 && (plan[k-1].I > f.I || plan[k-1].I == f.I && plan[k-1].J >= f.J) {
			t.Fatalf("entries out of order at %d: %+v then %+v", k, plan[k-1], f)
		}
		ra[f.I] += f.Mass
		rb[f.J] += f.Mass
		sum += f.Mass * cost[f.I*m+f.J]
	}
	for i := range ra {
		if math.Abs(ra[i]-a[i]) > tol {
			t.Fatalf("row %d ships %v, want %v", i, ra[i], a[i])
		}
	}
	for j := range rb {
		if math.Abs(rb[j]-b[j]) > tol {
			t.Fatalf("column %d receives %v, want %v", j, rb[j], b[j])
		}
	}
	if math.Abs(sum-total) > 1e-12*max(1, math.Abs(total)) {
		t.Fatalf("reported cost %v, entries sum to %v", total, sum)
	}
}

func TestPlanAgainstLP(t *testing.T) {
	gens := []struct {
		name string
		gen  func(rng *rand.Rand, n, m int) []float64
	}{
		{"uniform costs", func(rng *rand.Rand, n, m int) []float64 {
			c := make([]float64, n*m)
			for i := range c {
				c[i] = rng.Float64()
			}
			return c
		}},
		{"integer ties", func(rng *rand.Rand, n, m int) []float64 {
			c := make([]float64, n*m)
			for i := range c {
				c[i] = float64(rng.IntN(3))
			}
			return c
		}},
		{"negative", func(rng *rand.Rand, n, m int) []float64 {
			c := make([]float64, n*m)
			for i := range c {
				c[i] = -10 * rng.Float64()
			}
			return c
		}},
		{"squared distances", func(rng *rand.Rand, n, m int) []float64 {
			return sqDistNaive(gaussianCloud(rng, n, 2), n, moonsCloud(rng, m), m, 2)
		}},
		{"forbidden entries", func(rng *rand.Rand, n, m int) []float64 {
			c := make([]float64, n*m)
			for i := range c {
				c[i] = rng.Float64()
				if rng.IntN(4) == 0 {
					c[i] = math.Inf(1)
				}
			}
			return c
		}},
	}
	for _, g := range gens {
		t.Run(g.name, func(t *testing.T) {
			rng := newRand(5)
			for range 60 {
				n, m := 1+rng.IntN(6), 1+rng.IntN(6)
				cost := g.gen(rng, n, m)
				for _, weighted := range []bool{false, true} {
					var a, b []float64 // nil: uniform
					wa, wb := uniform(n), uniform(m)
					if weighted {
						a, b = randomWeights(rng, n, 2), randomWeights(rng, m, 2)
						wa, wb = a, b
					}
					want := lpTransport(t, cost, n, m, wa, wb)
					plan, got, err := Plan(nil, cost, n, m, a, b, nil)
					if math.IsInf(want, 1) {
						if !errors.Is(err, ErrInfeasible) {
							t.Fatalf("%d×%d: LP finds no plan, Plan says %v (cost %v)", n, m, err, got)
						}
						continue
					}
					if err != nil {
						t.Fatalf("%d×%d weighted=%v: %v", n, m, weighted, err)
					}
					if math.Abs(got-want) > 1e-9*max(1, math.Abs(want)) {
						t.Fatalf("%d×%d weighted=%v: cost %v, LP %v\ncost=%v", n, m, weighted, got, want, cost)
					}
					checkPlan(t, plan, got, cost, n, m, wa, wb, 1e-12)
				}
			}
		})
	}
}

// TestPlanWeightedWideAgainstLP covers the shortlist search (m > listMin)
// with general weights against the simplex.
func TestPlanWeightedWideAgainstLP(t *testing.T) {
	const n, m = 40, listMin + 6
	rng := newRand(8)
	cost := sqDistNaive(gaussianCloud(rng, n, 2), n, moonsCloud(rng, m), m, 2)
	a, b := randomWeights(rng, n, 1), randomWeights(rng, m, 1)
	want := lpTransport(t, cost, n, m, a, b)
	plan, got, err := Plan(nil, cost, n, m, a, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-want) > 1e-9*want {
		t.Fatalf("cost %v, LP %v", got, want)
	}
	checkPlan(t, plan, got, cost, n, m, a, b, 1e-12)
}

// TestPlanWideTies covers the shortlist search of Plan on degenerate
// problems: repeated points (identical rows and columns) and small-integer
// costs with many ties. Weights are whole multiples of 1/S, so the plan's
// cost is that of an S×S assignment between rows and columns repeated by
// their weights, which the Hungarian algorithm gives independently.
func TestPlanWideTies(t *testing.T) {
	const n, m, S = 12, listMin + 6, 150
	for _, tc := range []struct {
		name string
		cost func(rng *rand.Rand) []float64
	}{
		{"duplicate points", func(rng *rand.Rand) []float64 {
			xs, ys := gaussianCloud(rng, 4, 2), moonsCloud(rng, 5)
			x, y := make([]float64, 0, 2*n), make([]float64, 0, 2*m)
			for i := range n {
				x = append(x, xs[2*(i%4)], xs[2*(i%4)+1])
			}
			for j := range m {
				y = append(y, ys[2*(j%5)], ys[2*(j%5)+1])
			}
			return sqDistNaive(x, n, y, m, 2)
		}},
		{"integers 0..2", func(rng *rand.Rand) []float64 {
			c := make([]float64, n*m)
			for k := range c {
				c[k] = float64(rng.IntN(3))
			}
			return c
		}},
	} {
		rng := newRand(11)
		cost := tc.cost(rng)
		// counts splits S into k positive whole parts.
		counts := func(k int) []int {
			c := make([]int, k)
			for i := range c {
				c[i] = 1
			}
			for range S - k {
				c[rng.IntN(k)]++
			}
			return c
		}
		ca, cb := counts(n), counts(m)
		a, b := make([]float64, n), make([]float64, m)
		var rows, cols []int
		for i, c := range ca {
			a[i] = float64(c) / S
			for range c {
				rows = append(rows, i)
			}
		}
		for j, c := range cb {
			b[j] = float64(c) / S
			for range c {
				cols = append(cols, j)
			}
		}
		big := make([]float64, S*S)
		for r, i := range rows {
			for c, j := range cols {
				big[r*S+c] = cost[i*m+j]
			}
		}
		want := hungarian(big, S) / S
		plan, got, err := Plan(nil, cost, n, m, a, b, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if math.Abs(got-want) > 1e-9*max(want, 1) {
			t.Fatalf("%s: cost %v, replicated assignment %v", tc.name, got, want)
		}
		checkPlan(t, plan, got, cost, n, m, a, b, 1e-12)
	}
}

// FuzzPlan checks Plan with uniform weights on small byte-derived problems
// (ties and forbidden entries included) against an independent truth: the
// assignment between each source repeated m/g times and each target
// repeated n/g times, solved by the Hungarian algorithm.
func FuzzPlan(f *testing.F) {
	f.Add([]byte{2, 3, 1, 2, 3, 4, 5, 6})
	f.Add([]byte{4, 1, 0, 0, 0, 0})
	f.Add([]byte{3, 5, 255, 1, 2, 255, 0, 7, 7, 7, 255, 3, 9, 1, 1, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		n, m := int(data[0]%5)+1, int(data[1]%5)+1
		data = data[2:]
		cost := make([]float64, n*m)
		for k := range cost {
			if k < len(data) {
				if b := data[k]; b == 255 {
					cost[k] = math.Inf(1)
				} else {
					cost[k] = float64(int(b) - 100)
				}
			}
		}
		g := gcd(n, m)
		rx, ry := m/g, n/g
		N := n * rx
		big := make([]float64, N*N)
		for i := range N {
			for j := range N {
				big[i*N+j] = cost[(i/rx)*m+j/ry]
			}
		}
		want := hungarian(big, N) / float64(N)
		plan, got, err := Plan(nil, cost, n, m, nil, nil, nil)
		switch {
		case math.IsInf(want, 1):
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("want ErrInfeasible, got %v, %v", got, err)
			}
		case err != nil:
			t.Fatal(err)
		case math.Abs(got-want) > 1e-12*max(math.Abs(want), 1):
			t.Fatalf("Plan = %v, replicated Hungarian %v", got, want)
		default:
			checkPlan(t, plan, got, cost, n, m, uniform(n), uniform(m), 1e-12)
		}
	})
}

// TestPlanMatchesAssign checks that with n = m and uniform weights the plan
// is the optimal permutation with mass 1/n each.
func TestPlanMatchesAssign(t *testing.T) {
	for _, n := range []int{7, 64, 300} {
		rng := newRand(uint64(n))
		cost := sqDistNaive(gaussianCloud(rng, n, 2), n, moonsCloud(rng, n), n, 2)
		want, err := Assign(make([]int, n), cost, n, nil)
		if err != nil {
			t.Fatal(err)
		}
		plan, got, err := Plan(nil, cost, n, n, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want/float64(n)) > 1e-12*want {
			t.Fatalf("n=%d: Plan cost %v, Assign/n %v", n, got, want/float64(n))
		}
		checkPlan(t, plan, got, cost, n, n, uniform(n), uniform(n), 1e-15)
	}
}

func TestPlanUnequalSizes(t *testing.T) {
	for _, sz := range [][2]int{{200, 120}, {97, 256}} {
		n, m := sz[0], sz[1]
		rng := newRand(9)
		cost := sqDistNaive(gaussianCloud(rng, n, 2), n, moonsCloud(rng, m), m, 2)
		plan, total, err := Plan(nil, cost, n, m, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkPlan(t, plan, total, cost, n, m, uniform(n), uniform(m), 1e-15)
		if len(plan) > n+m-1 {
			t.Errorf("%d×%d: %d nonzero entries, a vertex has at most %d", n, m, len(plan), n+m-1)
		}
		// Weighted with the same uniform weights spelled out: same cost.
		_, total2, err := Plan(nil, cost, n, m, uniform(n), uniform(m), nil)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(total-total2) > 1e-12*total {
			t.Fatalf("%d×%d: integer-unit cost %v, weighted cost %v", n, m, total, total2)
		}
	}
}

// TestPlanMatchesReplicatedAssign checks unequal sizes against an
// independent truth: with uniform weights, n sources and m targets are
// equivalent to an assignment between each source repeated m/g times and
// each target repeated n/g times (g = gcd(n, m)).
func TestPlanMatchesReplicatedAssign(t *testing.T) {
	for _, sz := range [][2]int{{90, 60}, {80, 120}, {100, 75}} {
		n, m := sz[0], sz[1]
		g := gcd(n, m)
		rx, ry := m/g, n/g
		N := n * rx
		rng := newRand(uint64(n + m))
		x := gaussianCloud(rng, n, 2)
		y := moonsCloud(rng, m)
		cost := sqDistNaive(x, n, y, m, 2)
		big := make([]float64, N*N)
		for i := range N {
			for j := range N {
				big[i*N+j] = cost[(i/rx)*m+j/ry]
			}
		}
		want, err := Assign(make([]int, N), big, N, nil)
		if err != nil {
			t.Fatal(err)
		}
		want /= float64(N)
		plan, got, err := Plan(nil, cost, n, m, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-12*want {
			t.Fatalf("%d×%d: Plan cost %v, replicated assignment %v", n, m, got, want)
		}
		checkPlan(t, plan, got, cost, n, m, uniform(n), uniform(m), 1e-15)
	}
}

func TestPlanBadInput(t *testing.T) {
	inf := math.Inf(1)
	c22 := []float64{1, 2, 3, 4}
	for _, tc := range []struct {
		name    string
		cost    []float64
		n, m    int
		a, b    []float64
		wantErr string
	}{
		{"empty", nil, 0, 3, nil, nil, "empty problem"},
		{"short cost", []float64{1, 2, 3}, 2, 2, nil, nil, "cost has 3 entries"},
		{"NaN cost", []float64{1, math.NaN(), 3, 4}, 2, 2, nil, nil, "NaN"},
		{"wrong a length", c22, 2, 2, []float64{1}, []float64{0.5, 0.5}, "a has length 1"},
		{"negative weight", c22, 2, 2, []float64{1.5, -0.5}, []float64{0.5, 0.5}, "a[1] = -0.5"},
		{"NaN weight", c22, 2, 2, []float64{0.5, 0.5}, []float64{math.NaN(), 1}, "b[0] = NaN"},
		{"zero total", c22, 2, 2, []float64{0, 0}, nil, "a sums to 0"},
		{"unequal totals", c22, 2, 2, []float64{0.5, 0.5}, []float64{0.5, 0.6}, "total masses differ"},
		{"infeasible", []float64{1, inf, 2, inf, 3, 4}, 3, 2, []float64{0.5, 0.5, 0}, []float64{0.1, 0.9}, "cannot be placed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Plan(nil, tc.cost, tc.n, tc.m, tc.a, tc.b, nil)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}
