package nn_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

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

// timer records the duration of every iteration and reports the minimum
// and median besides the mean ns/op: on a machine shared with other jobs the
// minimum is the best estimate of the uncontended cost.
type timer struct {
	b     *testing.B
	start time.Time
	times []time.Duration
}

func newTimer(b *testing.B) *timer { return &timer{b: b} }

func (t *timer) begin() { t.start = time.Now() }

func (t *timer) end() { t.times = append(t.times, time.Since(t.start)) }

func (t *timer) report() {
	if len(t.times) == 0 {
		return
	}
	slices.Sort(t.times)
	t.b.ReportMetric(float64(t.times[0].Nanoseconds()), "min-ns/op")
	t.b.ReportMetric(float64(t.times[len(t.times)/2].Nanoseconds()), "median-ns/op")
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
			tm := newTimer(b)
			defer tm.report()
			for b.Loop() {
				tm.begin()
				if _, err := net.MSEGrad(grad, ws, in, target, 256); err != nil {
					b.Fatal(err)
				}
				if err := opt.Step(net.Params(), grad); err != nil {
					b.Fatal(err)
				}
				tm.end()
			}
		})
	}
}

func BenchmarkForward(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(benchName(bc.width, bc.workers), func(b *testing.B) {
			net, ws, in, _ := benchNet(b, bc.width, bc.workers)
			b.ReportAllocs()
			tm := newTimer(b)
			defer tm.report()
			for b.Loop() {
				tm.begin()
				if _, err := net.Forward(ws, in, 256); err != nil {
					b.Fatal(err)
				}
				tm.end()
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
			tm := newTimer(b)
			defer tm.report()
			for b.Loop() {
				tm.begin()
				if err := net.Backward(grad, ws, gradOut); err != nil {
					b.Fatal(err)
				}
				tm.end()
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
