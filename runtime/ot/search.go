package ot

import "math"

// network is what a shortest augmenting path search needs to know about the
// current solution of Assign or Plan: which columns can absorb a path, and
// which rows a column leads on to at no reduced cost.
type network interface {
	// sink reports whether column j ends a path: a free column in Assign,
	// one with demand left in Plan.
	sink(j int) bool
	// via returns the rows that column j leads on to: its holder in Assign,
	// every row sending it flow in Plan.
	via(j int) []int
}

// pathSearch is the shortest augmenting path machinery of Jonker and
// Volgenant (1987) shared by Assign and Plan: Dijkstra's algorithm on
// reduced costs C_ij − v_j of a dense n×m matrix, the column potentials v it
// keeps dual feasible, and the per-row shortlists that let a search read a
// few columns per row instead of all m.
//
// Invariant (both callers keep it): every entry carrying flow is tight,
// C_ij − v_j = min_k C_ik − v_k. A search from a row with supply left finds
// the nearest sink; the potential update then keeps every reduced cost
// nonnegative and makes the path tight.
type pathSearch struct {
	n, m int
	v    []float64 // column potentials

	predRow []int // row from which each column was reached
	predCol []int // column through which each row was reached (-1: the start)

	rowSeen  []bool
	seenRows []int

	// The dense search (m ≤ listMin).
	d    []float64 // tentative path lengths
	cols []int     // column order: finalised, at the minimum, open

	// The lazy search over shortlists (m > listMin).
	lists   shortlists
	dist    []float64 // +Inf except during a search
	done    []bool
	rowH    []float64 // offset h of each row scanned in a search
	touched []int32
	ready   []int32
	heap    minHeap
}

// lazy reports whether searches read shortlists instead of whole rows.
func (s *pathSearch) lazy() bool { return s.m > listMin }

// resize sizes the search for n rows and m columns, reusing its buffers.
// It leaves the potentials and shortlists unset.
func (s *pathSearch) resize(n, m int) {
	s.n, s.m = n, m
	s.v = resized(s.v, m)
	s.predRow, s.cols = resized(s.predRow, m), resized(s.cols, m)
	s.d, s.done = resized(s.d, m), resized(s.done, m)
	if cap(s.dist) < m {
		s.dist = make([]float64, m)
		for j := range s.dist {
			s.dist[j] = math.Inf(1)
		}
		s.touched = make([]int32, 0, m)
		s.ready = make([]int32, 0, m)
		s.heap = make(minHeap, 0, 2*m)
	}
	s.dist = s.dist[:m]
	s.predCol, s.rowSeen, s.rowH = resized(s.predCol, n), resized(s.rowSeen, n), resized(s.rowH, n)
	if cap(s.seenRows) < n {
		s.seenRows = make([]int, 0, n)
	}
}

// resized returns a slice of length n, reusing buf's storage when it is
// large enough. Reused contents are kept, so callers that rely on zeroed
// flags (rowSeen, done) restore them after every use.
func resized[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}

// shortestPath finds a shortest augmenting path from row start to the
// nearest sink of g under reduced costs, returns that sink (-1 if +Inf
// costs leave none reachable) and updates the potentials of the columns it
// finalised. The path is in predRow and predCol: column t was reached from
// row predRow[t], which (unless it is start) was reached through column
// predCol[predRow[t]].
func (s *pathSearch) shortestPath(cost []float64, start int, g network) int {
	s.rowSeen[start] = true
	s.predCol[start] = -1
	s.seenRows = append(s.seenRows[:0], start)
	var final int
	if s.lazy() {
		final = s.lazyPath(cost, start, g)
	} else {
		final = s.densePath(cost, start, g)
	}
	for _, i := range s.seenRows {
		s.rowSeen[i] = false
	}
	return final
}

// enter marks row i as reached through column j, reporting false if it was
// reached before.
func (s *pathSearch) enter(i, j int) bool {
	if s.rowSeen[i] {
		return false
	}
	s.rowSeen[i] = true
	s.seenRows = append(s.seenRows, i)
	s.predCol[i] = j
	return true
}

// densePath is Dijkstra's algorithm reading whole rows, with the column
// groups of Jonker–Volgenant: cols[0, lo) finalised, [lo, hi) at the
// current minimum distance awaiting a scan, [hi, m) still open.
func (s *pathSearch) densePath(cost []float64, start int, g network) int {
	m := s.m
	cols, d, v, pred := s.cols, s.d, s.v[:m], s.predRow
	row := cost[start*m : start*m+m]
	for j := range m {
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
			if lo == m {
				return -1
			}
			hi = lo + 1
			mind := d[cols[lo]]
			for k := hi; k < m; k++ {
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
				return -1 // only forbidden pairings remain
			}
			for k := lo; k < hi; k++ {
				if j := cols[k]; g.sink(j) {
					final = j
					break
				}
			}
			if final >= 0 {
				break
			}
		}
		// Scan one column at the minimum: relax through its rows.
		j := cols[lo]
		lo++
		mind := d[j]
		for _, i := range g.via(j) {
			if !s.enter(i, j) {
				continue
			}
			ri := cost[i*m : i*m+m]
			h := ri[j] - v[j] - mind
			for k := hi; k < m; k++ {
				jj := cols[k]
				if c := ri[jj] - v[jj] - h; c < d[jj] {
					d[jj] = c
					pred[jj] = i
					if c == mind {
						if g.sink(jj) {
							final = jj
							break
						}
						cols[k] = cols[hi]
						cols[hi] = jj
						hi++
					}
				}
			}
			if final >= 0 {
				break
			}
		}
	}
	mind := d[final]
	for _, j := range cols[:ready] {
		v[j] += d[j] - mind
	}
	// Columns scanned in the last round sit at mind: no change.
	return final
}

// lazyPath is densePath reading only the shortlists where it can. A
// scanned row relaxes its listed columns and leaves in the heap a marker
// keyed by the lower bound its list gives for every other column; only if
// the search reaches that bound is the whole row read. Prices only fall
// (v_j += d_j − mind with d_j ≤ mind), so the bounds of earlier scans stay
// valid, and the search finds the same shortest path as a dense one.
func (s *pathSearch) lazyPath(cost []float64, start int, g network) int {
	m := s.m
	d, done, pred, v, rowH := s.dist, s.done, s.predRow, s.v[:m], s.rowH
	s.heap, s.touched, s.ready = s.heap[:0], s.touched[:0], s.ready[:0]
	// final is set as soon as a sink is reached at the distance being
	// settled, dist: no path to a sink can be shorter.
	final := -1
	dist := math.Inf(-1)
	relax := func(i int, h float64, cols []int32, costs []float64) {
		for t, j := range cols {
			if done[j] {
				continue
			}
			if c := costs[t] - v[j] - h; c < d[j] {
				if math.IsInf(d[j], 1) {
					s.touched = append(s.touched, j)
				}
				d[j] = c
				pred[j] = i
				if c <= dist && g.sink(int(j)) {
					final = int(j)
					return
				}
				s.heap.push(heapItem{c, j})
			}
		}
	}
	relaxRow := func(i int, h float64) {
		for j, c := range cost[i*m : i*m+m] {
			if done[j] {
				continue
			}
			if c := c - v[j] - h; c < d[j] {
				if math.IsInf(d[j], 1) {
					s.touched = append(s.touched, int32(j))
				}
				d[j] = c
				pred[j] = i
				if c <= dist && g.sink(j) {
					final = j
					return
				}
				s.heap.push(heapItem{c, int32(j)})
			}
		}
	}
	scan := func(i int, h float64) {
		if math.IsInf(s.lists.bound[i], -1) {
			s.lists.rescan(cost[i*m:i*m+m], v, i)
		}
		rowH[i] = h
		cols, costs := s.lists.list(i)
		if relax(i, h, cols, costs); final < 0 {
			s.heap.push(heapItem{s.lists.bound[i] - h, int32(-1 - i)})
		}
	}
	scan(start, 0)
	for final < 0 && len(s.heap) > 0 {
		it := s.heap.pop()
		dist = it.d
		if it.j < 0 {
			// The search reached row i's bound: refresh its list. If that
			// raised the bound, the fresh list and bound stand in for the
			// row; if not (more than listLen columns tie), relax it whole.
			i := int(-1 - it.j)
			old := s.lists.bound[i]
			s.lists.rescan(cost[i*m:i*m+m], v, i)
			if s.lists.bound[i] > old {
				scan(i, rowH[i])
			} else {
				relaxRow(i, rowH[i])
			}
			continue
		}
		j := int(it.j)
		if done[j] || it.d > d[j] {
			continue // stale entry
		}
		if g.sink(j) {
			final = j
			break
		}
		done[j] = true
		s.ready = append(s.ready, it.j)
		for _, i := range g.via(j) {
			if !s.enter(i, j) {
				continue
			}
			if scan(i, cost[i*m+j]-v[j]-it.d); final >= 0 {
				break
			}
		}
	}
	if final >= 0 {
		mind := d[final]
		for _, j := range s.ready {
			v[j] += d[j] - mind
		}
	}
	for _, j := range s.touched {
		d[j], done[j] = math.Inf(1), false
	}
	return final
}

// heapItem is a column and its tentative distance, or, for j < 0, the
// bound on the columns off the shortlist of row -1-j.
type heapItem struct {
	d float64
	j int32
}

// before orders heap items by distance, columns ahead of row bounds at equal
// distance: with many ties, a sink at the current distance is then found
// before any row is read whole.
func (it heapItem) before(o heapItem) bool {
	return it.d < o.d || it.d == o.d && it.j >= 0 && o.j < 0
}

// minHeap is a binary heap of heapItems by distance.
type minHeap []heapItem

func (hp *minHeap) push(it heapItem) {
	h := append(*hp, it)
	k := len(h) - 1
	for k > 0 {
		p := (k - 1) / 2
		if !it.before(h[p]) {
			break
		}
		h[k] = h[p]
		k = p
	}
	h[k] = it
	*hp = h
}

func (hp *minHeap) pop() heapItem {
	h := *hp
	top := h[0]
	last := h[len(h)-1]
	h = h[:len(h)-1]
	k := 0
	for {
		c := 2*k + 1
		if c >= len(h) {
			break
		}
		if c+1 < len(h) && h[c+1].before(h[c]) {
			c++
		}
		if !h[c].before(last) {
			break
		}
		h[k] = h[c]
		k = c
	}
	if len(h) > 0 {
		h[k] = last
	}
	*hp = h
	return top
}

// columnMinima sets v to the column minima of an n×m matrix, the prices
// column reduction would set.
func columnMinima(v, cost []float64, n, m int) {
	for j := range v {
		v[j] = math.Inf(1)
	}
	for i := range n {
		row := cost[i*m : i*m+m]
		for j, c := range row {
			v[j] = min(v[j], c)
		}
	}
}

// subsample writes into dst the (n/2)×(m/2) matrix of every other row and
// column of an n×m matrix: the half-size problem whose optimal potentials
// warm-start the full one.
func subsample(dst, cost []float64, n, m int) {
	cn, cm := n/2, m/2
	for r := range cn {
		row := cost[2*r*m : 2*r*m+m]
		for c := range cm {
			dst[r*cm+c] = row[2*c]
		}
	}
}

// extendPrices sets v from the row potentials u of the half-size problem
// (row r of it is row 2r here) by the c-transform
// v_j = min_r C_{2r, j} − u_r, which prices every column of the full n×m
// problem. Any prices are a valid start for the shortest path phase; these
// make its searches short. It reports false if a column is left at +Inf
// (unreachable from the sampled rows).
func extendPrices(v, cost []float64, m int, u []float64) bool {
	for j := range v {
		v[j] = math.Inf(1)
	}
	for r, ur := range u {
		row := cost[2*r*m : 2*r*m+m]
		for j, c := range row {
			v[j] = min(v[j], c-ur)
		}
	}
	for _, x := range v {
		if math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
