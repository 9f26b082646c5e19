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
		columnMinima(p.search.v, cost, n, m)
	}
	if err := p.solve(cost); err != nil {
		return dst, 0, err
	}
	start := len(dst)
	for j := range m {
		for k, i := range p.flowRows[j] {
			dst = append(dst, Flow{I: i, J: j, Mass: p.flowMass[j][k] * p.unit})
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
// rows and demand of columns, and the flow on each column as short lists
// (an optimal basic plan has at most n+m−1 nonzero entries). It is the
// network of its searches: a column with demand left is a sink, and a
// column leads to the rows sending it flow.
type planner struct {
	n, m     int
	sup, dem []float64
	unit     float64 // mass of one unit of sup and dem
	tol      float64 // leftover supply or demand treated as rounding
	dust     float64 // remainders below this are rounding, set to zero
	flowRows [][]int // rows sending flow to each column
	flowMass [][]float64
	open     int // columns with demand left

	search pathSearch // the column potentials v, shortlists and searches
}

func (p *planner) sink(j int) bool { return p.dem[j] > 0 }
func (p *planner) via(j int) []int { return p.flowRows[j] }

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
	p.flowRows, p.flowMass = make([][]int, m), make([][]float64, m)
	for _, x := range p.dem {
		if x > 0 {
			p.open++
		}
	}
	p.search.resize(n, m)
	if p.search.lazy() {
		p.search.lists.reset(n)
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
	subsample(sub, cost, n, m)
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
		columnMinima(q.search.v, sub, cn, cm)
	}
	if err := q.solve(sub); err != nil {
		return false
	}
	// Row potentials of the subproblem: each row's least reduced cost.
	u := make([]float64, cn)
	for r := range cn {
		u[r] = math.Inf(1)
		for c, x := range sub[r*cm : r*cm+cm] {
			u[r] = min(u[r], x-q.search.v[c])
		}
	}
	return extendPrices(p.search.v, cost, m, u)
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
			t := p.search.shortestPath(cost, s, p)
			if t < 0 {
				return fmt.Errorf("%w: the mass of row %d cannot be placed", ErrInfeasible, s)
			}
			p.augment(s, t)
		}
	}
	return nil
}

// augment pushes as much mass as the path from row s to column t allows.
func (p *planner) augment(s, t int) {
	predRow, predCol := p.search.predRow, p.search.predCol
	delta := min(p.sup[s], p.dem[t])
	for j := t; ; {
		i := predRow[j]
		if i == s {
			break
		}
		jj := predCol[i]
		delta = min(delta, p.flowOf(i, jj))
		j = jj
	}
	for j := t; ; {
		i := predRow[j]
		p.addFlow(i, j, delta)
		if i == s {
			break
		}
		jj := predCol[i]
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
	for k, r := range p.flowRows[j] {
		if r == i {
			return p.flowMass[j][k]
		}
	}
	return 0
}

// addFlow changes the flow on (i, j) by delta, dropping entries that reach
// zero: delta is the smallest of the amounts it is taken from, so the
// bottleneck entry becomes exactly zero.
func (p *planner) addFlow(i, j int, delta float64) {
	rows, mass := p.flowRows[j], p.flowMass[j]
	for k, r := range rows {
		if r == i {
			mass[k] += delta
			if mass[k] <= 0 {
				last := len(rows) - 1
				rows[k], mass[k] = rows[last], mass[last]
				p.flowRows[j], p.flowMass[j] = rows[:last], mass[:last]
			}
			return
		}
	}
	p.flowRows[j], p.flowMass[j] = append(rows, i), append(mass, delta)
}
