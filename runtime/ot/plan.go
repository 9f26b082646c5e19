package ot

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Flow is one nonzero entry of a transport plan: Mass moves from source
// point I to target point J.
type Flow struct {
	I, J int
	Mass float64
}

// Plan finds an optimal transport plan between weights a on the n rows and
// b on the m columns of an n×m cost matrix (row-major): the nonnegative
// masses P_ij with row sums a and column sums b that minimise Σ P_ij C_ij,
// the earth mover's distance. It appends the nonzero entries to dst, ordered
// by I then J, and returns the extended slice and the cost Σ P_ij C_ij.
//
// A nil a or b means uniform weights, with the other side's total (1 when
// both are nil). With both uniform the masses are computed in exact integer
// arithmetic, so the plan's marginals are exactly 1/n and 1/m up to the
// final rounding of each mass. Otherwise the totals of a and b must agree
// to a relative Settings.MassTol (default 1e-9), and the marginals match to
// that tolerance. Plans are sparse: typically at most n+m−1 nonzero
// entries, the size of a vertex of the transport polytope.
//
// +Inf forbids an entry; if no plan avoids them Plan returns an error
// wrapping ErrInfeasible. NaN or -Inf costs, negative, NaN or infinite
// weights, wrong lengths and empty problems are errors.
//
// The algorithm is successive shortest paths (a primal–dual min-cost flow)
// on the dense bipartite graph, with the search of Jonker–Volgenant over
// per-row shortlists and prices warm-started from the half-size problem,
// as in Assign. Plan allocates its work space on every call.
func Plan(dst []Flow, cost []float64, n, m int, a, b []float64, s *Settings) ([]Flow, float64, error) {
	if _, _, _, err := checkCost(cost, n, m); err != nil {
		return dst, 0, err
	}
	var p planner
	if err := p.init(n, m, a, b, s.massTol()); err != nil {
		return dst, 0, err
	}
	if !p.coarsePrices(cost, a, b) {
		p.columnMinima(cost)
	}
	if err := p.solve(cost); err != nil {
		return dst, 0, err
	}
	start := len(dst)
	for j := range m {
		for _, e := range p.flows[j] {
			dst = append(dst, Flow{I: e.i, J: j, Mass: e.f * p.unit})
		}
	}
	out := dst[start:]
	slices.SortFunc(out, func(x, y Flow) int {
		return cmp.Or(cmp.Compare(x.I, y.I), cmp.Compare(x.J, y.J))
	})
	var total float64
	for _, f := range out {
		total += f.Mass * cost[f.I*m+f.J]
	}
	return dst, total, nil
}

// planner holds the state of successive shortest paths: remaining supply of
// rows and demand of columns, the flow on each column (short lists: an
// optimal basic plan has at most n+m−1 nonzero entries), column potentials
// and the search's work arrays.
type planner struct {
	n, m     int
	sup, dem []float64
	unit     float64 // mass of one unit of sup and dem
	tol      float64 // leftover supply or demand treated as rounding
	dust     float64 // remainders below this are rounding, set to zero
	flows    [][]flowEntry
	v        []float64
	d        []float64
	cols     []int
	predRow  []int // row from which each column was reached
	predCol  []int // column through whose flow each row was reached
	rowSeen  []bool
	seenRows []int
	open     int // columns with demand left

	// The lazy search of wide problems (m > listMin), as in Assigner.
	lists   shortlists
	dist    []float64 // +Inf except during a search
	done    []bool
	rowH    []float64
	touched []int32
	ready   []int32
	heap    minHeap
}

type flowEntry struct {
	i int
	f float64
}

func (p *planner) init(n, m int, a, b []float64, massTol float64) error {
	p.n, p.m = n, m
	p.sup, p.dem = make([]float64, n), make([]float64, m)
	switch {
	case a == nil && b == nil:
		// Integer units: row i supplies m/g, column j demands n/g; each
		// unit is g/(n m) of mass, so the arithmetic below is exact.
		g := gcd(n, m)
		if float64(n/g)*float64(m) > 1<<52 {
			return fmt.Errorf("ot: Plan with n = %d, m = %d exceeds exact integer arithmetic", n, m)
		}
		for i := range p.sup {
			p.sup[i] = float64(m / g)
		}
		for j := range p.dem {
			p.dem[j] = float64(n / g)
		}
		p.unit = float64(g) / (float64(n) * float64(m))
	default:
		sa, err := checkWeights("a", a, n)
		if err != nil {
			return err
		}
		sb, err := checkWeights("b", b, m)
		if err != nil {
			return err
		}
		if a == nil {
			sa = sb
		}
		if b == nil {
			sb = sa
		}
		if math.Abs(sa-sb) > massTol*max(sa, sb) {
			return fmt.Errorf("ot: total masses differ: Σa = %g, Σb = %g (relative tolerance %g); normalise both", sa, sb, massTol)
		}
		for i := range p.sup {
			if a == nil {
				p.sup[i] = sa / float64(n)
			} else {
				p.sup[i] = a[i]
			}
		}
		for j := range p.dem {
			if b == nil {
				p.dem[j] = sb / float64(m)
			} else {
				p.dem[j] = b[j]
			}
		}
		p.unit = 1
		p.tol = massTol * max(sa, sb)
		p.dust = 1e-15 * max(sa, sb)
	}
	p.flows = make([][]flowEntry, m)
	p.v, p.d = make([]float64, m), make([]float64, m)
	p.cols, p.predRow = make([]int, m), make([]int, m)
	p.predCol, p.rowSeen = make([]int, n), make([]bool, n)
	for _, x := range p.dem {
		if x > 0 {
			p.open++
		}
	}
	if m > listMin {
		p.lists.reset(n)
		p.dist, p.done, p.rowH = make([]float64, m), make([]bool, m), make([]float64, n)
		for j := range p.dist {
			p.dist[j] = math.Inf(1)
		}
	}
	return nil
}

// checkWeights validates a weight vector (nil is uniform) and returns its
// total.
func checkWeights(name string, w []float64, n int) (float64, error) {
	if w == nil {
		return 0, nil
	}
	if len(w) != n {
		return 0, fmt.Errorf("ot: %s has length %d, want %d", name, len(w), n)
	}
	var s float64
	for i, x := range w {
		if !(x >= 0) || math.IsInf(x, 1) {
			return 0, fmt.Errorf("ot: %s[%d] = %g: weights must be finite and nonnegative", name, i, x)
		}
		s += x
	}
	if !(s > 0) || math.IsInf(s, 1) {
		return 0, fmt.Errorf("ot: %s sums to %g: need a finite positive total", name, s)
	}
	return s, nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// columnMinima sets the column prices to the column minima.
func (p *planner) columnMinima(cost []float64) {
	m := p.m
	for j := range p.v {
		p.v[j] = math.Inf(1)
	}
	for i := range p.n {
		row := cost[i*m : i*m+m]
		for j, c := range row {
			p.v[j] = min(p.v[j], c)
		}
	}
}

// planCoarseMin is the smallest n and m warm-started from the half-size
// problem.
const planCoarseMin = 128

// coarsePrices sets the column prices from the optimal potentials of the
// problem on every other row and column (weights renormalised), extended to
// all columns by the c-transform, as Assigner does. Any prices are a valid
// start for the shortest path phase, whose reduced costs are measured from
// each row's minimum; good ones make its searches short. It reports false
// if the problem is too small or the subproblem has no solution.
func (p *planner) coarsePrices(cost []float64, a, b []float64) bool {
	n, m := p.n, p.m
	if n < planCoarseMin || m < planCoarseMin {
		return false
	}
	cn, cm := n/2, m/2
	sub := make([]float64, cn*cm)
	for r := range cn {
		row := cost[2*r*m : 2*r*m+m]
		for c := range cm {
			sub[r*cm+c] = row[2*c]
		}
	}
	sample := func(w []float64, k int) []float64 {
		if w == nil {
			return nil
		}
		out := make([]float64, k)
		var s float64
		for i := range out {
			out[i] = w[2*i]
			s += out[i]
		}
		if !(s > 0) {
			return nil
		}
		for i := range out {
			out[i] /= s
		}
		return out
	}
	sa, sb := sample(a, cn), sample(b, cm)
	if (a == nil) != (sa == nil) || (b == nil) != (sb == nil) {
		return false // a sampled side has no mass
	}
	var q planner
	if err := q.init(cn, cm, sa, sb, defaultMassTol); err != nil {
		return false
	}
	if !q.coarsePrices(sub, sa, sb) {
		q.columnMinima(sub)
	}
	if err := q.solve(sub); err != nil {
		return false
	}
	// Row potentials of the subproblem: each row's least reduced cost.
	u := make([]float64, cn)
	for r := range cn {
		u[r] = math.Inf(1)
		for c, x := range sub[r*cm : r*cm+cm] {
			u[r] = min(u[r], x-q.v[c])
		}
	}
	for j := range p.v {
		p.v[j] = math.Inf(1)
	}
	for r := range cn {
		row := cost[2*r*m : 2*r*m+m]
		for j, c := range row {
			p.v[j] = min(p.v[j], c-u[r])
		}
	}
	for _, x := range p.v {
		if math.IsInf(x, 0) {
			return false // a column unreachable from the sampled rows
		}
	}
	return true
}

// solve ships every row's supply along shortest augmenting paths. The
// invariants are those of Jonker–Volgenant: with row potentials
// u_i = min_j C_ij − v_j, every entry carrying flow has C_ij − v_j = u_i.
// Dual feasibility and complementary slackness at the end make the plan
// optimal.
func (p *planner) solve(cost []float64) error {
	for s := range p.n {
		for p.sup[s] > 0 {
			if p.open == 0 {
				// Only rounding is left; Plan's check of the totals bounds it.
				if p.sup[s] > p.tol {
					return fmt.Errorf("ot: internal error: supply %g of row %d left with no demand", p.sup[s], s)
				}
				p.sup[s] = 0
				break
			}
			var t int
			if p.m > listMin {
				t = p.lazyPath(cost, s)
			} else {
				t = p.shortestPath(cost, s)
			}
			if t < 0 {
				return fmt.Errorf("%w: the mass of row %d cannot be placed", ErrInfeasible, s)
			}
			p.augment(s, t)
		}
	}
	return nil
}

// shortestPath runs Dijkstra's algorithm on reduced costs from row s to
// the nearest column with demand left, which it returns (-1 if none is
// reachable), updating the potentials of the columns it finalised.
// Columns lead on to the rows that send them flow, at no reduced cost.
func (p *planner) shortestPath(cost []float64, s int) int {
	m := p.m
	cols, d, v, pred := p.cols, p.d, p.v, p.predRow
	row := cost[s*m : s*m+m]
	for j := range m {
		cols[j] = j
		pred[j] = s
		d[j] = row[j] - v[j]
	}
	p.rowSeen[s] = true
	p.predCol[s] = -1
	p.seenRows = append(p.seenRows[:0], s)
	lo, hi, ready := 0, 0, 0
	final := -1
	for final < 0 {
		if lo == hi {
			ready = lo
			if lo == m {
				break
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
				break
			}
			for k := lo; k < hi; k++ {
				if j := cols[k]; p.dem[j] > 0 {
					final = j
					break
				}
			}
			if final >= 0 {
				break
			}
		}
		j := cols[lo]
		if p.dem[j] > 0 {
			final = j // joined the minimum group during a scan
			break
		}
		lo++
		dj := d[j]
		for _, e := range p.flows[j] {
			i := e.i
			if p.rowSeen[i] {
				continue
			}
			p.rowSeen[i] = true
			p.seenRows = append(p.seenRows, i)
			p.predCol[i] = j
			ri := cost[i*m : i*m+m]
			h := ri[j] - v[j] - dj
			for k := hi; k < m; k++ {
				jj := cols[k]
				if c := ri[jj] - v[jj] - h; c < d[jj] {
					d[jj] = c
					pred[jj] = i
					if c == dj {
						cols[k] = cols[hi]
						cols[hi] = jj
						hi++
					}
				}
			}
		}
	}
	for _, i := range p.seenRows {
		p.rowSeen[i] = false
	}
	if final < 0 {
		return -1
	}
	mind := d[final]
	for _, j := range cols[:ready] {
		v[j] += d[j] - mind
	}
	// Columns scanned in the last round sit at mind: no change.
	return final
}

// lazyPath is shortestPath reading only the rows' shortlists where it can,
// like Assigner.lazyPath: a scanned row leaves in the heap a marker keyed by
// the bound its list gives for all other columns, and is only read whole if
// the search reaches it.
func (p *planner) lazyPath(cost []float64, s int) int {
	m := p.m
	d, done, pred, v, rowH := p.dist, p.done, p.predRow, p.v, p.rowH
	p.heap, p.touched, p.ready = p.heap[:0], p.touched[:0], p.ready[:0]
	// final is set as soon as a column with demand is reached at the
	// distance being settled, dist: no path to one can be shorter.
	final := -1
	dist := math.Inf(-1)
	relaxAll := func(i int, h float64) {
		row := cost[i*m : i*m+m]
		for j, c := range row {
			if done[j] {
				continue
			}
			if c := c - v[j] - h; c < d[j] {
				if math.IsInf(d[j], 1) {
					p.touched = append(p.touched, int32(j))
				}
				d[j] = c
				pred[j] = i
				if c <= dist && p.dem[j] > 0 {
					final = j
					return
				}
				p.heap.push(heapItem{c, int32(j)})
			}
		}
	}
	scan := func(i int, h float64) {
		row := cost[i*m : i*m+m]
		if math.IsInf(p.lists.bound[i], -1) {
			p.lists.rescan(row, v, i)
		}
		rowH[i] = h
		cols, costs := p.lists.list(i)
		for t, j := range cols {
			if done[j] {
				continue
			}
			if c := costs[t] - v[j] - h; c < d[j] {
				if math.IsInf(d[j], 1) {
					p.touched = append(p.touched, j)
				}
				d[j] = c
				pred[j] = i
				if c <= dist && p.dem[j] > 0 {
					final = int(j)
					return
				}
				p.heap.push(heapItem{c, j})
			}
		}
		p.heap.push(heapItem{p.lists.bound[i] - h, int32(-1 - i)})
	}
	p.rowSeen[s] = true
	p.predCol[s] = -1
	p.seenRows = append(p.seenRows[:0], s)
	scan(s, 0)
	for final < 0 && len(p.heap) > 0 {
		it := p.heap.pop()
		dist = it.d
		if it.j < 0 {
			// The search reached row i's bound: refresh its list, and
			// relax the row whole only if that did not raise the bound.
			i := int(-1 - it.j)
			old := p.lists.bound[i]
			p.lists.rescan(cost[i*m:i*m+m], v, i)
			if p.lists.bound[i] > old {
				scan(i, rowH[i])
			} else {
				relaxAll(i, rowH[i])
			}
			continue
		}
		j := int(it.j)
		if done[j] || it.d > d[j] {
			continue // stale entry
		}
		if p.dem[j] > 0 {
			final = j
			break
		}
		done[j] = true
		p.ready = append(p.ready, it.j)
		for _, e := range p.flows[j] {
			i := e.i
			if p.rowSeen[i] {
				continue
			}
			p.rowSeen[i] = true
			p.seenRows = append(p.seenRows, i)
			p.predCol[i] = j
			if scan(i, cost[i*m+j]-v[j]-it.d); final >= 0 {
				break
			}
		}
	}
	if final >= 0 {
		mind := d[final]
		for _, j := range p.ready {
			v[j] += d[j] - mind
		}
	}
	for _, j := range p.touched {
		d[j], done[j] = math.Inf(1), false
	}
	for _, i := range p.seenRows {
		p.rowSeen[i] = false
	}
	return final
}

// augment pushes as much mass as the path from row s to column t allows.
func (p *planner) augment(s, t int) {
	delta := min(p.sup[s], p.dem[t])
	for j := t; ; {
		i := p.predRow[j]
		if i == s {
			break
		}
		jj := p.predCol[i]
		delta = min(delta, p.flowOf(i, jj))
		j = jj
	}
	for j := t; ; {
		i := p.predRow[j]
		p.addFlow(i, j, delta)
		if i == s {
			break
		}
		jj := p.predCol[i]
		p.addFlow(i, jj, -delta)
		j = jj
	}
	p.sup[s] -= delta
	p.dem[t] -= delta
	if p.sup[s] <= p.dust {
		p.sup[s] = 0
	}
	if p.dem[t] <= p.dust {
		p.dem[t] = 0
		p.open--
	}
}

func (p *planner) flowOf(i, j int) float64 {
	for _, e := range p.flows[j] {
		if e.i == i {
			return e.f
		}
	}
	return 0
}

// addFlow changes the flow on (i, j) by delta, dropping entries that reach
// zero: delta is the smallest of the amounts it is taken from, so the
// bottleneck entry becomes exactly zero.
func (p *planner) addFlow(i, j int, delta float64) {
	list := p.flows[j]
	for k := range list {
		if list[k].i == i {
			list[k].f += delta
			if list[k].f <= 0 {
				list[k] = list[len(list)-1]
				p.flows[j] = list[:len(list)-1]
			}
			return
		}
	}
	p.flows[j] = append(list, flowEntry{i, delta})
}
