package ot

import "math"

// Auction schedule. ε starts at auctionEps0 of the cost range from cold
// prices, or at auctionEpsWarm from the prices of the half-size problem,
// and shrinks by auctionTheta per phase down to auctionEpsMin of the range.
// A smaller final ε costs more bids and leaves fewer rows to the exact
// phase. The values were tuned by counting matrix reads on 2D point clouds
// with n from 256 to 4096.
const (
	auctionEps0    = 1.0 / 32
	auctionEpsWarm = 1e-3
	auctionTheta   = 8
	auctionEpsMin  = 1e-6
	// auctionBidCap bounds the bids of one phase, in units of n, so that
	// prices stuck by rounding or an infeasible problem cannot loop, and
	// auctionTieCap the row scans of one phase that find ties for the
	// cheapest (at least listLen columns tied at a shortlist's rescan, or
	// the two cheapest tied in a whole row): heavily tied costs (0/1, small
	// integers, repeated points) make every price change reach past the
	// shortlist, and are better left to the shortest path phase.
	// Continuous geometric costs stay far below both.
	auctionBidCap = 64
	auctionTieCap = 1

	// listLen is the length of each row's shortlist; problems with at most
	// listMin rows are small enough to scan whole rows. With bids reading
	// whole rows, the lists serve the shortest path searches, which on
	// geometric costs reach few columns per row: 8 beat 4, 12, 16 and 32 at
	// n = 256 and 1024 (2D point clouds, CPU time per solve).
	listLen = 8
	listMin = 2 * listLen

	// coarseMin is the smallest n warm-started from the half-size problem.
	coarseMin = 384
)

// listEps is the ε, relative to the cost range, below which bids use
// shortlists: above it prices fall so fast that lists go stale after a bid
// or two. The vector scan (AVX2) reads a whole row about as fast as the
// scalar code reads a shortlist and its bookkeeping, so with it bids always
// read whole rows (listEps = 0), and only the shortest path phase keeps
// shortlists.
var listEps = func() float64 {
	if useAVX2 {
		return 0
	}
	return 1e-3
}()

// coarsePrices sets the prices from an exact solve of the subproblem on
// every other row and column: its row potentials u_S extend to a price for
// every column, v_j = min over sampled rows i of C_ij − u_i (the
// c-transform). It reports false, leaving the prices unset, if the
// subproblem has no solution (its +Inf entries forbid every permutation).
func (a *Assigner) coarsePrices(cost []float64, n int) bool {
	m := n / 2
	if a.coarse == nil {
		a.coarse = new(Assigner)
	}
	if cap(a.coarseCost) < m*m {
		a.coarseCost = make([]float64, m*m)
		a.coarseU = make([]float64, m)
		a.coarseV = make([]float64, m)
		a.coarseDst = make([]int, m)
	}
	sub := a.coarseCost[:m*m]
	subsample(sub, cost, n, n)
	u, vs := a.coarseU[:m], a.coarseV[:m]
	if _, err := a.coarse.Assign(a.coarseDst[:m], sub, m, nil); err != nil {
		return false
	}
	if err := a.coarse.Duals(u, vs); err != nil {
		return false
	}
	a.coarse.lastCost = nil // sub is ours; do not keep the reference
	return extendPrices(a.search.v, cost, n, u)
}

// auction runs a forward Gauss–Seidel auction with ε-scaling from the
// prices in a.v. Row i bids for its cheapest column j1 under reduced costs
// C_ij − v_j, lowering v_j1 by the gap to its second-cheapest plus ε, and
// displaces the column's holder. On return rows are assigned ε-optimally,
// or some are left free if a phase hit the bid or tie cap. narrowed says
// that a.cost32 holds the costs in float32 (see auction32).
func (a *Assigner) auction(cost []float64, n int, lo, hi, eps0 float64, narrowed bool) {
	if useAVX2 && a.auction32(cost, n, lo, hi, eps0, narrowed) {
		return
	}
	x, y, v, free := a.x, a.y, a.search.v, a.free
	inf := math.Inf(1)
	span := hi - lo
	epsMin := max(auctionEpsMin*span, 1e-12*max(math.Abs(lo), math.Abs(hi)))
	for eps := eps0 * span; ; eps /= auctionTheta {
		eps = max(eps, epsMin)
		lists := n > listMin && eps <= listEps*span
		nfree := 0
		if !lists || eps == eps0*span {
			for i := range n {
				x[i], y[i] = -1, -1
				free[i] = n - 1 - i
			}
			nfree = n
		} else {
			// Rows still within the new ε of their cheapest column keep it.
			for i := n - 1; i >= 0; i-- {
				if j := x[i]; j >= 0 {
					row := cost[i*n : i*n+n]
					if _, w1, _ := a.search.lists.twoCheapest(row, v, i); row[j]-v[j] <= w1+eps {
						continue
					}
					x[i], y[j] = -1, -1
				}
				free[nfree] = i
				nfree++
			}
		}
		a.search.lists.tied = 0
		for bids := 0; nfree > 0; bids++ {
			if bids > auctionBidCap*n || a.search.lists.tied > auctionTieCap*n {
				return
			}
			nfree--
			i := free[nfree]
			var j1 int
			var w1, w2 float64
			if lists {
				j1, w1, w2 = a.search.lists.twoCheapest(cost[i*n:i*n+n], v, i)
			} else {
				j1, w1, w2 = twoSmallest(cost[i*n:i*n+n], v)
				if w1 == w2 {
					a.search.lists.tied++
				}
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

// freeSlackRows makes every assigned row satisfy the invariant of the
// shortest path phase, that its column is exactly its cheapest under the
// prices, and returns the number of rows it had to free, listed in a.free.
//
// The auction leaves most rows within ε of their cheapest but not exactly
// at it. Raising the price of a row's column by that slack makes the row
// tight, and is allowed when no other assigned row then finds the column
// cheaper than its own: a read of one column, far cheaper than placing
// the freed row again by a shortest path search (Jonker and Volgenant's
// reduction transfer, run the other way).
func (a *Assigner) freeSlackRows(cost []float64, n int) int {
	x, y, v, w := a.x, a.y, a.search.v, a.rowMin
	for i := range n {
		row := cost[i*n : i*n+n]
		if n > listMin && listEps > 0 {
			_, w[i], _ = a.search.lists.twoCheapest(row, v, i)
		} else {
			_, w[i], _ = twoSmallest(row, v)
		}
	}
	nfree, raised := 0, false
	for i := range n {
		if j := x[i]; j >= 0 {
			if cost[i*n+j]-v[j] == w[i] {
				continue
			}
			if a.transfer(cost, n, i, j) {
				raised = true
				continue
			}
			y[j], x[i] = -1, -1
		}
		a.free[nfree] = i
		nfree++
	}
	if raised && n > listMin {
		// Shortlists rest on prices only falling: a raised price can take
		// a column below the bound of a list without it. Start afresh.
		a.search.lists.reset(n)
	}
	return nfree
}

// transfer tries to make row i tight on its column j by setting
// v_j = C_ij − w_i, reporting whether it did: the new price must leave row
// i's reduced cost exactly at its least, w_i, and every other assigned row
// k at or above its least, w_k, on column j. Least values never fall
// (prices only rise where no assigned row's least is undercut), so w stays
// valid for the rows already checked.
func (a *Assigner) transfer(cost []float64, n, i, j int) bool {
	w := a.rowMin
	vj := cost[i*n+j] - w[i]
	if !(vj > a.search.v[j]) || cost[i*n+j]-vj != w[i] {
		return false
	}
	for k := range n {
		if k != i && a.x[k] >= 0 && cost[k*n+j]-vj < w[k] {
			return false
		}
	}
	a.search.v[j] = vj
	return true
}

// shortlists keeps, per row, the listLen cheapest columns at the row's last
// full scan, and a lower bound on the reduced cost of every other column.
//
// Scanning whole rows makes auctions and shortest path searches
// memory-bound, yet on geometric costs a row only ever deals with a few
// columns. Prices only fall, in the auction and in the shortest path
// searches alike (v_j += d_j − mind with d_j ≤ mind), so reduced costs only
// rise: the cheapest columns found at a full scan stay a valid shortlist,
// and the reduced cost of the last of them stays a lower bound for every
// column off the list. Consumers rescan a row when that bound is reached.
type shortlists struct {
	tied  int // full row scans with listLen or more columns tied for the cheapest
	cand  []int32
	cost  []float64 // C_ij of each listed column: reading them contiguously spares a cache miss per entry
	bound []float64 // -Inf: no list yet
}

// reset sizes the lists for n rows and forgets them all.
func (s *shortlists) reset(n int) {
	if cap(s.cand) < n*listLen {
		s.cand = make([]int32, n*listLen)
		s.cost = make([]float64, n*listLen)
		s.bound = make([]float64, n)
	}
	s.cand, s.cost, s.bound = s.cand[:n*listLen], s.cost[:n*listLen], s.bound[:n]
	for i := range s.bound {
		s.bound[i] = math.Inf(-1)
	}
}

// list returns row i's shortlisted columns and their costs.
func (s *shortlists) list(i int) ([]int32, []float64) {
	return s.cand[i*listLen : i*listLen+listLen], s.cost[i*listLen : i*listLen+listLen]
}

// twoCheapest returns the cheapest column of row i (whose costs are row)
// under prices v, its reduced cost, and the second-cheapest reduced cost
// (+Inf if none). While the two cheapest on the list are within the bound
// they are the row's two cheapest overall; otherwise the row is rescanned.
func (s *shortlists) twoCheapest(row, v []float64, i int) (j1 int, w1, w2 float64) {
	const k = listLen
	if math.IsInf(s.bound[i], -1) {
		// No list yet (and any left from an earlier, larger problem is
		// meaningless).
		return s.rescan(row, v, i)
	}
	v = v[:len(row)]
	j1, w1, w2 = -1, math.Inf(1), math.Inf(1)
	cost := (*[k]float64)(s.cost[i*k : i*k+k])
	for t, j := range (*[k]int32)(s.cand[i*k : i*k+k]) {
		if c := cost[t] - v[j]; c < w2 {
			if c < w1 {
				w2, w1, j1 = w1, c, int(j)
			} else {
				w2 = c
			}
		}
	}
	if w2 <= s.bound[i] {
		return j1, w1, w2
	}
	return s.rescan(row, v, i)
}

// rescan refills the shortlist of row i from a full scan and returns the
// row's two cheapest as twoCheapest does.
func (s *shortlists) rescan(row, v []float64, i int) (j1 int, w1, w2 float64) {
	const k = listLen
	v = v[:len(row)]
	list := (*[k]int32)(s.cand[i*k : i*k+k])
	// The old list's current costs bound the new k-th smallest from above:
	// screening against that bound skips most insertions.
	kth := math.Inf(1)
	if !math.IsInf(s.bound[i], -1) {
		kth = math.Inf(-1)
		for _, j := range list {
			kth = max(kth, row[j]-v[j])
		}
	}
	// The k cheapest so far, as a max-heap on vals: replacing the most
	// expensive takes log k steps.
	var vals [k]float64
	var idx [k]int32
	n := 0 // entries in the heap
	insert := func(c float64, j int) {
		if n < k {
			t := n
			n++
			for t > 0 {
				p := (t - 1) / 2
				if vals[p] >= c {
					break
				}
				vals[t], idx[t] = vals[p], idx[p]
				t = p
			}
			vals[t], idx[t] = c, int32(j)
			if n == k {
				kth = min(kth, vals[0])
			}
			return
		}
		if c >= vals[0] {
			return
		}
		t := 0
		for {
			l := 2*t + 1
			if l >= k {
				break
			}
			if r := l + 1; r < k && vals[r] > vals[l] {
				l = r
			}
			if vals[l] <= c {
				break
			}
			vals[t], idx[t] = vals[l], idx[l]
			t = l
		}
		vals[t], idx[t] = c, int32(j)
		kth = min(kth, vals[0])
	}
	j := 0
	for ; j+8 <= len(row); j += 8 {
		// Screen blocks of eight against kth, which rarely changes.
		r := (*[8]float64)(row[j : j+8])
		p := (*[8]float64)(v[j : j+8])
		if r[0]-p[0] <= kth || r[1]-p[1] <= kth || r[2]-p[2] <= kth || r[3]-p[3] <= kth ||
			r[4]-p[4] <= kth || r[5]-p[5] <= kth || r[6]-p[6] <= kth || r[7]-p[7] <= kth {
			for t := range 8 {
				if c := r[t] - p[t]; c <= kth {
					insert(c, j+t)
				}
			}
		}
	}
	for ; j < len(row); j++ {
		if c := row[j] - v[j]; c <= kth {
			insert(c, j)
		}
	}
	// Rows with fewer than k finite costs repeat their cheapest column;
	// their bound is +Inf, so the list is never refreshed again.
	bound := math.Inf(1)
	if n == k {
		bound = vals[0]
	}
	j1, w1, w2 = -1, math.Inf(1), math.Inf(1)
	for t := range n {
		if c := vals[t]; c < w2 {
			if c < w1 {
				w2, w1, j1 = w1, c, int(idx[t])
			} else {
				w2 = c
			}
		}
	}
	for t := n; t < k; t++ {
		idx[t] = int32(j1)
	}
	*list = idx
	lc := (*[k]float64)(s.cost[i*k : i*k+k])
	for t, j := range idx {
		lc[t] = row[j]
	}
	s.bound[i] = bound
	if bound == w1 {
		s.tied++
	}
	return j1, w1, w2
}
