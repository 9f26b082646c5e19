package am

import (
	"math/rand/v2"
	"testing"

	"github.com/lagc-dev/lagc/runtime/nn"
)

// BenchmarkLossEval is one Action Matching loss and gradient of a batch of
// 256 in 2-D with the default 3×64 network: two boundary passes, then
// Forward, BackwardInput, JVP and JVPBackward.
func BenchmarkLossEval(b *testing.B) {
	const n, d = 256, 2
	net, _ := nn.NewMLP([]int{d + 1, 64, 64, 64, 1}, nn.SiLU, rand.New(rand.NewPCG(1, 1)))
	l, err := NewLoss(net, n, 0)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	x0, x1, in := randRows(rng, n, d), randRows(rng, n, d), randRows(rng, n, d+1)
	grad := make([]float64, net.NumParams())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Eval(grad, x0, x1, in, n); err != nil {
			b.Fatal(err)
		}
	}
}
