package nn_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lagc-dev/lagc/runtime/nn"
)

// benchNet is the flow-matching velocity field: (x, t) ∈ R³ → R², three
// hidden SELU layers, batch 256.
func benchNet(b *testing.B, width, workers int) (*nn.MLP, *nn.Workspace, []float64, []float64) {
	rng := rand.New(rand.NewPCG(1, 2))
	net, err := nn.NewMLP([]int{3, width, width, width, 2}, nn.SELU, rng)
	if err != nil {
		b.Fatal(err)
	}
	ws, err := net.NewWorkspace(256, &nn.WorkspaceSettings{Workers: workers})
	if err != nil {
		b.Fatal(err)
	}
	return net, ws, randSlice(rng, 256*3), randSlice(rng, 256*2)
}

var benchCases = []struct {
	width, workers int
}{{64, 0}, {64, 1}, {256, 0}, {256, 1}}

func benchName(width, workers int) string {
	if workers == 1 {
		return fmt.Sprintf("w%d/1thread", width)
	}
	return fmt.Sprintf("w%d", width)
}

// BenchmarkStep is one training step: forward, MSE loss, backward, Adam.
func BenchmarkStep(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(benchName(bc.width, bc.workers), func(b *testing.B) {
			net, ws, in, target := benchNet(b, bc.width, bc.workers)
			grad := make([]float64, net.NumParams())
			opt, _ := nn.NewAdam(net.NumParams(), nil)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := net.MSEGrad(grad, ws, in, target, 256); err != nil {
					b.Fatal(err)
				}
				if err := opt.Step(net.Params(), grad); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkForward(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(benchName(bc.width, bc.workers), func(b *testing.B) {
			net, ws, in, _ := benchNet(b, bc.width, bc.workers)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := net.Forward(ws, in, 256); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBackward(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(benchName(bc.width, bc.workers), func(b *testing.B) {
			net, ws, in, gradOut := benchNet(b, bc.width, bc.workers)
			grad := make([]float64, net.NumParams())
			if _, err := net.Forward(ws, in, 256); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := net.Backward(grad, ws, gradOut); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAdam(b *testing.B) {
	for _, width := range []int{64, 256} {
		b.Run(fmt.Sprintf("w%d", width), func(b *testing.B) {
			net, _, _, _ := benchNet(b, width, 1)
			grad := make([]float64, net.NumParams())
			opt, _ := nn.NewAdam(net.NumParams(), nil)
			for b.Loop() {
				opt.Step(net.Params(), grad)
			}
		})
	}
}
