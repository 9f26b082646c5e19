package coupling

import (
	"math/rand/v2"
	"testing"

	"github.com/lagc-dev/lagc/runtime/ot"
)

// BenchmarkPairs256 draws a training minibatch of 256 pairs from the
// entropic plan of ½|x−y|² between standard normal and shifted points, at
// the Schrödinger-bridge ε = σ² of σ = 1 and σ = 0.3; BenchmarkAssign256
// is the exact assignment on the same costs, for comparison.
func BenchmarkPairs256(b *testing.B) {
	for _, tc := range []struct {
		name string
		eps  float64
	}{{"eps1", 1}, {"eps0.09", 0.09}} {
		b.Run(tc.name, func(b *testing.B) {
			cost := halfSqCost(b, 256, 1)
			rows, cols := make([]int, 256), make([]int, 256)
			e := &Entropic{Epsilon: tc.eps, Replace: true}
			rng := rand.New(rand.NewPCG(1, 1))
			for b.Loop() {
				if _, err := e.Pairs(rows, cols, cost, 256, 256, rng); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAssign256(b *testing.B) {
	cost := halfSqCost(b, 256, 1)
	perm := make([]int, 256)
	var a ot.Assigner
	for b.Loop() {
		if _, err := a.Assign(perm, cost, 256, nil); err != nil {
			b.Fatal(err)
		}
	}
}
