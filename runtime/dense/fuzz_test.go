package dense

import (
	"encoding/binary"
	"math"
	"testing"
)

// matrixFrom decodes an order n = 1 + data[0]%8 and n×n float64 values
// (little-endian, zero-padded) from data.
func matrixFrom(data []byte) ([]float64, int) {
	if len(data) == 0 {
		return []float64{0}, 1
	}
	n := 1 + int(data[0]%8)
	a := make([]float64, n*n)
	buf := make([]byte, 8)
	for i := range a {
		clear(buf)
		if off := 1 + 8*i; off < len(data) {
			copy(buf, data[off:])
		}
		a[i] = math.Float64frombits(binary.LittleEndian.Uint64(buf))
	}
	return a, n
}

// FuzzFactorize feeds arbitrary matrices, NaN, ±Inf and subnormals
// included, to both factorisations: they must not panic, and whatever they
// accept must solve its system to a backward error that partial pivoting
// (LU, growth ≤ 2ⁿ⁻¹) or Cholesky (no growth) guarantees.
func FuzzFactorize(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f}) // 2×2 with a single 1
	f.Add(append([]byte{0}, make([]byte, 8)...))   // [0]
	nan := make([]byte, 1+4*8)
	nan[0] = 1
	binary.LittleEndian.PutUint64(nan[1:], math.Float64bits(math.NaN()))
	f.Add(nan)
	spd := []byte{2}
	for _, v := range []float64{4, 1, 0, 1, 3, 1, 0, 1, 2} {
		spd = binary.LittleEndian.AppendUint64(spd, math.Float64bits(v))
	}
	f.Add(spd)
	var lu LU
	var ch Cholesky
	f.Fuzz(func(t *testing.T, data []byte) {
		a, n := matrixFrom(data)
		ratio := lu.Factorize(a, n)
		ok := ch.Factorize(a, n, 1e-13)
		if !(ratio >= 0 && ratio <= 1) {
			t.Fatalf("pivot ratio %g outside [0, 1]", ratio)
		}
		if !ok && ch.Err() == nil {
			t.Fatal("Cholesky failed with no error")
		}
		var norm float64
		for _, v := range a {
			norm = math.Max(norm, math.Abs(v))
		}
		// Backward errors are checked where A·x cannot overflow or vanish.
		if !(norm < 1e100 && norm > 1e-100) {
			return
		}
		x, b, r := make([]float64, n), make([]float64, n), make([]float64, n)
		// The relative backward error max|A·x − b|/(n·max|a|·max|x|), in
		// units of x's size so that nothing overflows; NaN-free only when x
		// is finite, and x may truly overflow for a badly scaled A whose
		// pivot ratio looked fine.
		residual := func(lower bool) (float64, bool) {
			xn := 1.0
			for _, v := range x {
				if v-v != 0 {
					return 0, false
				}
				xn = math.Max(xn, math.Abs(v))
			}
			var worst float64
			for i := 0; i < n; i++ {
				s := -b[i] / xn
				for j := 0; j < n; j++ {
					aij := a[i*n+j]
					if lower && j > i {
						aij = a[j*n+i] // Cholesky reads the lower triangle
					}
					s += aij * (x[j] / xn)
				}
				worst = math.Max(worst, math.Abs(s))
			}
			return worst / (float64(n) * norm), true
		}
		for i := range b {
			b[i] = float64(i + 1)
		}
		if ratio > 1e-10 {
			lu.Solve(x, b)
			if e, finite := residual(false); finite && !(e <= 1e-12) {
				t.Fatalf("LU of order %d (pivot ratio %g): relative residual %g", n, ratio, e)
			}
		}
		if ok {
			ch.Solve(x, b)
			copy(r, x)
			if e, finite := residual(true); finite && !(e <= 1e-12) {
				t.Fatalf("Cholesky of order %d: relative residual %g, x = %v", n, e, r)
			}
		}
	})
}
