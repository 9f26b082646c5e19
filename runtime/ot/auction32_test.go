package ot

import (
	"fmt"
	"math"
	"testing"
)

// TestAssignFloat32Auction checks that the float32 auction never costs
// exactness: on costs float32 rounds together (ties broken only below its
// resolution), on costs too large or too finely spread for it, and with
// forbidden entries, Assign must match the Hungarian algorithm and its
// certificate must hold. It also checks which auction ran, so that the
// cases keep exercising the paths they are meant to.
func TestAssignFloat32Auction(t *testing.T) {
	cases := []struct {
		name   string
		narrow bool // the float32 auction is expected to run
		gen    func(rng interface{ Float64() float64 }, n int) []float64
	}{
		{"geometric", true, func(rng interface{ Float64() float64 }, n int) []float64 {
			c := make([]float64, n*n)
			for k := range c {
				c[k] = 4 * rng.Float64() * rng.Float64()
			}
			return c
		}},
		{"ties-below-float32", true, func(rng interface{ Float64() float64 }, n int) []float64 {
			c := make([]float64, n*n)
			for k := range c {
				c[k] = math.Floor(4*rng.Float64()) + 1e-11*rng.Float64()
			}
			return c
		}},
		{"offset", true, func(rng interface{ Float64() float64 }, n int) []float64 {
			c := make([]float64, n*n)
			for k := range c {
				c[k] = 1000 + rng.Float64()
			}
			return c
		}},
		{"forbidden", true, func(rng interface{ Float64() float64 }, n int) []float64 {
			c := make([]float64, n*n)
			for k := range c {
				c[k] = rng.Float64()
				if rng.Float64() < 0.5 && k%(n+1) != 0 {
					c[k] = math.Inf(1)
				}
			}
			return c
		}},
		{"beyond-float32", false, func(rng interface{ Float64() float64 }, n int) []float64 {
			c := make([]float64, n*n)
			for k := range c {
				c[k] = 1e200 * (1 + rng.Float64())
			}
			return c
		}},
		{"unresolved-spread", false, func(rng interface{ Float64() float64 }, n int) []float64 {
			c := make([]float64, n*n)
			for k := range c {
				c[k] = 1e6 + 1e-3*rng.Float64()
			}
			return c
		}},
	}
	for _, tc := range cases {
		for _, n := range []int{40, 130} {
			for seed := range 2 {
				label := fmt.Sprintf("%s n=%d seed %d", tc.name, n, seed)
				cost := tc.gen(newRand(uint64(7000+100*n+seed)), n)
				var a Assigner
				dst := make([]int, n)
				got, err := a.Assign(dst, cost, n, nil)
				checkAgainstHungarian(t, label, &a, cost, n, dst, got, err)
				if ran := len(a.cost32) == n*n; useAVX2 && ran != tc.narrow {
					t.Fatalf("%s: float32 auction ran = %v, want %v", label, ran, tc.narrow)
				}
			}
		}
	}
}
