package ot

import "math"

// twoSmallestAVX2 is twoSmallest by the vector kernel, branch-free and so
// as fast near equilibrium as far from it, ties going to the lower column
// as in the scalar loop.
func twoSmallestAVX2(row, v []float64) (j1 int, w1, w2 float64) {
	v = v[:len(row)]
	n8 := len(row) &^ 7
	j1, w1, w2 = twoSmallestKernel(&row[0], &v[0], n8)
	if n8 == len(row) {
		return j1, w1, w2
	}
	return foldTwoSmallest(row, v, n8, j1, w1, w2)
}

// foldTwoSmallest continues a scan for the two smallest reduced costs from
// column j, given the least so far w1 (first at column j1) and the second
// least w2.
func foldTwoSmallest(row, v []float64, j, j1 int, w1, w2 float64) (int, float64, float64) {
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

// twoSmallest returns the index and value of the smallest reduced cost
// row[j] − v[j] and the second smallest value (+Inf if there is none).
// The column is the first attaining the smallest value.
func twoSmallest(row, v []float64) (j1 int, w1, w2 float64) {
	if useAVX2 && len(row) >= 16 {
		return twoSmallestAVX2(row, v)
	}
	return twoSmallestGo(row, v)
}

// twoSmallestGo screens blocks of eight against the second smallest, which
// rarely changes, before any bookkeeping: four times faster than the plain
// loop on rows far from equilibrium, but near it, where many reduced costs
// nearly tie, its branches mispredict.
func twoSmallestGo(row, v []float64) (j1 int, w1, w2 float64) {
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
	return foldTwoSmallest(row, v, j, j1, w1, w2)
}
