package ot

import "math"

// columnReduction sets v_j to the column minima, assigns each column to
// its cheapest row when that row is still free, and transfers slack from
// rows that are the minimum of exactly one column to that column. It
// returns the number of free rows, listed in a.free.
func (a *Assigner) columnReduction(cost []float64, n int) int {
	x, y, v, unique := a.x, a.y, a.search.v, a.unique
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
