package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"github.com/lagc-dev/lagc/runtime/nn"
)

var activations = []nn.Activation{nn.SELU, nn.SiLU, nn.ReLU, nn.Tanh, nn.Identity}

// shapes exercise padding (widths that are not multiples of 8), ragged
// shards (batch not a multiple of 4) and the 4-row kernel.
var shapes = []struct {
	sizes  []int
	batch  int
	shards int
}{
	{[]int{3, 10, 7, 2}, 13, 2},
	{[]int{3, 16, 16, 2}, 9, 3},
	{[]int{2, 8, 1}, 5, 1},
	{[]int{5, 24, 32, 8}, 21, 4},
}

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

// TestBackwardFD checks parameter and input gradients of the scalar
// Σ out⊙r against central finite differences, for every activation.
func TestBackwardFD(t *testing.T) {
	for _, act := range activations {
		for _, sh := range shapes {
			t.Run(fmt.Sprintf("%v/%v", act, sh.sizes), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(7, uint64(act)))
				net, err := nn.NewMLP(sh.sizes, act, rng)
				if err != nil {
					t.Fatal(err)
				}
				ws, err := net.NewWorkspace(sh.batch+3, &nn.WorkspaceSettings{Shards: sh.shards})
				if err != nil {
					t.Fatal(err)
				}
				in := randSlice(rng, sh.batch*net.In())
				r := randSlice(rng, sh.batch*net.Out())
				loss := func() float64 {
					out, err := net.Forward(ws, in, sh.batch)
					if err != nil {
						t.Fatal(err)
					}
					var s float64
					for i, o := range out {
						s += o * r[i]
					}
					return s
				}
				wantP := make([]float64, net.NumParams())
				params := net.Params()
				fd.Gradient(wantP, func(p []float64) float64 {
					copy(params, p)
					return loss()
				}, append([]float64(nil), params...), &fd.Settings{Formula: fd.Central, Step: 1e-6})
				wantIn := make([]float64, len(in))
				in0 := append([]float64(nil), in...)
				fd.Gradient(wantIn, func(x []float64) float64 {
					copy(in, x)
					return loss()
				}, in0, &fd.Settings{Formula: fd.Central, Step: 1e-6})
				copy(in, in0)

				loss()
				gotP := make([]float64, net.NumParams())
				gotIn := make([]float64, len(in))
				if err := net.BackwardInput(gotP, gotIn, ws, r); err != nil {
					t.Fatal(err)
				}
				compare(t, "parameter gradient", gotP, wantP, 1e-6)
				compare(t, "input gradient", gotIn, wantIn, 1e-6)
			})
		}
	}
}

// TestJVP checks forward-mode directional derivatives against central
// differences of the outputs along each row's direction.
func TestJVP(t *testing.T) {
	for _, act := range activations {
		for _, sh := range shapes {
			t.Run(fmt.Sprintf("%v/%v", act, sh.sizes), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(9, uint64(act)))
				net, _ := nn.NewMLP(sh.sizes, act, rng)
				ws, _ := net.NewWorkspace(sh.batch, &nn.WorkspaceSettings{Shards: sh.shards})
				in := randSlice(rng, sh.batch*net.In())
				dir := randSlice(rng, len(in))
				const h = 1e-5
				shifted := func(s float64) []float64 {
					x := make([]float64, len(in))
					for i := range x {
						x[i] = in[i] + s*dir[i]
					}
					out, err := net.Forward(ws, x, sh.batch)
					if err != nil {
						t.Fatal(err)
					}
					return append([]float64(nil), out...)
				}
				plus, minus := shifted(h), shifted(-h)
				want := make([]float64, len(plus))
				for i := range want {
					want[i] = (plus[i] - minus[i]) / (2 * h)
				}
				if _, err := net.Forward(ws, in, sh.batch); err != nil {
					t.Fatal(err)
				}
				got := make([]float64, len(want))
				if err := net.JVP(got, ws, dir); err != nil {
					t.Fatal(err)
				}
				compare(t, "JVP", got, want, 1e-6)
			})
		}
	}
}

func compare(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	for i := range want {
		if d := math.Abs(got[i] - want[i]); d > tol*(1+math.Abs(want[i])) || math.IsNaN(got[i]) {
			t.Fatalf("%s[%d] = %.12g, want %.12g (difference %.3g)", what, i, got[i], want[i], d)
		}
	}
}

// TestDeterminism runs the same pass with 1 and 2 workers and under
// GOMAXPROCS 1 and 2: outputs and gradients must be bit-identical. Outputs
// must also not depend on the number of shards.
func TestDeterminism(t *testing.T) {
	sizes := []int{3, 64, 64, 64, 2}
	const batch = 100
	type result struct{ out, grad, gin []float64 }
	runPass := func(shards, workers int) result {
		rng := rand.New(rand.NewPCG(3, 4))
		net, _ := nn.NewMLP(sizes, nn.SELU, rng)
		ws, err := net.NewWorkspace(batch, &nn.WorkspaceSettings{Shards: shards, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		in := randSlice(rng, batch*3)
		r := randSlice(rng, batch*2)
		out, err := net.Forward(ws, in, batch)
		if err != nil {
			t.Fatal(err)
		}
		res := result{out: append([]float64(nil), out...), grad: make([]float64, net.NumParams()), gin: make([]float64, len(in))}
		if err := net.BackwardInput(res.grad, res.gin, ws, r); err != nil {
			t.Fatal(err)
		}
		return res
	}
	same := func(what string, a, b []float64) {
		t.Helper()
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				t.Fatalf("%s[%d]: %v vs %v", what, i, a[i], b[i])
			}
		}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	ref := runPass(2, 0)
	for _, procs := range []int{1, 2} {
		runtime.GOMAXPROCS(procs)
		for _, workers := range []int{1, 2} {
			got := runPass(2, workers)
			same("output", got.out, ref.out)
			same("gradient", got.grad, ref.grad)
			same("input gradient", got.gin, ref.gin)
		}
		for _, shards := range []int{1, 3, 5} {
			got := runPass(shards, 0)
			same("output", got.out, ref.out)
			// Per-row results do not depend on shards at all.
			same("input gradient", got.gin, ref.gin)
			compare(t, "gradient", got.grad, ref.grad, 1e-12)
		}
	}
}

// TestMSEGrad checks the fused step against Forward, MSELoss and Backward
// called in sequence: same loss and gradient, bit for bit.
func TestMSEGrad(t *testing.T) {
	for _, sh := range shapes {
		rng := rand.New(rand.NewPCG(4, 4))
		net, _ := nn.NewMLP(sh.sizes, nn.SELU, rng)
		ws, _ := net.NewWorkspace(sh.batch, &nn.WorkspaceSettings{Shards: sh.shards})
		in := randSlice(rng, sh.batch*net.In())
		target := randSlice(rng, sh.batch*net.Out())
		got := make([]float64, net.NumParams())
		loss, err := net.MSEGrad(got, ws, in, target, sh.batch)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := net.Forward(ws, in, sh.batch)
		gradOut := make([]float64, len(out))
		wantLoss, _ := nn.MSELoss(gradOut, out, target)
		want := make([]float64, net.NumParams())
		if err := net.Backward(want, ws, gradOut); err != nil {
			t.Fatal(err)
		}
		if loss != wantLoss {
			t.Errorf("%v: loss %v, want %v", sh.sizes, loss, wantLoss)
		}
		same(t, "gradient", got, want)
		if _, err := net.MSEGrad(got, ws, in, target[1:], sh.batch); err == nil {
			t.Error("short target: no error")
		}
	}
}

// TestPredict checks chunked evaluation against one Forward over all rows:
// rows are independent, so the results must be identical.
func TestPredict(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	net, _ := nn.NewMLP([]int{3, 16, 2}, nn.SELU, rng)
	const rows = 50
	in := randSlice(rng, rows*3)
	big, _ := net.NewWorkspace(rows, nil)
	want, err := net.Forward(big, in, rows)
	if err != nil {
		t.Fatal(err)
	}
	small, _ := net.NewWorkspace(8, nil)
	got := make([]float64, rows*2)
	if err := net.Predict(got, small, in, rows); err != nil {
		t.Fatal(err)
	}
	same(t, "Predict", got, want)
	if err := net.Predict(got[1:], small, in, rows); err == nil {
		t.Error("short destination: no error")
	}
}

func TestErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	net, _ := nn.NewMLP([]int{2, 8, 1}, nn.Tanh, rng)
	other, _ := nn.NewMLP([]int{2, 9, 1}, nn.Tanh, rng)
	ws, _ := net.NewWorkspace(4, nil)
	grad := make([]float64, net.NumParams())
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"no sizes", second(nn.NewMLP([]int{3}, nn.SELU, rng)), "at least an input and an output"},
		{"zero width", second(nn.NewMLP([]int{3, 0, 1}, nn.SELU, rng)), "positive"},
		{"huge", second(nn.NewMLP([]int{1 << 15, 1 << 15, 1}, nn.SELU, rng)), "more than"},
		{"bad act", second(nn.NewMLP([]int{3, 1}, nn.Activation(99), rng)), "unknown activation"},
		{"nil rng", second(nn.NewMLP([]int{3, 1}, nn.SELU, nil)), "rand.Rand"},
		{"zero batch ws", second(net.NewWorkspace(0, nil)), "positive"},
		{"huge batch ws", second(net.NewWorkspace(1<<40, nil)), "too large"},
		{"backward first", net.Backward(grad, ws, make([]float64, 4)), "before Forward"},
		{"batch too big", second(net.Forward(ws, make([]float64, 10), 5)), "larger batch"},
		{"input length", second(net.Forward(ws, make([]float64, 7), 4)), "want batch 4 × 2"},
		{"other net", second(other.Forward(ws, make([]float64, 8), 4)), "architecture mismatch"},
		{"nil ws", second(net.Forward(nil, make([]float64, 8), 4)), "nil Workspace"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, tc.err, tc.want)
		}
	}
	if _, err := net.Forward(ws, make([]float64, 8), 4); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"grad out", net.Backward(grad, ws, make([]float64, 3)), "output gradient has 3"},
		{"grad len", net.Backward(grad[1:], ws, make([]float64, 4)), "NumParams"},
		{"jvp dir", net.JVP(make([]float64, 4), ws, make([]float64, 3)), "direction has 3"},
		{"backward other", net.Clone().Backward(grad, ws, make([]float64, 4)), "different network"},
		{"mse", second(nn.MSELoss(nil, make([]float64, 3), make([]float64, 2))), "lengths differ"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, tc.err, tc.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }
