package ot

import (
	"math"
	"slices"
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
	for _, n := range []int{8, 9, 15, 16, 17, 23, 24, 31, 33, 64, 100, 257} {
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

// TestRowRange checks rowRange (vector or scalar) against a plain loop:
// the least and greatest of finite rows, and a nonzero probe as soon as one
// entry is NaN or infinite, wherever it sits.
func TestRowRange(t *testing.T) {
	rng := newRand(22)
	for _, n := range []int{1, 3, 7, 8, 9, 15, 16, 17, 31, 64, 257} {
		for rep := range 50 {
			row := make([]float64, n)
			for j := range row {
				row[j] = rng.NormFloat64() * 100
			}
			lo, hi, probe := rowRange(row)
			if probe != 0 || lo != slices.Min(row) || hi != slices.Max(row) {
				t.Fatalf("n=%d: rowRange = (%v, %v, %v), want (%v, %v, 0)", n, lo, hi, probe, slices.Min(row), slices.Max(row))
			}
			bad := []float64{math.NaN(), math.Inf(1), math.Inf(-1)}[rep%3]
			row[rng.IntN(n)] = bad
			if _, _, probe := rowRange(row); probe == 0 {
				t.Fatalf("n=%d: %v entry not detected", n, bad)
			}
		}
	}
}

// TestTwoSmallest32Kernel checks the float32 vector scan against the
// scalar loop, exactly, as TestTwoSmallestKernels does for float64.
func TestTwoSmallest32Kernel(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 on this machine or build")
	}
	rng := newRand(23)
	inf := float32(math.Inf(1))
	for _, n := range []int{16, 17, 31, 32, 33, 47, 63, 64, 65, 96, 100, 257} {
		for rep := range 200 {
			row, v := make([]float32, n), make([]float32, n)
			for j := range row {
				switch rep % 4 {
				case 0: // continuous
					row[j], v[j] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
				case 1: // heavy ties
					row[j] = float32(rng.IntN(3))
				case 2: // forbidden entries
					row[j] = float32(rng.IntN(10)) - 5
					if rng.IntN(2) == 0 {
						row[j] = inf
					}
				case 3: // all forbidden but a few
					row[j] = inf
					if rng.IntN(n) < 2 {
						row[j] = float32(rng.Float64())
					}
				}
			}
			j1, w1, w2 := foldTwoSmallest32(row, v, 0, -1, inf, inf)
			k1, z1, z2 := twoSmallest32(row, v)
			if j1 != k1 || w1 != z1 || w2 != z2 {
				t.Fatalf("n=%d rep %d: vector (%d, %v, %v), scalar (%d, %v, %v)", n, rep, k1, z1, z2, j1, w1, w2)
			}
		}
	}
}

// TestNarrow checks narrow and narrowMinima (vector or scalar) against
// plain conversions and column minima, exactly, on lengths that are and
// are not multiples of 8, with +Inf, values beyond float32's range (which
// round to ±Inf) and subnormals.
func TestNarrow(t *testing.T) {
	rng := newRand(24)
	special := []float64{math.Inf(1), 1e300, -1e300, 1e-310, math.SmallestNonzeroFloat32 / 3, 0}
	for _, n := range []int{1, 7, 8, 9, 16, 23, 40} {
		cost := make([]float64, n*n)
		for k := range cost {
			cost[k] = rng.NormFloat64() * 1e3
			if rng.IntN(5) == 0 {
				cost[k] = special[rng.IntN(len(special))]
			}
		}
		got := make([]float32, n*n)
		narrow(got, cost)
		for k, c := range cost {
			if want := float32(c); got[k] != want {
				t.Fatalf("n=%d: narrow [%d] = %v, want float32(%v) = %v", n, k, got[k], c, want)
			}
		}
		clear(got)
		v, want := make([]float64, n), make([]float64, n)
		narrowMinima(got, v, cost, n)
		columnMinima(want, cost, n, n)
		for k, c := range cost {
			if got[k] != float32(c) {
				t.Fatalf("n=%d: narrowMinima [%d] = %v, want %v", n, k, got[k], float32(c))
			}
		}
		if !slices.Equal(v, want) {
			t.Fatalf("n=%d: narrowMinima minima %v, want %v", n, v, want)
		}
	}
}
