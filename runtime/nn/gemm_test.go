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

// TestGemmTN checks the packed transposed product against gemm, bit for
// bit, on shapes wide enough to pack, with row and column tails.
func TestGemmTN(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, tc := range []struct{ m, n, k int }{{8, 128, 16}, {7, 136, 5}, {66, 256, 33}, {3, 128, 4}} {
		ldx, ldb, ldc := tc.m+3, tc.n+1, tc.n+2
		x := randSlice(rng, tc.k*ldx)
		b := randSlice(rng, tc.k*ldb)
		for _, accumulate := range []bool{false, true} {
			c0 := randSlice(rng, tc.m*ldc)
			want := append([]float64(nil), c0...)
			gemm(tc.m, tc.n, tc.k, x, 1, ldx, b, ldb, want, ldc, accumulate)
			got := append([]float64(nil), c0...)
			gemmTN(tc.m, tc.n, tc.k, x, ldx, b, ldb, got, ldc, accumulate, make([]float64, 4*tc.k))
			for i := range want {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("%+v: c[%d] = %v, want %v", tc, i, got[i], want[i])
				}
			}
		}
	}
}

// TestVecKernels checks colSum and mul against plain loops, bit for bit
// (both add in row order from zero).
func TestVecKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, tc := range []struct{ rows, n, ldg int }{{0, 8, 8}, {1, 4, 4}, {7, 20, 24}, {128, 64, 64}, {5, 3, 8}, {3, 36, 40}} {
		g := randSlice(rng, max(tc.rows*tc.ldg, 1))
		got := randSlice(rng, tc.n)
		colSum(got, g, tc.rows, tc.ldg)
		for j := range tc.n {
			var want float64
			for r := range tc.rows {
				want += g[r*tc.ldg+j]
			}
			if math.Float64bits(got[j]) != math.Float64bits(want) {
				t.Fatalf("rows %d n %d: colSum[%d] = %v, want %v", tc.rows, tc.n, j, got[j], want)
			}
		}
		dst := randSlice(rng, tc.n)
		want := append([]float64(nil), dst...)
		mul(dst, got)
		for i := range want {
			if want[i] *= got[i]; dst[i] != want[i] {
				t.Fatalf("mul[%d] = %v, want %v", i, dst[i], want[i])
			}
		}
		add(dst, got)
		for i := range want {
			if want[i] += got[i]; dst[i] != want[i] {
				t.Fatalf("add[%d] = %v, want %v", i, dst[i], want[i])
			}
		}
	}
}

// TestAdamKernel checks the AVX2 Adam step against adamScalar bit for bit.
func TestAdamKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, l2 := range []float64{0, 0.1} {
		const n = 64
		p, g, m := randSlice(rng, n), randSlice(rng, n), randSlice(rng, n)
		v := randSlice(rng, n)
		for i := range v {
			v[i] *= v[i]
		}
		c := [8]float64{l2, 0.999, 0.1, 0.999, 0.001, 0.3, 1e-8, -0.01}
		p2, m2, v2 := append([]float64(nil), p...), append([]float64(nil), m...), append([]float64(nil), v...)
		adamScalar(p2, g, m2, v2, &c)
		if !useAVX2 {
			t.Skip("no AVX2")
		}
		adamAVX2(&p[0], &g[0], &m[0], &v[0], n, &c)
		for i := range p {
			if p[i] != p2[i] || m[i] != m2[i] || v[i] != v2[i] {
				t.Fatalf("l2 %v, element %d: kernel (%v %v %v), scalar (%v %v %v)", l2, i, p[i], m[i], v[i], p2[i], m2[i], v2[i])
			}
		}
	}
}
