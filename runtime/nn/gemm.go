package nn

import "math"

// gemm computes C = A·B, or C += A·B when accumulate is true, for an m×k
// matrix A, a k×n matrix B and an m×n matrix C. Strides are in elements:
// A[i,p] is a[i*sai+p*sak], so A may be a transposed view; B[p,j] is
// b[p*ldb+j] and C[i,j] is c[i*ldc+j].
//
// Every element is computed the same way whichever kernel handles its row:
// s = 0; for p: s = fma(A[i,p], B[p,j], s); then C = s (+ C). That fixed
// order is what makes results independent of how a batch is split across
// goroutines, and identical between the assembly and the pure-Go kernels.
func gemm(m, n, k int, a []float64, sai, sak int, b []float64, ldb int, c []float64, ldc int, accumulate bool) {
	if m == 0 || n == 0 {
		return
	}
	// The assembly kernels do not bounds-check, so check the extremes here.
	if k > 0 && (len(a) <= (m-1)*sai+(k-1)*sak || len(b) <= (k-1)*ldb+n-1) || len(c) <= (m-1)*ldc+n-1 {
		panic("nn: internal error: gemm operand too short")
	}
	n8 := n &^ 7
	if useAVX2 && n8 > 0 && k > 0 {
		acc := 0
		if accumulate {
			acc = 1
		}
		i := 0
		for ; i+4 <= m; i += 4 {
			gemm4x8AVX2(n8, k, &a[i*sai], sai, sak, &b[0], ldb, &c[i*ldc], ldc, acc)
		}
		for ; i < m; i++ {
			gemm1x8AVX2(n8, k, &a[i*sai], sak, &b[0], ldb, &c[i*ldc], acc)
		}
		if n8 == n {
			return
		}
		gemmGeneric(m, n8, n, k, a, sai, sak, b, ldb, c, ldc, accumulate)
		return
	}
	gemmGeneric(m, 0, n, k, a, sai, sak, b, ldb, c, ldc, accumulate)
}

// gemmGeneric is gemm restricted to columns [j0, n).
func gemmGeneric(m, j0, n, k int, a []float64, sai, sak int, b []float64, ldb int, c []float64, ldc int, accumulate bool) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		for j := j0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				s = math.FMA(a[i*sai+p*sak], b[p*ldb+j], s)
			}
			if accumulate {
				s += ci[j]
			}
			ci[j] = s
		}
	}
}
