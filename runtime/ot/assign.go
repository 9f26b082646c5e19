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
// The algorithm is that of Jonker and Volgenant (1987): column reduction
// with reduction transfer and two rounds of augmenting row reduction find
// most of the assignment cheaply, then a Dijkstra search for a shortest
// augmenting path places each remaining row. The column potentials v and
// the row potentials u_i = C[i, dst[i]] − v[dst[i]] satisfy
// u_i + v_j ≤ C_ij everywhere, with equality on the assignment: the
// certificate that no other permutation costs less.
type Assigner struct {
	n int

	v, d     []float64 // column potentials; tentative path lengths
	x, y     []int     // row → column, column → row (-1 when free)
	free     []int     // free rows awaiting assignment
	cols     []int     // column order of the Dijkstra search
	pred     []int     // row from which each column was reached
	unique   []bool    // row is the minimum of exactly one column
	cand     []int32   // per row, the auctionCandidates cheapest columns at its last full scan
	bound    []float64 // per row, a lower bound on reduced costs outside cand
	lastCost []float64 // cost matrix of the last solve, for Duals
}

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
	copy(v, a.v[:n])
	for i := range n {
		j := a.x[i]
		u[i] = a.lastCost[i*n+j] - a.v[j]
	}
	return nil
}

func (a *Assigner) resize(n int) {
	a.n = n
	if cap(a.v) < n {
		a.v = make([]float64, n)
		a.d = make([]float64, n)
		a.x = make([]int, n)
		a.y = make([]int, n)
		a.free = make([]int, n)
		a.cols = make([]int, n)
		a.pred = make([]int, n)
		a.unique = make([]bool, n)
		a.bound = make([]float64, n)
	}
	if n > 2*auctionCandidates && cap(a.cand) < n*auctionCandidates {
		a.cand = make([]int32, n*auctionCandidates)
	}
	a.v, a.d = a.v[:n], a.d[:n]
	a.x, a.y, a.free, a.cols, a.pred = a.x[:n], a.y[:n], a.free[:n], a.cols[:n], a.pred[:n]
	a.unique, a.bound = a.unique[:n], a.bound[:n]
}

// verify checks the optimality certificate of the current solution.
func (a *Assigner) verify(cost []float64, n int) error {
	scale := 0.0
	for _, c := range cost {
		if !math.IsInf(c, 1) {
			scale = max(scale, math.Abs(c))
		}
	}
	for _, vj := range a.v {
		scale = max(scale, math.Abs(vj))
	}
	tol := certTol * max(scale, 1e-300) * float64(1+bitsLen(n))
	for i := range n {
		row := cost[i*n : i*n+n]
		ui := row[a.x[i]] - a.v[a.x[i]]
		for j, c := range row {
			if r := c - ui - a.v[j]; r < -tol {
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
// in a.x, a.y and the column potentials in a.v.
//
// On the dense geometric costs of flow matching, Jonker–Volgenant's own
// initialisation (augmenting row reduction, an auction without ε) stalls in
// long price wars and its shortest paths grow long. So the prices come from
// an auction with ε-scaling instead, which is fast but only ε-optimal; the
// rows it leaves not exactly tight are then freed and placed by exact
// shortest augmenting paths. Optimality rests on the last step alone: the
// auction only supplies a warm start.
func (a *Assigner) solve(cost []float64, n int, lo, hi float64) error {
	x, y := a.x, a.y
	if n == 1 {
		x[0], y[0], a.v[0] = 0, 0, cost[0]
		return nil
	}
	var nfree int
	if hi > lo {
		a.auction(cost, n, lo, hi)
		nfree = a.freeSlackRows(cost, n)
	} else {
		// All finite costs equal: every permutation avoiding +Inf is
		// optimal and column reduction finds most of one.
		nfree = a.columnReduction(cost, n)
	}
	for _, i := range a.free[:nfree] {
		j, err := a.shortestPath(cost, n, i)
		if err != nil {
			return err
		}
		// Flip the alternating path back to its start.
		for {
			r := a.pred[j]
			y[j] = r
			j, x[r] = x[r], j
			if r == i {
				break
			}
		}
	}
	return nil
}

// Auction schedule: ε starts at a fraction of the cost range and shrinks
// by auctionTheta per phase down to auctionEpsMin of the range. Smaller
// final ε costs more bids and leaves fewer rows to the exact phase;
// these values were tuned on 2D point clouds with n from 256 to 4096.
const (
	auctionEps0   = 1.0 / 8
	auctionTheta  = 5
	auctionEpsMin = 1e-6
	// auctionListEps is the ε, relative to the cost range, below which
	// bids use candidate lists: above it prices fall so fast that lists go
	// stale after a bid or two.
	auctionListEps = 1e-3
	// auctionCandidates is the length of each row's shortlist of columns.
	auctionCandidates = 16
	// auctionBidCap bounds the bids of one phase, in units of n, so that
	// prices stuck by rounding or an infeasible problem cannot loop.
	auctionBidCap = 64
)

// auction runs a forward Gauss–Seidel auction with ε-scaling. Row i bids
// for its cheapest column j1 under prices v (reduced cost C_ij − v_j),
// lowering v_j1 by the gap to its second-cheapest plus ε, and displaces the
// column's holder. On return rows are assigned ε-optimally, or some are
// left free if a phase hit the bid cap.
func (a *Assigner) auction(cost []float64, n int, lo, hi float64) {
	x, y, v, free := a.x, a.y, a.v, a.free
	inf := math.Inf(1)
	span := hi - lo
	// Start from the column minima, the prices column reduction would set.
	for j := range v {
		v[j] = inf
	}
	for i := range n {
		row := cost[i*n : i*n+n]
		for j, c := range row {
			v[j] = min(v[j], c)
		}
	}
	for i := range a.bound {
		a.bound[i] = math.Inf(-1) // no candidate lists yet
	}
	epsMin := max(auctionEpsMin*span, 1e-12*max(math.Abs(lo), math.Abs(hi)))
	for eps := auctionEps0 * span; ; eps /= auctionTheta {
		eps = max(eps, epsMin)
		useLists := eps <= auctionListEps*span
		for i := range n {
			x[i], y[i] = -1, -1
			free[i] = n - 1 - i
		}
		nfree := n
		for bids := 0; nfree > 0; bids++ {
			if bids > auctionBidCap*n {
				return
			}
			nfree--
			i := free[nfree]
			var j1 int
			var w1, w2 float64
			if useLists {
				j1, w1, w2 = a.twoCheapest(cost, n, i)
			} else {
				j1, w1, w2 = twoSmallest(cost[i*n:i*n+n], v)
			}
			if w2 == inf {
				// A single finite choice: bid as if the next were a whole
				// cost range away.
				w2 = w1 + span
			}
			v[j1] -= (w2 - w1) + eps
			k := y[j1]
			y[j1], x[i] = i, j1
			if k >= 0 {
				x[k] = -1
				free[nfree] = k
				nfree++
			}
		}
		if eps == epsMin {
			return
		}
	}
}

// freeSlackRows unassigns every row whose column is not exactly its
// cheapest under the current prices, so that all assigned rows satisfy the
// invariant of the shortest path phase. It returns the number of free rows,
// listed in a.free.
func (a *Assigner) freeSlackRows(cost []float64, n int) int {
	x, y, v := a.x, a.y, a.v
	nfree := 0
	for i := range n {
		if j := x[i]; j >= 0 {
			row := cost[i*n : i*n+n]
			if _, w1, _ := a.twoCheapest(cost, n, i); row[j]-v[j] == w1 {
				continue
			}
			y[j], x[i] = -1, -1
		}
		a.free[nfree] = i
		nfree++
	}
	return nfree
}

// twoCheapest returns the cheapest column of row i under the prices a.v,
// its reduced cost, and the second-cheapest reduced cost (+Inf if none).
//
// Scanning the whole row for every bid makes the auction memory-bound, yet
// on geometric costs a row only ever bids among a few columns. Prices only
// fall during the auction, so reduced costs only rise: the cheapest columns
// found at a full scan stay a valid shortlist, and the reduced cost of the
// last one is a lower bound for every column off the list. While the two
// cheapest on the list are within that bound they are the row's two
// cheapest overall; otherwise the row is scanned again.
func (a *Assigner) twoCheapest(cost []float64, n, i int) (j1 int, w1, w2 float64) {
	const k = auctionCandidates
	row := cost[i*n : i*n+n]
	if n <= 2*k {
		return twoSmallest(row, a.v)
	}
	v := a.v[:n]
	cand := (*[k]int32)(a.cand[i*k : i*k+k])
	j1, w1, w2 = -1, math.Inf(1), math.Inf(1)
	for _, j := range cand {
		if c := row[j] - v[j]; c < w2 {
			if c < w1 {
				w2, w1, j1 = w1, c, int(j)
			} else {
				w2 = c
			}
		}
	}
	if w2 <= a.bound[i] {
		return j1, w1, w2
	}
	return a.rescan(row, i)
}

// rescan refills the candidate list of row i from a full scan and returns
// the row's two cheapest as twoCheapest does.
func (a *Assigner) rescan(row []float64, i int) (j1 int, w1, w2 float64) {
	const k = auctionCandidates
	v := a.v[:len(row)]
	var vals [k]float64
	var idx [k]int32
	for t := range vals {
		vals[t], idx[t] = math.Inf(1), -1
	}
	kth := math.Inf(1)
	insert := func(c float64, j int) {
		t := k - 1
		for ; t > 0 && vals[t-1] > c; t-- {
			vals[t], idx[t] = vals[t-1], idx[t-1]
		}
		vals[t], idx[t] = c, int32(j)
		kth = vals[k-1]
	}
	j := 0
	for ; j+8 <= len(row); j += 8 {
		r := (*[8]float64)(row[j : j+8])
		p := (*[8]float64)(v[j : j+8])
		if r[0]-p[0] < kth || r[1]-p[1] < kth || r[2]-p[2] < kth || r[3]-p[3] < kth ||
			r[4]-p[4] < kth || r[5]-p[5] < kth || r[6]-p[6] < kth || r[7]-p[7] < kth {
			for t := range 8 {
				if c := r[t] - p[t]; c < kth {
					insert(c, j+t)
				}
			}
		}
	}
	for ; j < len(row); j++ {
		if c := row[j] - v[j]; c < kth {
			insert(c, j)
		}
	}
	copy(a.cand[i*k:i*k+k], idx[:])
	a.bound[i] = kth
	return int(idx[0]), vals[0], vals[1]
}

// twoSmallest returns the index and value of the smallest reduced cost
// row[j] − v[j] and the second smallest value (+Inf if there is none).
// It is the inner loop of the auction: blocks of eight are screened
// against the second smallest, which rarely changes, before any bookkeeping.
func twoSmallest(row, v []float64) (j1 int, w1, w2 float64) {
	v = v[:len(row)]
	j1, w1, w2 = -1, math.Inf(1), math.Inf(1)
	j := 0
	for ; j+8 <= len(row); j += 8 {
		r := (*[8]float64)(row[j : j+8])
		p := (*[8]float64)(v[j : j+8])
		if r[0]-p[0] < w2 || r[1]-p[1] < w2 || r[2]-p[2] < w2 || r[3]-p[3] < w2 ||
			r[4]-p[4] < w2 || r[5]-p[5] < w2 || r[6]-p[6] < w2 || r[7]-p[7] < w2 {
			for k := range 8 {
				if c := r[k] - p[k]; c < w2 {
					if c < w1 {
						w2, w1, j1 = w1, c, j+k
					} else {
						w2 = c
					}
				}
			}
		}
	}
	for ; j < len(row); j++ {
		if c := row[j] - v[j]; c < w2 {
			if c < w1 {
				w2, w1, j1 = w1, c, j
			} else {
				w2 = c
			}
		}
	}
	return j1, w1, w2
}

// columnReduction sets v_j to the column minima, assigns each column to
// its cheapest row when that row is still free, and transfers slack from
// rows that are the minimum of exactly one column to that column. It
// returns the number of free rows, listed in a.free.
func (a *Assigner) columnReduction(cost []float64, n int) int {
	x, y, v, unique := a.x, a.y, a.v, a.unique
	inf := math.Inf(1)
	for j := range v {
		v[j] = inf
		y[j] = 0
	}
	// Row by row, so the matrix is read in memory order.
	for i := range n {
		row := cost[i*n : i*n+n]
		for j, c := range row {
			if c < v[j] {
				v[j] = c
				y[j] = i
			}
		}
	}
	for i := range x {
		x[i] = -1
		unique[i] = true
	}
	for j := n - 1; j >= 0; j-- {
		i := y[j]
		if x[i] < 0 {
			x[i] = j
		} else {
			unique[i] = false
			y[j] = -1
		}
	}
	nfree := 0
	for i := range n {
		if x[i] < 0 {
			a.free[nfree] = i
			nfree++
			continue
		}
		if !unique[i] {
			continue
		}
		// Reduction transfer: lower v of the row's column by the row's
		// second-smallest reduced cost, keeping the edge tight.
		j := x[i]
		row := cost[i*n : i*n+n]
		m := inf
		for j2, c := range row {
			if j2 != j {
				m = min(m, c-v[j2])
			}
		}
		if m < inf {
			v[j] -= m
		}
	}
	return nfree
}

// shortestPath runs Dijkstra's algorithm on reduced costs from the free row
// start to the nearest free column, which it returns; a.pred holds the
// path. It updates the potentials of the columns it finalised, keeping
// every reduced cost nonnegative and making the path tight.
//
// Columns are kept in a.cols in three groups: [0, lo) finalised, [lo, hi)
// at the current minimum distance awaiting a scan, [hi, n) still open.
func (a *Assigner) shortestPath(cost []float64, n, start int) (int, error) {
	cols, d, pred, y, v := a.cols, a.d, a.pred, a.y, a.v
	row := cost[start*n : start*n+n]
	for j := range n {
		cols[j] = j
		pred[j] = start
		d[j] = row[j] - v[j]
	}
	lo, hi, ready := 0, 0, 0
	final := -1
	for final < 0 {
		if lo == hi {
			// Gather every open column at the smallest distance.
			ready = lo
			hi = lo + 1
			mind := d[cols[lo]]
			for k := hi; k < n; k++ {
				j := cols[k]
				if dj := d[j]; dj <= mind {
					if dj < mind {
						hi = lo
						mind = dj
					}
					cols[k] = cols[hi]
					cols[hi] = j
					hi++
				}
			}
			if math.IsInf(mind, 1) {
				return -1, fmt.Errorf("%w: row %d cannot be placed", ErrInfeasible, start)
			}
			for k := lo; k < hi; k++ {
				if j := cols[k]; y[j] < 0 {
					final = j
					break
				}
			}
			if final >= 0 {
				break
			}
		}
		// Scan one column at the minimum: relax through its row.
		j := cols[lo]
		lo++
		i := y[j]
		mind := d[j]
		ri := cost[i*n : i*n+n]
		h := ri[j] - v[j] - mind
		for k := hi; k < n; k++ {
			j := cols[k]
			c := ri[j] - v[j] - h
			if c < d[j] {
				d[j] = c
				pred[j] = i
				if c == mind {
					if y[j] < 0 {
						final = j
						break
					}
					cols[k] = cols[hi]
					cols[hi] = j
					hi++
				}
			}
		}
	}
	mind := d[final]
	for _, j := range cols[:ready] {
		v[j] += d[j] - mind
	}
	return final, nil
}
