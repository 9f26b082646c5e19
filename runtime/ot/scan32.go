package ot

import "math"

// twoSmallest32 is twoSmallest on float32 rows and prices, for the
// auction's bids: half the memory traffic of float64 and twice the lanes.
func twoSmallest32(row, v []float32) (j1 int, w1, w2 float32) {
	v = v[:len(row)]
	n16 := len(row) &^ 15
	if !useAVX2 || n16 == 0 {
		return foldTwoSmallest32(row, v, 0, -1, float32(math.Inf(1)), float32(math.Inf(1)))
	}
	j1, w1, w2 = twoSmallestKernel32(&row[0], &v[0], n16)
	if n16 == len(row) {
		return j1, w1, w2
	}
	return foldTwoSmallest32(row, v, n16, j1, w1, w2)
}

// foldTwoSmallest32 is foldTwoSmallest on float32.
func foldTwoSmallest32(row, v []float32, j, j1 int, w1, w2 float32) (int, float32, float32) {
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

// narrow sets dst[k] = float32(src[k]), rounding to nearest.
func narrow(dst []float32, src []float64) {
	dst = dst[:len(src)]
	k := 0
	if n8 := len(src) &^ 7; useAVX2 && n8 > 0 {
		narrowAVX(&dst[0], &src[0], n8)
		k = n8
	}
	for ; k < len(src); k++ {
		dst[k] = float32(src[k])
	}
}

// narrowMinima is narrow on an n×n cost matrix that also sets v to its
// column minima, as columnMinima does, in the same pass. The costs hold no
// NaN.
func narrowMinima(dst []float32, v, cost []float64, n int) {
	v = v[:n]
	for j := range v {
		v[j] = math.Inf(1)
	}
	n8 := n &^ 7
	for i := range n {
		row, out := cost[i*n:i*n+n], dst[i*n:i*n+n]
		j := 0
		if useAVX2 && n8 > 0 {
			narrowMinAVX(&out[0], &row[0], &v[0], n8)
			j = n8
		}
		for ; j < n; j++ {
			out[j] = float32(row[j])
			if row[j] < v[j] {
				v[j] = row[j]
			}
		}
	}
}
