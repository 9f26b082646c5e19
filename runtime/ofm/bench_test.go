package ofm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lagc-dev/lagc/runtime/icnn"
)

// BenchmarkFlowMatchingLoss times one OFM loss and gradient of a batch of
// 64 and reports the Newton iterations per row.
func BenchmarkFlowMatchingLoss(b *testing.B) {
	for _, d := range []int{2, 8, 32} {
		b.Run(fmt.Sprintf("d=%d", d), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			net, _ := icnn.New(d, &icnn.Settings{Hidden: []int{32, 32}}, rng)
			for i, p := range net.Params() {
				net.Params()[i] = p + 0.1*rng.NormFloat64()
			}
			net.Refresh()
			f, _ := NewField(net, &Settings{Workers: 1})
			const n = 64
			in, target := randRows(rng, n, d+1), randRows(rng, n, d)
			for r := range n {
				in[r*(d+1)+d] = rng.Float64()
			}
			grad := make([]float64, net.NumParams())
			iters := 0
			for b.Loop() {
				if _, err := f.FlowMatchingLoss(grad, in, target, n); err != nil {
					b.Fatal(err)
				}
				iters += f.workers[0].iters
			}
			b.ReportMetric(float64(iters)/float64(b.N*n), "newton/row")
		})
	}
}
