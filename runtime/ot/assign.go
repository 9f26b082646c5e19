package ot

import (
	"fmt"
	"math"
	"sync"
)

// Assigner solves square assignment problems exactly, keeping its work
// buffers between calls so that repeated solves at the same size do not
// allocate. The zero value is ready to use. An Assigner is not safe for
// concurrent use; give each goroutine its own.
//
// An auction with ε-scaling (Bertsekas), warm-started for n ≥ 384 from the
// solution of the half-size problem, finds prices and a nearly optimal
// assignment, each bid reading its row with a vector scan (AVX2 where the
// CPU has it, on a float32 copy of the costs: the auction only seeds the
// exact phases, which work in float64; shortlists of columns otherwise);
// raising the prices of columns held within ε makes most rows exactly
// tight, and the shortest augmenting paths of Jonker and Volgenant
// (1987), shared with Plan, place the rest exactly. The column potentials
// v and the row potentials u_i = C[i, dst[i]] − v[dst[i]] satisfy
// u_i + v_j ≤ C_ij everywhere, with equality on the assignment: the
// certificate that no other permutation costs less, which Duals returns.
type Assigner struct {
	n int

	matching
	free   []int     // free rows awaiting assignment
	unique []bool    // row is the minimum of exactly one column
	rowMin []float64 // least reduced cost of each row

	search pathSearch // the column potentials v, shortlists and searches

	// The half-size problem that warm-starts the prices.
	coarse                       *Assigner
	coarseCost, coarseU, coarseV []float64
	coarseDst                    []int

	lastCost []float64 // cost matrix of the last solve, for Duals

	cost32 []float32 // float32 costs and prices of the auction's bids
	v32    []float32
}

// matching is a partial assignment, the network of Assign's searches: a
// free column is a sink, and an assigned column leads to its row.
type matching struct {
	x, y []int // row → column, column → row (-1 when free)
}

func (g *matching) sink(j int) bool { return g.y[j] < 0 }
func (g *matching) via(j int) []int { return g.y[j : j+1] }

// assignerPool keeps package-level Assign allocation-free in steady state
// and safe for concurrent callers.
var assignerPool = sync.Pool{New: func() any { return new(Assigner) }}

// Assign finds a permutation minimising the total cost of an n×n cost
// matrix (row-major, cost[i*n+j] is the cost of giving row i column j). It
// writes the column of row i into dst[i] and returns the total cost
// Σ_i cost[i*n+dst[i]].
//
// Costs may be negative; +Inf forbids a pairing, and if every permutation
// uses a forbidden pairing Assign returns an error wrapping ErrInfeasible.
// NaN, -Inf, n ≤ 0 and wrong lengths are errors.
//
// Assign is safe for concurrent use. Callers solving many problems on one
// goroutine may keep an Assigner instead.
func Assign(dst []int, cost []float64, n int, s *Settings) (float64, error) {
	a := assignerPool.Get().(*Assigner)
	total, err := a.Assign(dst, cost, n, s)
	a.lastCost = nil // do not pin the caller's matrix in the pool
	assignerPool.Put(a)
	return total, err
}

// Assign is like the package-level Assign, reusing a's buffers.
func (a *Assigner) Assign(dst []int, cost []float64, n int, s *Settings) (float64, error) {
	a.lastCost = nil
	lo, hi, _, err := checkCost(cost, n, n)
	if err != nil {
		return 0, err
	}
	if len(dst) != n {
		return 0, fmt.Errorf("ot: dst has length %d, want n = %d", len(dst), n)
	}
	a.resize(n)
	if err := a.solve(cost, n, lo, hi); err != nil {
		return 0, err
	}
	a.lastCost = cost
	var total float64
	for i := range n {
		dst[i] = a.x[i]
		total += cost[i*n+a.x[i]]
	}
	if s.verify() {
		if err := a.verify(cost, n); err != nil {
			return total, err
		}
	}
	return total, nil
}

// Duals writes the optimal dual potentials of the last successful Assign
// into u and v (each of length n): u_i + v_j ≤ C_ij for every entry, with
// equality on the assignment, and Σu + Σv equals the optimal cost. It
// reports an error if there was no successful solve or the lengths are
// wrong. The cost matrix must not have changed since that solve.
func (a *Assigner) Duals(u, v []float64) error {
	if a.lastCost == nil {
		return fmt.Errorf("ot: Duals called without a preceding successful Assign")
	}
	n := a.n
	if len(u) != n || len(v) != n {
		return fmt.Errorf("ot: Duals needs u and v of length %d, got %d and %d", n, len(u), len(v))
	}
	copy(v, a.search.v)
	for i := range n {
		j := a.x[i]
		u[i] = a.lastCost[i*n+j] - v[j]
	}
	return nil
}

func (a *Assigner) resize(n int) {
	a.n = n
	a.x, a.y, a.free = resized(a.x, n), resized(a.y, n), resized(a.free, n)
	a.unique, a.rowMin = resized(a.unique, n), resized(a.rowMin, n)
	a.search.resize(n, n)
}

// verify checks the optimality certificate of the current solution.
func (a *Assigner) verify(cost []float64, n int) error {
	scale := 0.0
	for _, c := range cost {
		if !math.IsInf(c, 1) {
			scale = max(scale, math.Abs(c))
		}
	}
	v := a.search.v
	for _, vj := range v {
		scale = max(scale, math.Abs(vj))
	}
	tol := certTol * max(scale, 1e-300) * float64(1+bitsLen(n))
	for i := range n {
		row := cost[i*n : i*n+n]
		ui := row[a.x[i]] - v[a.x[i]]
		for j, c := range row {
			if r := c - ui - v[j]; r < -tol {
				return fmt.Errorf("%w: reduced cost C[%d,%d] − u − v = %g < 0", ErrNotOptimal, i, j, r)
			}
		}
	}
	return nil
}

func bitsLen(n int) int {
	k := 0
	for ; n > 0; n >>= 1 {
		k++
	}
	return k
}

// solve finds an optimal assignment of a validated n×n matrix, leaving it
// in a.x, a.y and the column potentials in a.search.v.
//
// Jonker–Volgenant's own initialisation (column reduction, then augmenting
// row reduction, an auction without ε) stalls in long price wars on the
// dense geometric costs of flow matching, and its shortest paths grow long:
// 3 s at n = 1024. So the prices come from an ε-scaling auction instead,
// warm-started from the half-size problem; rows it leaves within ε of
// their cheapest column are made tight where a price can be raised, the
// others are freed and placed by exact shortest augmenting paths.
// Optimality rests on that last step alone: the rest only supplies a warm
// start, and any warm start gives the same answer.
//
// Warm-starting the prices from the previous minibatch of flow matching
// (the c-transform of its row potentials onto the new targets, then ε from
// 1e-2 of the cost range) was tried and measured at n = 256: it saves
// 12–20% of the bids, but every ε phase still restarts its bids from all
// rows free and costs 4–8 n bids, and the potential of another sample of
// 256 points is only accurate to about 1e-2 of the range, so the fine
// phases, where the bids go, are not shortened; with the cross costs and
// the transform, CPU time went from 1.17 to 1.04 ms on gaussian→moons but
// from 0.98 to 1.28 ms on gaussian→gaussian (medians of 5). Kept out.
func (a *Assigner) solve(cost []float64, n int, lo, hi float64) error {
	x, y, v := a.x, a.y, a.search.v
	if n == 1 {
		x[0], y[0], v[0] = 0, 0, cost[0]
		return nil
	}
	var nfree int
	if hi > lo {
		if a.search.lazy() {
			a.search.lists.reset(n)
		}
		eps0, narrowed := auctionEps0, false
		if n >= coarseMin && a.coarsePrices(cost, n) {
			eps0 = auctionEpsWarm
		} else if narrowable(lo, hi) {
			// One pass over the costs for the float32 copy and the prices.
			a.cost32 = resized(a.cost32, n*n)
			narrowMinima(a.cost32, v, cost, n)
			narrowed = true
		} else {
			columnMinima(v, cost, n, n)
		}
		a.auction(cost, n, lo, hi, eps0, narrowed)
		nfree = a.freeSlackRows(cost, n)
	} else {
		// All finite costs are equal: every permutation avoiding +Inf is
		// optimal, and column reduction finds most of one. Its prices are
		// exact column minima, for which no shortlists are kept.
		nfree = a.columnReduction(cost, n)
		if a.search.lazy() {
			a.search.lists.reset(n)
		}
	}
	for _, i := range a.free[:nfree] {
		j := a.search.shortestPath(cost, i, &a.matching)
		if j < 0 {
			return fmt.Errorf("%w: row %d cannot be placed", ErrInfeasible, i)
		}
		// Flip the alternating path back to its start.
		pred := a.search.predRow
		for {
			r := pred[j]
			y[j] = r
			j, x[r] = x[r], j
			if r == i {
				break
			}
		}
	}
	return nil
}
