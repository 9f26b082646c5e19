package ot

import "math"

// shortestPath runs Dijkstra's algorithm on reduced costs from the free row
// start to the nearest free column, which it returns (-1 if +Inf costs leave
// none reachable); a.pred holds the
// path. It updates the potentials of the columns it finalised, keeping
// every reduced cost nonnegative and making the path tight.
//
// Columns are kept in a.cols in three groups: [0, lo) finalised, [lo, hi)
// at the current minimum distance awaiting a scan, [hi, n) still open.
func (a *Assigner) shortestPath(cost []float64, n, start int) int {
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
				return -1 // only forbidden pairings remain
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
	return final
}

// lazyPath is shortestPath reading only the shortlists where it can. A
// scanned row relaxes its listed columns and leaves in the heap a marker
// keyed by the lower bound its list gives for every other column; only if
// the search reaches that bound is the whole row read. Prices only fall
// (v_j += d_j − mind with d_j ≤ mind), so the bounds of earlier scans stay
// valid, and the search finds the same shortest path as a dense one.
func (a *Assigner) lazyPath(cost []float64, n, start int) int {
	d, done, pred, y, v, rowH := a.dist, a.done, a.pred, a.y, a.v, a.rowH
	a.heap, a.touched, a.ready = a.heap[:0], a.touched[:0], a.ready[:0]
	// final is set as soon as a free column is reached at the distance
	// being settled, dist: no path to a free column can be shorter.
	final := -1
	var dist float64
	relax := func(i int, h float64, cols []int32, costs []float64) {
		for t, j := range cols {
			if done[j] {
				continue
			}
			if c := costs[t] - v[j] - h; c < d[j] {
				if math.IsInf(d[j], 1) {
					a.touched = append(a.touched, j)
				}
				d[j] = c
				pred[j] = i
				if c <= dist && y[j] < 0 {
					final = int(j)
					return
				}
				a.heap.push(heapItem{c, j})
			}
		}
	}
	scan := func(i int, h float64) {
		if math.IsInf(a.lists.bound[i], -1) {
			a.lists.rescan(cost[i*n:i*n+n], v, i)
		}
		rowH[i] = h
		cols, costs := a.lists.list(i)
		relax(i, h, cols, costs)
		a.heap.push(heapItem{a.lists.bound[i] - h, int32(-1 - i)})
	}
	dist = math.Inf(-1)
	scan(start, 0)
	for final < 0 && len(a.heap) > 0 {
		it := a.heap.pop()
		dist = it.d
		if it.j < 0 {
			// The search reached row i's bound: refresh its list. If that
			// raised the bound, the fresh list and bound stand in for the
			// row; if not (more than listLen columns tie), relax it whole.
			i := int(-1 - it.j)
			row := cost[i*n : i*n+n]
			h := rowH[i]
			old := a.lists.bound[i]
			a.lists.rescan(row, v, i)
			if a.lists.bound[i] > old {
				cols, costs := a.lists.list(i)
				relax(i, h, cols, costs)
				a.heap.push(heapItem{a.lists.bound[i] - h, int32(-1 - i)})
				continue
			}
			for j, c := range row {
				if done[j] {
					continue
				}
				if c := c - v[j] - h; c < d[j] {
					if math.IsInf(d[j], 1) {
						a.touched = append(a.touched, int32(j))
					}
					d[j] = c
					pred[j] = i
					if c <= dist && y[j] < 0 {
						final = j
						break
					}
					a.heap.push(heapItem{c, int32(j)})
				}
			}
			continue
		}
		j := int(it.j)
		if done[j] || it.d > d[j] {
			continue // stale entry
		}
		if y[j] < 0 {
			final = j
			break
		}
		done[j] = true
		a.ready = append(a.ready, it.j)
		i := y[j]
		scan(i, cost[i*n+j]-v[j]-it.d)
	}
	if final >= 0 {
		mind := d[final]
		for _, j := range a.ready {
			v[j] += d[j] - mind
		}
	}
	for _, j := range a.touched {
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
// distance: with many ties, a free column at the current distance is then
// found before any row is read whole.
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
