package nn

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkGemm measures the kernel on the shapes of a 64-wide layer over a
// 128-row shard: forward (A·W), weight gradient (Aᵀ·G) and the input
// gradient (G·Wᵀ). 128·64·64 = 524288 multiply-adds each.
func BenchmarkGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	a := randSlice(rng, 128*64)
	w := randSlice(rng, 64*64)
	c := make([]float64, 128*64)
	b.Run("NN", func(b *testing.B) {
		for b.Loop() {
			gemm(128, 64, 64, a, 64, 1, w, 64, c, 64, true)
		}
		b.ReportMetric(float64(b.N)*128*64*64*2/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
	b.Run("TN", func(b *testing.B) {
		for b.Loop() {
			gemm(64, 64, 128, a, 1, 64, c, 64, w, 64, false)
		}
		b.ReportMetric(float64(b.N)*128*64*64*2/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}
