package eulerlag

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Lagrangians of the benchmarks, dimension-generic.
var benchSources = []struct{ name, src string }{
	{"harmonic", "param w = pi/2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n"},
	{"bump", "param A = 2\nparam s = 1\nL = 0.5*|v|^2 + A*exp(-|x|^2/s^2)\n"},
	// A general mass matrix M = γI + γ³vvᵀ: Accel assembles and factorises
	// M by Cholesky at every call, O(d³), so its sizes stop at 64.
	{"relativistic", "L = -sqrt(1 - |v|^2) - 0.5*|x|^2\n"},
}

// BenchmarkAccel measures one acceleration evaluation; ns/dim is the cost
// per dimension, which must stay flat as d grows (the derivation is O(d)).
func BenchmarkAccel(b *testing.B) {
	for _, bs := range benchSources {
		sys, err := Load(bs.name+".lag", []byte(bs.src), nil)
		if err != nil {
			b.Fatal(err)
		}
		dims := []int{2, 64, 1024}
		if bs.name == "relativistic" {
			dims = []int{2, 8, 64}
		}
		for _, d := range dims {
			b.Run(fmt.Sprintf("%s/d=%d", bs.name, d), func(b *testing.B) {
				ev, err := sys.Evaluator(d)
				if err != nil {
					b.Fatal(err)
				}
				rng := rand.New(rand.NewPCG(1, 1))
				// |v| < 1 keeps the relativistic mass positive definite.
				x, v, a := randVec(rng, d, 1), randVec(rng, d, 0.5/math.Sqrt(float64(d))), make([]float64, d)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					ev.Accel(a, 0.5, x, v)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(d), "ns/dim")
			})
		}
	}
}
