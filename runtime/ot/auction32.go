package ot

import "math"

// narrowMax bounds the costs and prices the auction may run on in float32:
// far below float32's largest value, so that no finite cost or price, nor
// their differences, round to infinity.
const narrowMax = 1e30

// narrowable reports whether the auction may run in float32 on costs
// whose finite entries span [lo, hi]: with the vector scan (the scalar
// code gains nothing from it), costs far below float32's largest value,
// and a cost range float32 resolves against the costs' magnitude.
func narrowable(lo, hi float64) bool {
	mag := max(math.Abs(lo), math.Abs(hi))
	return useAVX2 && mag <= narrowMax && hi-lo >= mag*0x1p-16
}

// auction32 runs the auction's ε-scaling phases on float32 copies of the
// costs and prices, for the vector scan reads twice as many columns per
// instruction and half the bytes. The auction only seeds the exact phases:
// freeSlackRows and the shortest path searches work on the float64 costs
// and restore the exact optimality of every row, so rounding here costs at
// most some extra searches, never exactness. It reports false, leaving
// everything untouched, when float32 cannot represent the problem well
// (see narrowable) or a price lies beyond narrowMax. narrowed says that
// a.cost32 already holds the float32 costs.
func (a *Assigner) auction32(cost []float64, n int, lo, hi, eps0 float64, narrowed bool) bool {
	v := a.search.v
	span := hi - lo
	mag := max(math.Abs(lo), math.Abs(hi))
	if !narrowed {
		if !narrowable(lo, hi) {
			return false
		}
		for _, vj := range v {
			if !(math.Abs(vj) <= narrowMax) {
				return false
			}
		}
		a.cost32 = resized(a.cost32, n*n)
		narrow(a.cost32, cost)
	}
	a.v32 = resized(a.v32, n)
	c32, v32 := a.cost32, a.v32
	narrow(v32, v)
	defer func() {
		for j, vj := range v32 {
			v[j] = float64(vj)
		}
	}()

	x, y, free := a.x, a.y, a.free
	inf := float32(math.Inf(1))
	// ε stays at least 8 units in the last place of the largest cost, so
	// that a bid always moves a price.
	epsMin := max(auctionEpsMin*span, mag*0x1p-20)
	span32 := float32(span)
	for eps := eps0 * span; ; eps /= auctionTheta {
		eps = max(eps, epsMin)
		eps32 := float32(eps)
		for i := range n {
			x[i], y[i] = -1, -1
			free[i] = n - 1 - i
		}
		nfree, tied := n, 0
		for bids := 0; nfree > 0; bids++ {
			if bids > auctionBidCap*n || tied > auctionTieCap*n {
				return true
			}
			nfree--
			i := free[nfree]
			j1, w1, w2 := twoSmallest32(c32[i*n:i*n+n], v32)
			if j1 < 0 {
				// Every cost of the row overflowed float32's range: leave
				// the row to the exact phases.
				return true
			}
			if w1 == w2 {
				tied++
			}
			if w2 == inf {
				w2 = w1 + span32
			}
			v32[j1] -= (w2 - w1) + eps32
			k := y[j1]
			y[j1], x[i] = i, j1
			if k >= 0 {
				x[k] = -1
				free[nfree] = k
				nfree++
			}
		}
		if eps == epsMin {
			return true
		}
	}
}
