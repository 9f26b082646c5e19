package nn

// mul sets dst[i] *= src[i].
func mul(dst, src []float64) {
	src = src[:len(dst)]
	if useAVX2 && len(dst)%4 == 0 && len(dst) > 0 {
		mulAVX2(&dst[0], &src[0], len(dst))
		return
	}
	for i, v := range src {
		dst[i] *= v
	}
}

// add sets dst[i] += src[i].
func add(dst, src []float64) {
	src = src[:len(dst)]
	n4 := 0
	if useAVX2 {
		n4 = len(dst) &^ 3
		if n4 > 0 {
			addAVX2(&dst[0], &src[0], n4)
		}
	}
	for i := n4; i < len(dst); i++ {
		dst[i] += src[i]
	}
}

// colSum sets dst[j] to the sum over rows r of g[r*ldg+j], j < len(dst),
// adding rows in order from zero (so that it does not matter which kernel
// runs it).
func colSum(dst, g []float64, rows, ldg int) {
	n := len(dst)
	if rows > 0 && len(g) < (rows-1)*ldg+n {
		panic("nn: internal error: colSum operand too short")
	}
	if useAVX2 && n%4 == 0 && n > 0 && rows > 0 {
		colSumAVX2(&dst[0], &g[0], rows, n, ldg)
		return
	}
	clear(dst)
	for r := range rows {
		for j, v := range g[r*ldg : r*ldg+n] {
			dst[j] += v
		}
	}
}
