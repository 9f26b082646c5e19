package nn

import (
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
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
		best := time.Hour
		for b.Loop() {
			t := time.Now()
			gemm(128, 64, 64, a, 64, 1, w, 64, c, 64, true)
			best = min(best, time.Since(t))
		}
		b.ReportMetric(128*64*64*2/best.Seconds()/1e9, "best-GFLOP/s")
	})
	// The same product through gonum's BLAS, the alternative to the
	// assembly kernel.
	b.Run("gonumNN", func(b *testing.B) {
		am := blas64.General{Rows: 128, Cols: 64, Stride: 64, Data: a}
		wm := blas64.General{Rows: 64, Cols: 64, Stride: 64, Data: w}
		cm := blas64.General{Rows: 128, Cols: 64, Stride: 64, Data: c}
		best := time.Hour
		for b.Loop() {
			t := time.Now()
			blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, am, wm, 1, cm)
			best = min(best, time.Since(t))
		}
		b.ReportMetric(128*64*64*2/best.Seconds()/1e9, "best-GFLOP/s")
	})
	b.Run("TN", func(b *testing.B) {
		best := time.Hour
		for b.Loop() {
			t := time.Now()
			gemm(64, 64, 128, a, 1, 64, c, 64, w, 64, false)
			best = min(best, time.Since(t))
		}
		b.ReportMetric(128*64*64*2/best.Seconds()/1e9, "best-GFLOP/s")
	})
}

// BenchmarkActivation applies each activation to a 128×64 block, one
// hidden layer of one shard.
func BenchmarkActivation(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := randSlice(rng, 128*64)
	z, d := make([]float64, len(x)), make([]float64, len(x))
	for _, act := range []Activation{SELU, SiLU, Tanh, ReLU} {
		b.Run(act.String(), func(b *testing.B) {
			best := time.Hour
			for b.Loop() {
				copy(z, x)
				t := time.Now()
				act.apply(z, d)
				best = min(best, time.Since(t))
			}
			b.ReportMetric(float64(best.Nanoseconds())/float64(len(x)), "best-ns/elem")
		})
	}
}
