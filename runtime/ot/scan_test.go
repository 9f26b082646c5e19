package ot

import (
	"math"
	"testing"
)

// TestTwoSmallestKernels checks the vector scan against the scalar loop,
// which it must match exactly (column, least and second least value) on
// rows of every length, with ties, +Inf entries and negative values.
func TestTwoSmallestKernels(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 on this machine or build")
	}
	rng := newRand(21)
	for _, n := range []int{16, 17, 23, 24, 64, 100, 257} {
		for rep := range 200 {
			row, v := make([]float64, n), make([]float64, n)
			for j := range row {
				switch rep % 4 {
				case 0: // continuous
					row[j], v[j] = rng.NormFloat64(), rng.NormFloat64()
				case 1: // heavy ties
					row[j] = float64(rng.IntN(3))
				case 2: // forbidden entries
					row[j] = float64(rng.IntN(10)) - 5
					if rng.IntN(2) == 0 {
						row[j] = math.Inf(1)
					}
				case 3: // all forbidden but a few
					row[j] = math.Inf(1)
					if rng.IntN(n) < 2 {
						row[j] = rng.Float64()
					}
				}
			}
			j1, w1, w2 := twoSmallestGo(row, v)
			k1, z1, z2 := twoSmallestAVX2(row, v)
			if j1 != k1 || w1 != z1 || w2 != z2 {
				t.Fatalf("n=%d rep %d: vector (%d, %v, %v), scalar (%d, %v, %v)", n, rep, k1, z1, z2, j1, w1, w2)
			}
		}
	}
}
