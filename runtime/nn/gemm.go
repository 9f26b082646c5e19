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

// packMinCols is the width of C from which gemmTN packs A: each 4-row band
// of a transposed A is read once per 8 columns of C, and with a large row
// stride those reads map to few cache sets, so for wide layers copying the
// band into a contiguous buffer first pays off.
const packMinCols = 128

// gemmTN is gemm for A = Xᵀ, where X is k×m row-major with row stride ldx,
// the weight-gradient product. pack (at least 4k values) is scratch for
// packing bands of A; results are those of gemm, bit for bit.
func gemmTN(m, n, k int, x []float64, ldx int, b []float64, ldb int, c []float64, ldc int, accumulate bool, pack []float64) {
	n8 := n &^ 7
	if !useAVX2 || n < packMinCols || k == 0 || m < 4 {
		gemm(m, n, k, x, 1, ldx, b, ldb, c, ldc, accumulate)
		return
	}
	if len(x) <= (k-1)*ldx+m-1 || len(b) <= (k-1)*ldb+n-1 || len(c) <= (m-1)*ldc+n-1 || len(pack) < 4*k {
		panic("nn: internal error: gemmTN operand too short")
	}
	acc := 0
	if accumulate {
		acc = 1
	}
	m4 := m &^ 3
	for i := 0; i < m4; i += 4 {
		for p := range k {
			copy(pack[4*p:4*p+4], x[p*ldx+i:p*ldx+i+4])
		}
		gemm4x8AVX2(n8, k, &pack[0], 1, 4, &b[0], ldb, &c[i*ldc], ldc, acc)
	}
	if m4 < m {
		gemm(m-m4, n8, k, x[m4:], 1, ldx, b, ldb, c[m4*ldc:], ldc, accumulate)
	}
	if n8 < n {
		gemmGeneric(m, n8, n, k, x, 1, ldx, b, ldb, c, ldc, accumulate)
	}
}

// gemmGeneric is gemm restricted to columns [j0, n), in pure Go. Four
// columns at a time keep four sums in registers while B is read along its
// rows; each sum still runs over p in order from zero.
func gemmGeneric(m, j0, n, k int, a []float64, sai, sak int, b []float64, ldb int, c []float64, ldc int, accumulate bool) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		j := j0
		for ; j+4 <= n; j += 4 {
			var s0, s1, s2, s3 float64
			for p := 0; p < k; p++ {
				x := a[i*sai+p*sak]
				bp := b[p*ldb+j : p*ldb+j+4]
				s0 = math.FMA(x, bp[0], s0)
				s1 = math.FMA(x, bp[1], s1)
				s2 = math.FMA(x, bp[2], s2)
				s3 = math.FMA(x, bp[3], s3)
			}
			if accumulate {
				s0 += ci[j]
				s1 += ci[j+1]
				s2 += ci[j+2]
				s3 += ci[j+3]
			}
			ci[j], ci[j+1], ci[j+2], ci[j+3] = s0, s1, s2, s3
		}
		for ; j < n; j++ {
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
