package ot

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// costGenerators make small cost matrices of the kinds that break naive
// assignment codes: ties, degenerate ranks, negative values, forbidden
// entries.
var costGenerators = []struct {
	name string
	gen  func(rng *rand.Rand, n int) []float64
}{
	{"uniform", func(rng *rand.Rand, n int) []float64 {
		c := make([]float64, n*n)
		for i := range c {
			c[i] = rng.Float64()
		}
		return c
	}},
	{"small integers with ties", func(rng *rand.Rand, n int) []float64 {
		c := make([]float64, n*n)
		for i := range c {
			c[i] = float64(rng.IntN(3))
		}
		return c
	}},
	{"all equal", func(rng *rand.Rand, n int) []float64 {
		c := make([]float64, n*n)
		for i := range c {
			c[i] = 2.5
		}
		return c
	}},
	{"rank one (every permutation ties)", func(rng *rand.Rand, n int) []float64 {
		r, s := make([]float64, n), make([]float64, n)
		for i := range r {
			r[i], s[i] = float64(rng.IntN(5)), float64(rng.IntN(5))
		}
		c := make([]float64, n*n)
		for i := range n {
			for j := range n {
				c[i*n+j] = r[i] + s[j]
			}
		}
		return c
	}},
	{"negative", func(rng *rand.Rand, n int) []float64 {
		c := make([]float64, n*n)
		for i := range c {
			c[i] = -100 * rng.Float64()
		}
		return c
	}},
	{"mixed sign wide range", func(rng *rand.Rand, n int) []float64 {
		c := make([]float64, n*n)
		for i := range c {
			c[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(7)-3))
		}
		return c
	}},
	{"squared distances", func(rng *rand.Rand, n int) []float64 {
		return sqDistNaive(gaussianCloud(rng, n, 2), n, moonsCloud(rng, n), n, 2)
	}},
	{"duplicate points", func(rng *rand.Rand, n int) []float64 {
		// Three distinct sources and four distinct targets, repeated:
		// whole blocks of rows and of columns are identical.
		xs, ys := gaussianCloud(rng, 3, 2), moonsCloud(rng, 4)
		x, y := make([]float64, 0, 2*n), make([]float64, 0, 2*n)
		for i := range n {
			x = append(x, xs[2*(i%3)], xs[2*(i%3)+1])
			k := rng.IntN(4)
			y = append(y, ys[2*k], ys[2*k+1])
		}
		return sqDistNaive(x, n, y, n, 2)
	}},
	{"forbidden entries", func(rng *rand.Rand, n int) []float64 {
		c := make([]float64, n*n)
		for i := range c {
			c[i] = float64(rng.IntN(10))
			if rng.IntN(3) == 0 {
				c[i] = math.Inf(1)
			}
		}
		return c
	}},
	{"mostly forbidden", func(rng *rand.Rand, n int) []float64 {
		c := make([]float64, n*n)
		for i := range c {
			c[i] = math.Inf(1)
			if rng.IntN(3) == 0 {
				c[i] = rng.Float64()
			}
		}
		return c
	}},
}

func TestAssignBruteForce(t *testing.T) {
	const instances = 150
	for _, g := range costGenerators {
		t.Run(g.name, func(t *testing.T) {
			rng := newRand(1)
			var a Assigner
			for n := 1; n <= 7; n++ {
				dst := make([]int, n)
				for range instances {
					cost := g.gen(rng, n)
					want := bruteAssign(cost, n)
					got, err := a.Assign(dst, cost, n, &Settings{Verify: true})
					if math.IsInf(want, 1) {
						if !errors.Is(err, ErrInfeasible) {
							t.Fatalf("n=%d %v: got (%v, %v), want ErrInfeasible", n, cost, got, err)
						}
						continue
					}
					if err != nil {
						t.Fatalf("n=%d %v: %v", n, cost, err)
					}
					if !isPermutation(dst) {
						t.Fatalf("n=%d: dst %v is not a permutation", n, dst)
					}
					var sum, scale float64
					for i, j := range dst {
						sum += cost[i*n+j]
					}
					for _, c := range cost {
						if !math.IsInf(c, 1) {
							scale = max(scale, math.Abs(c))
						}
					}
					if sum != got {
						t.Fatalf("n=%d: returned total %v, but dst sums to %v", n, got, sum)
					}
					if !closeRel(got, want, 1e-12, scale*float64(n)) {
						t.Fatalf("n=%d %v: total %v, brute force %v", n, cost, got, want)
					}
					checkCertificate(t, &a, cost, n, dst, got)
				}
			}
		})
	}
}

// checkCertificate checks the LP optimality certificate of an assignment:
// dual feasibility on every finite entry, complementary slackness on the
// assignment, and strong duality, to 1e-9 relative to the cost scale.
func checkCertificate(t *testing.T, a *Assigner, cost []float64, n int, dst []int, total float64) {
	t.Helper()
	u, v := make([]float64, n), make([]float64, n)
	if err := a.Duals(u, v); err != nil {
		t.Fatal(err)
	}
	var scale, dual float64
	for _, c := range cost {
		if !math.IsInf(c, 1) {
			scale = max(scale, math.Abs(c))
		}
	}
	scale = max(scale, 1e-300)
	for i := range n {
		dual += u[i] + v[i]
		for j := range n {
			c := cost[i*n+j]
			if math.IsInf(c, 1) {
				continue
			}
			r := c - u[i] - v[j]
			if r < -1e-9*scale {
				t.Fatalf("dual infeasible at (%d, %d): C − u − v = %g", i, j, r)
			}
			if j == dst[i] && math.Abs(r) > 1e-9*scale {
				t.Fatalf("slackness fails on assigned (%d, %d): C − u − v = %g", i, j, r)
			}
		}
	}
	if math.Abs(dual-total) > 1e-9*scale*float64(n) {
		t.Fatalf("duality gap: Σu+Σv = %v, total = %v", dual, total)
	}
}

func TestAssignCertificateLarge(t *testing.T) {
	sizes := []int{100, 512, 1024}
	if testing.Short() {
		sizes = sizes[:2]
	}
	for _, n := range sizes {
		for _, tc := range []struct {
			name string
			cost func(rng *rand.Rand) []float64
		}{
			{"gaussian-moons", func(rng *rand.Rand) []float64 {
				return sqDistNaive(gaussianCloud(rng, n, 2), n, moonsCloud(rng, n), n, 2)
			}},
			{"gaussian-gaussian 8D", func(rng *rand.Rand) []float64 {
				return sqDistNaive(gaussianCloud(rng, n, 8), n, gaussianCloud(rng, n, 8), n, 8)
			}},
			{"integers 0..9", func(rng *rand.Rand) []float64 {
				c := make([]float64, n*n)
				for i := range c {
					c[i] = float64(rng.IntN(10))
				}
				return c
			}},
			{"binary", func(rng *rand.Rand) []float64 {
				c := make([]float64, n*n)
				for i := range c {
					c[i] = float64(rng.IntN(2))
				}
				return c
			}},
			{"rank one", func(rng *rand.Rand) []float64 {
				c := make([]float64, n*n)
				for i := range n {
					for j := range n {
						c[i*n+j] = float64(i%7) + float64(j%5)
					}
				}
				return c
			}},
			{"eight sources repeated", func(rng *rand.Rand) []float64 {
				x := gaussianCloud(rng, 8, 2)
				xs := make([]float64, 0, 2*n)
				for i := range n {
					xs = append(xs, x[2*(i%8)], x[2*(i%8)+1])
				}
				return sqDistNaive(xs, n, moonsCloud(rng, n), n, 2)
			}},
		} {
			rng := newRand(uint64(n))
			cost := tc.cost(rng)
			var a Assigner
			dst := make([]int, n)
			total, err := a.Assign(dst, cost, n, nil)
			if err != nil {
				t.Fatalf("n=%d %s: %v", n, tc.name, err)
			}
			if !isPermutation(dst) {
				t.Fatalf("n=%d %s: not a permutation", n, tc.name)
			}
			checkCertificate(t, &a, cost, n, dst, total)
		}
	}
}

// hungarian is the textbook O(n³) Hungarian algorithm (Kuhn–Munkres with
// potentials, one row added per round), written independently of the
// package's solvers as a reference: it returns the least total cost of an
// n×n matrix, or +Inf if every permutation uses a +Inf entry.
func hungarian(cost []float64, n int) float64 {
	inf := math.Inf(1)
	// 1-based, with row and column 0 as the virtual start.
	u, v := make([]float64, n+1), make([]float64, n+1)
	p, way := make([]int, n+1), make([]int, n+1) // p[j]: row holding column j
	minv, used := make([]float64, n+1), make([]bool, n+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j], used[j] = inf, false
		}
		for p[j0] != 0 {
			used[j0] = true
			i0, delta, j1 := p[j0], inf, 0
			for j := 1; j <= n; j++ {
				if used[j] {
					continue
				}
				if cur := cost[(i0-1)*n+j-1] - u[i0] - v[j]; cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			if math.IsInf(delta, 1) {
				return inf
			}
			for j := 0; j <= n; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	rowOf := make([]int, n)
	for j := 1; j <= n; j++ {
		rowOf[p[j]-1] = j - 1
	}
	var total float64
	for i, j := range rowOf {
		total += cost[i*n+j]
	}
	return total
}

// TestAssignMidSize runs the generators of TestAssignBruteForce at sizes
// where shortlists, warm starts and the heap search are all in play,
// checking against Hungarian and the optimality certificate.
func TestAssignMidSize(t *testing.T) {
	for _, g := range costGenerators {
		t.Run(g.name, func(t *testing.T) {
			rng := newRand(2)
			var a Assigner
			for _, n := range []int{65, 130, 257, 400} {
				reps := 3
				if n >= coarseMin {
					reps = 1 // warm-started from the half-size problem
				}
				for range reps {
					cost := g.gen(rng, n)
					want := hungarian(cost, n)
					dst := make([]int, n)
					got, err := a.Assign(dst, cost, n, &Settings{Verify: true})
					if math.IsInf(want, 1) {
						if !errors.Is(err, ErrInfeasible) {
							t.Fatalf("n=%d: got (%v, %v), want ErrInfeasible", n, got, err)
						}
						continue
					}
					if err != nil {
						t.Fatalf("n=%d: %v", n, err)
					}
					if !isPermutation(dst) {
						t.Fatalf("n=%d: not a permutation", n)
					}
					var scale float64
					for _, c := range cost {
						if !math.IsInf(c, 1) {
							scale = max(scale, math.Abs(c))
						}
					}
					if !closeRel(got, want, 1e-12, scale*float64(n)) {
						t.Fatalf("n=%d: total %v, Hungarian %v", n, got, want)
					}
					checkCertificate(t, &a, cost, n, dst, got)
				}
			}
		})
	}
}

// checkAgainstHungarian checks the result of a.Assign on cost against the
// Hungarian algorithm: ErrInfeasible exactly when it finds no finite
// permutation, otherwise a permutation whose total agrees to 1e-9 relative
// and whose certificate holds. It reports whether there was a solution.
func checkAgainstHungarian(t *testing.T, label string, a *Assigner, cost []float64, n int, dst []int, got float64, err error) bool {
	t.Helper()
	want := hungarian(cost, n)
	if math.IsInf(want, 1) {
		if !errors.Is(err, ErrInfeasible) {
			t.Fatalf("%s: got (%v, %v), want ErrInfeasible", label, got, err)
		}
		return false
	}
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	if !isPermutation(dst) {
		t.Fatalf("%s: not a permutation", label)
	}
	if math.Abs(got-want) > 1e-9*max(math.Abs(want), 1e-300) && got != want {
		t.Fatalf("%s: total %v, Hungarian %v", label, got, want)
	}
	checkCertificate(t, a, cost, n, dst, got)
	return true
}

// TestAssignAgainstHungarian compares Assign with the textbook Hungarian
// algorithm at sizes from 50 to 300, on every generator and several seeds:
// the totals must agree to 1e-9 relative, the answer must be a permutation
// whose certificate holds, and solving again must give the same permutation.
func TestAssignAgainstHungarian(t *testing.T) {
	sizes, seeds := []int{50, 120, 200, 300}, 3
	if testing.Short() {
		sizes, seeds = []int{50, 200}, 1
	}
	for _, g := range costGenerators {
		t.Run(g.name, func(t *testing.T) {
			var a, fresh Assigner
			for _, n := range sizes {
				for seed := range seeds {
					cost := g.gen(newRand(uint64(1000*n+seed)), n)
					dst := make([]int, n)
					got, err := a.Assign(dst, cost, n, nil)
					if !checkAgainstHungarian(t, fmt.Sprintf("n=%d seed %d", n, seed), &a, cost, n, dst, got, err) {
						continue
					}
					again := make([]int, n)
					if _, err := fresh.Assign(again, cost, n, nil); err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(dst, again) {
						t.Fatalf("n=%d seed %d: a reused and a fresh Assigner disagree", n, seed)
					}
				}
			}
		})
	}
}

// TestAssignDeterministic solves one matrix through a fresh Assigner, an
// Assigner that has just solved other problems, and the pooled Assign on
// other goroutines: the permutation must be the same every time.
func TestAssignDeterministic(t *testing.T) {
	for _, n := range []int{256, 520} {
		rng := newRand(uint64(n))
		cost := sqDistNaive(gaussianCloud(rng, n, 2), n, moonsCloud(rng, n), n, 2)
		want := make([]int, n)
		var a Assigner
		if _, err := a.Assign(want, cost, n, nil); err != nil {
			t.Fatal(err)
		}
		other := sqDistNaive(gaussianCloud(rng, n+3, 2), n+3, gaussianCloud(rng, n+3, 2), n+3, 2)
		if _, err := a.Assign(make([]int, n+3), other, n+3, nil); err != nil {
			t.Fatal(err)
		}
		got := make([]int, n)
		if _, err := a.Assign(got, cost, n, nil); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: reused Assigner gives a different permutation", n)
		}
		var wg sync.WaitGroup
		results := make([][]int, 4)
		for k := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[k] = make([]int, n)
				if _, err := Assign(results[k], cost, n, nil); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		for k, r := range results {
			if !slices.Equal(r, want) {
				t.Fatalf("n=%d: goroutine %d gives a different permutation", n, k)
			}
		}
	}
}

func TestAssignBadInput(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name    string
		dst     []int
		cost    []float64
		n       int
		wantErr string
	}{
		{"n = 0", nil, nil, 0, "empty problem"},
		{"negative n", nil, nil, -2, "empty problem"},
		{"short cost", make([]int, 2), []float64{1, 2, 3}, 2, "cost has 3 entries"},
		{"long cost", make([]int, 1), []float64{1, 2}, 1, "cost has 2 entries"},
		{"short dst", make([]int, 1), []float64{1, 2, 3, 4}, 2, "dst has length 1"},
		{"NaN", make([]int, 2), []float64{1, nan, 3, 4}, 2, "cost[0, 1] is NaN"},
		{"-Inf", make([]int, 2), []float64{1, 2, math.Inf(-1), 4}, 2, "cost[1, 0] is -Inf"},
		{"row all +Inf", make([]int, 2), []float64{1, 2, math.Inf(1), math.Inf(1)}, 2, "row 1"},
		{"column all +Inf", make([]int, 2), []float64{1, math.Inf(1), 3, math.Inf(1)}, 2, "column 1"},
		{"overflowing range", make([]int, 2), []float64{-1e308, 1e308, 0, 0}, 2, "too wide"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Assign(tc.dst, tc.cost, tc.n, nil)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
	var a Assigner
	if err := a.Duals(nil, nil); err == nil {
		t.Fatal("Duals before Assign: no error")
	}
}

// TestAssignerReuseAcrossSizes solves problems of changing size with one
// Assigner, as the pool behind Assign does: nothing from an earlier, larger
// problem may leak into a later one.
func TestAssignerReuseAcrossSizes(t *testing.T) {
	var a Assigner
	rng := newRand(6)
	for _, n := range []int{400, 100, 257, 40, 450, 1, 130} {
		cost := sqDistNaive(gaussianCloud(rng, n, 3), n, gaussianCloud(rng, n, 3), n, 3)
		dst := make([]int, n)
		got, err := a.Assign(dst, cost, n, nil)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if want := hungarian(cost, n); !closeRel(got, want, 1e-12, want) || !isPermutation(dst) {
			t.Fatalf("n=%d: total %v, Hungarian %v", n, got, want)
		}
		checkCertificate(t, &a, cost, n, dst, got)
	}
}

// TestAssignConcurrent solves different problems on several goroutines at
// once through the shared pool (run it with -race).
func TestAssignConcurrent(t *testing.T) {
	sizes := []int{150, 70, 400, 100, 150, 40}
	costs := make([][]float64, len(sizes))
	want := make([]float64, len(sizes))
	for k, n := range sizes {
		rng := newRand(uint64(30 + k))
		costs[k] = sqDistNaive(gaussianCloud(rng, n, 2), n, moonsCloud(rng, n), n, 2)
		want[k] = hungarian(costs[k], n)
	}
	got := make([]float64, len(sizes))
	errs := make([]error, len(sizes))
	var wg sync.WaitGroup
	for k, n := range sizes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				got[k], errs[k] = Assign(make([]int, n), costs[k], n, nil)
			}
		}()
	}
	wg.Wait()
	for k := range sizes {
		if errs[k] != nil || !closeRel(got[k], want[k], 1e-12, want[k]) {
			t.Fatalf("problem %d: %v, %v; want %v", k, got[k], errs[k], want[k])
		}
	}
}

func TestAssignInfeasibleLarge(t *testing.T) {
	// Rows 3 and 7 may only take column 5: no permutation avoids +Inf, but
	// every row and column has a finite entry, so only the solver can tell.
	const n = 200
	rng := newRand(4)
	cost := sqDistNaive(gaussianCloud(rng, n, 2), n, gaussianCloud(rng, n, 2), n, 2)
	for _, i := range []int{3, 7} {
		for j := range n {
			if j != 5 {
				cost[i*n+j] = math.Inf(1)
			}
		}
	}
	_, err := Assign(make([]int, n), cost, n, nil)
	if !errors.Is(err, ErrInfeasible) {
		t.Fatalf("got %v, want ErrInfeasible", err)
	}
}

func TestAssignerDoesNotAllocate(t *testing.T) {
	const n = coarseMin + 16 // large enough for shortlists and a warm start
	rng := newRand(3)
	cost := sqDistNaive(gaussianCloud(rng, n, 2), n, moonsCloud(rng, n), n, 2)
	dst := make([]int, n)
	var a Assigner
	if _, err := a.Assign(dst, cost, n, nil); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := a.Assign(dst, cost, n, nil); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Assigner.Assign allocates %v times per call", allocs)
	}
}

// FuzzAssign checks that arbitrary bytes never make Assign panic and that
// every answer on a small matrix equals brute force.
func FuzzAssign(f *testing.F) {
	f.Add([]byte{3, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{2, 0, 0, 0, 0})
	f.Add([]byte{4, 255, 255, 1, 0, 255, 2, 3, 255, 0, 0, 0, 0, 9, 8, 7, 6})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		n := int(data[0]%7) + 1
		data = data[1:]
		cost := make([]float64, n*n)
		for i := range cost {
			if i < len(data) {
				switch b := data[i]; b {
				case 255:
					cost[i] = math.Inf(1)
				case 254:
					cost[i] = math.NaN()
				default:
					cost[i] = float64(int(b) - 100)
				}
			}
		}
		dst := make([]int, n)
		got, err := Assign(dst, cost, n, nil)
		hasNaN := false
		for _, c := range cost {
			hasNaN = hasNaN || math.IsNaN(c)
		}
		want := math.NaN()
		if !hasNaN {
			want = bruteAssign(cost, n)
		}
		switch {
		case hasNaN:
			if err == nil {
				t.Fatal("NaN accepted")
			}
		case math.IsInf(want, 1):
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("want ErrInfeasible, got %v, %v", got, err)
			}
		case err != nil:
			t.Fatal(err)
		case got != want || !isPermutation(dst):
			t.Fatalf("Assign = %v %v, brute force %v", got, dst, want)
		}
	})
}

// FuzzAssignShortlists drives the shortlist, warm-start and heap paths
// (n > listMin) with byte-derived costs, ties and forbidden entries
// included, against Hungarian.
func FuzzAssignShortlists(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{39, 255, 0, 0, 1})
	f.Add([]byte{200, 7, 7, 7, 7, 7, 7, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		n := listMin + 1 + int(data[0])%(coarseMin-listMin+40)
		data = data[1:]
		cost := make([]float64, n*n)
		for k := range cost {
			// Mix the bytes with the position so that short inputs still
			// give varied matrices.
			b := data[k%len(data)]
			switch {
			case b == 255:
				cost[k] = math.Inf(1)
			default:
				cost[k] = float64((int(b)*31 + k*k%97) % 50)
			}
		}
		want := hungarian(cost, n)
		got, err := Assign(make([]int, n), cost, n, nil)
		switch {
		case math.IsInf(want, 1):
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("n=%d: want ErrInfeasible, got %v, %v", n, got, err)
			}
		case err != nil:
			t.Fatalf("n=%d: %v, but Hungarian finds %v", n, err, want)
		case got != want:
			t.Fatalf("n=%d: Assign = %v, Hungarian %v", n, got, want)
		}
	})
}

// TestAssignListAuction runs the auction schedule of builds without the
// vector scan, where bids read shortlists below ε = listEps (and prices
// raised to tighten rows must invalidate them), on every build: the totals
// must match the Hungarian algorithm and the certificate must hold.
func TestAssignListAuction(t *testing.T) {
	defer func(old float64) { listEps = old }(listEps)
	listEps = 1e-3
	for _, g := range costGenerators {
		rng := newRand(2)
		var a Assigner
		for _, n := range []int{65, 65, 65, 130, 130, 400} {
			cost := g.gen(rng, n)
			dst := make([]int, n)
			got, err := a.Assign(dst, cost, n, &Settings{Verify: true})
			checkAgainstHungarian(t, fmt.Sprintf("%s n=%d", g.name, n), &a, cost, n, dst, got, err)
		}
	}
}
