package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemm checks the kernels against a plain triple loop (independent
// arithmetic, so within rounding) and the assembly against the pure-Go
// kernel (same operation order, so bit for bit).
func TestGemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name       string
		m, n, k    int
		transposeA bool
		accumulate bool
	}{
		{"square", 16, 64, 64, false, false},
		{"acc", 8, 16, 5, false, true},
		{"tailRows", 7, 24, 3, false, true},
		{"tailCols", 5, 13, 9, false, false},
		{"narrow", 9, 2, 64, false, false},
		{"transA", 3, 64, 37, true, false},
		{"transAacc", 66, 32, 11, true, true},
		{"k0", 4, 8, 0, false, true},
		{"k0over", 5, 8, 0, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lda := tc.k + 3
			sai, sak := lda, 1
			arows := tc.m
			if tc.transposeA {
				lda = tc.m + 2
				sai, sak = 1, lda
				arows = tc.k
			}
			a := randSlice(rng, max(arows*lda, 1))
			ldb, ldc := tc.n+5, tc.n+1
			b := randSlice(rng, max(tc.k*ldb, tc.n))
			c0 := randSlice(rng, tc.m*ldc)
			want := make([]float64, len(c0))
			copy(want, c0)
			for i := range tc.m {
				for j := range tc.n {
					var s float64
					for p := range tc.k {
						s += a[i*sai+p*sak] * b[p*ldb+j]
					}
					if tc.accumulate {
						s += c0[i*ldc+j]
					}
					want[i*ldc+j] = s
				}
			}
			got := append([]float64(nil), c0...)
			gemm(tc.m, tc.n, tc.k, a, sai, sak, b, ldb, got, ldc, tc.accumulate)
			ref := append([]float64(nil), c0...)
			gemmGeneric(tc.m, 0, tc.n, tc.k, a, sai, sak, b, ldb, ref, ldc, tc.accumulate)
			for i := range want {
				if math.Abs(got[i]-want[i]) > 1e-12*(1+math.Abs(want[i])) {
					t.Fatalf("c[%d] = %v, want %v", i, got[i], want[i])
				}
				if math.Float64bits(got[i]) != math.Float64bits(ref[i]) {
					t.Fatalf("c[%d] = %v differs from the pure-Go kernel's %v", i, got[i], ref[i])
				}
			}
		})
	}
}

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}
