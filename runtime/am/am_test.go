package am

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/nn"
)

func testNet(t *testing.T, d int, act nn.Activation) *nn.MLP {
	t.Helper()
	net, err := nn.NewMLP([]int{d + 1, 7, 5, 1}, act, rand.New(rand.NewPCG(uint64(d), 3)))
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func randRows(rng *rand.Rand, n, d int) []float64 {
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x
}

// scalar evaluates s(x, t) of one row with a fresh workspace.
func scalar(net *nn.MLP, row []float64) float64 {
	ws, _ := net.NewWorkspace(1, nil)
	out, _ := net.Forward(ws, row, 1)
	return out[0]
}

// bruteLoss is the AM loss with ∇ₓs and ∂ₜs by finite differences of the
// network's output: an independent computation of Eval's value.
func bruteLoss(net *nn.MLP, x0, x1, in []float64, n, d int) float64 {
	var loss float64
	for r := range n {
		loss += scalar(net, append(append([]float64(nil), x0[r*d:(r+1)*d]...), 0)) / float64(n)
		loss -= scalar(net, append(append([]float64(nil), x1[r*d:(r+1)*d]...), 1)) / float64(n)
		row := in[r*(d+1) : (r+1)*(d+1)]
		g := fd.Gradient(nil, func(y []float64) float64 { return scalar(net, y) }, row, &fd.Settings{Formula: fd.Central, Step: 1e-5})
		var kin float64
		for _, v := range g[:d] {
			kin += v * v / 2
		}
		loss += (kin + g[d]) / float64(n)
	}
	return loss
}

func TestLossValueAndGradientFD(t *testing.T) {
	for _, c := range []struct {
		d   int
		act nn.Activation
	}{{1, nn.Tanh}, {2, nn.SiLU}, {3, nn.Tanh}} {
		net := testNet(t, c.d, c.act)
		rng := rand.New(rand.NewPCG(5, uint64(c.d)))
		const n = 6
		x0, x1, in := randRows(rng, n, c.d), randRows(rng, n, c.d), randRows(rng, n, c.d+1)
		for r := range n {
			in[r*(c.d+1)+c.d] = rng.Float64()
		}
		l, err := NewLoss(net, n, 1)
		if err != nil {
			t.Fatal(err)
		}
		grad := make([]float64, net.NumParams())
		got, err := l.Eval(grad, x0, x1, in, n)
		if err != nil {
			t.Fatal(err)
		}
		if want := bruteLoss(net, x0, x1, in, n, c.d); math.Abs(got-want) > 1e-7 {
			t.Errorf("d=%d: loss %.10g, with finite-difference derivatives %.10g", c.d, got, want)
		}
		theta := append([]float64(nil), net.Params()...)
		want := fd.Gradient(nil, func(p []float64) float64 {
			copy(net.Params(), p)
			v, _ := l.Eval(nil, x0, x1, in, n)
			return v
		}, theta, &fd.Settings{Formula: fd.Central, Step: 1e-6})
		copy(net.Params(), theta)
		for i := range grad {
			if math.Abs(grad[i]-want[i]) > 1e-6*(1+math.Abs(want[i])) {
				t.Errorf("d=%d: ∂loss/∂θ[%d] = %.9g, finite differences %.9g", c.d, i, grad[i], want[i])
			}
		}
	}
}

func TestFieldIsGradient(t *testing.T) {
	d, n := 2, 3
	net := testNet(t, d, nn.SiLU)
	f, err := NewField(net, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	x := randRows(rand.New(rand.NewPCG(1, 1)), n, d)
	u := make([]float64, n*d)
	if err := f.Eval(u, 0.3, x, n); err != nil {
		t.Fatal(err)
	}
	for r := range n {
		g := fd.Gradient(nil, func(y []float64) float64 { return scalar(net, append(append([]float64(nil), y...), 0.3)) }, x[r*d:(r+1)*d], nil)
		for i := range d {
			if math.Abs(g[i]-u[r*d+i]) > 1e-6 {
				t.Errorf("row %d: ∇ₓs[%d] = %g, finite differences %g", r, i, u[r*d+i], g[i])
			}
		}
	}
}

// kinetic is L = ½|v|² with straight-line paths.
type kinetic struct{ d int }

func (k kinetic) Dim() int                                       { return k.d }
func (k kinetic) L(t float64, x, v []float64) float64            { return 0 }
func (k kinetic) Accel(dst []float64, t float64, x, v []float64) { clear(dst[:k.d]) }
func (k kinetic) Clone() lagrangian.System                       { return k }
func (k kinetic) Action(x0, x1 []float64) (float64, error) {
	var s float64
	for i := range x0 {
		s += (x1[i] - x0[i]) * (x1[i] - x0[i])
	}
	return s / 2, nil
}
func (k kinetic) Path(xt, vt []float64, t float64, x0, x1 []float64) error {
	for i := range x0 {
		xt[i] = (1-t)*x0[i] + t*x1[i]
		vt[i] = x1[i] - x0[i]
	}
	return nil
}

// scaled is N(0, σ²I).
type scaled struct {
	d     int
	sigma float64
}

func (s scaled) Dim() int { return s.d }
func (s scaled) Sample(dst []float64, n int, rng *rand.Rand) {
	for i := range dst[:n*s.d] {
		dst[i] = s.sigma * rng.NormFloat64()
	}
}

var _ data.Sampler = scaled{}

// TestRecoversGradientField trains on the independent straight-line
// interpolation of N(0, I) and N(0, 4I): p_t = N(0, σ_t²I) with
// σ_t² = (1-t)² + 4t², whose gradient field is (σ̇_t/σ_t)x.
func TestRecoversGradientField(t *testing.T) {
	d := 1
	const iters = 2000
	set := DefaultSettings()
	set.Pairs.Coupling, set.Pairs.Batch, set.Optim.LR = fm.Independent, 512, 2e-3
	set.Hidden, set.Optim.EMADecay = []int{32, 32}, 0.995
	tr, err := NewTrainer(&fm.Problem{Sys: kinetic{d}, Source: scaled{d, 1}, Target: scaled{d, 2}, Seed: 1, Iters: iters}, &set)
	if err != nil {
		t.Fatal(err)
	}
	for tr.Step < iters {
		if _, err := tr.Iterate(nil); err != nil {
			t.Fatal(err)
		}
	}
	f, _ := NewField(tr.Model(false), 1, 1)
	var worst float64
	for _, tm := range []float64{0.2, 0.5, 0.8} {
		s2 := (1-tm)*(1-tm) + 4*tm*tm
		rate := (-(1 - tm) + 4*tm) / s2 // σ̇/σ = (σ²)˙/(2σ²)
		sd := math.Sqrt(s2)
		for _, x := range []float64{-sd, -sd / 2, sd / 2, sd} {
			u := make([]float64, 1)
			f.Eval(u, tm, []float64{x}, 1)
			worst = max(worst, math.Abs(u[0]-rate*x)/sd)
		}
	}
	t.Logf("worst field error %.3f (in units of σ_t) after %d iterations", worst, tr.Step)
	if worst > 0.2 {
		t.Errorf("learned field differs from (σ̇/σ)x by %.3f σ_t, want ≤ 0.2 (AM is noisy: the loss holds ∂ₜs)", worst)
	}
	// The flow of the learned field carries N(0, 1) to N(0, 4).
	const n = 4000
	x0 := make([]float64, n)
	scaled{1, 1}.Sample(x0, n, rand.New(rand.NewPCG(9, 9)))
	res, err := Sample(tr.Model(false), x0, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	var v float64
	for _, x := range res.X {
		v += x * x / n
	}
	if math.Abs(v-4) > 0.3 {
		t.Errorf("variance of the transported samples %.3f, want 4", v)
	}
}

func TestErrors(t *testing.T) {
	net := testNet(t, 2, nn.SiLU)
	l, _ := NewLoss(net, 4, 1)
	if _, err := l.Eval(nil, make([]float64, 4), make([]float64, 4), make([]float64, 5), 2); err == nil {
		t.Error("short inputs: no error")
	}
	if _, err := l.Eval(nil, nil, nil, nil, 9); err == nil {
		t.Error("batch larger than the workspace: no error")
	}
	bad, _ := nn.NewMLP([]int{3, 4, 2}, nn.SiLU, rand.New(rand.NewPCG(1, 1)))
	if _, err := NewLoss(bad, 4, 1); err == nil {
		t.Error("two outputs: no error")
	}
	set := DefaultSettings()
	set.Activation = "relu"
	prob := &fm.Problem{Sys: kinetic{2}, Source: scaled{2, 1}, Target: scaled{2, 1}}
	if _, err := NewTrainer(prob, &set); err == nil || !strings.Contains(err.Error(), "activation") {
		t.Errorf("relu: err = %v, want one about the activation", err)
	}
	// The defaults alone make a working trainer.
	tr, err := NewTrainer(prob, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Iterate(nil); err != nil || tr.Step != 1 {
		t.Errorf("one iteration with the defaults: step %d, err %v", tr.Step, err)
	}
	if _, err := Sample(net, make([]float64, 4), 2, &fm.SampleSettings{Solver: "leapfrog"}); err == nil {
		t.Error("unknown solver: no error")
	}
	if _, err := Sample(bad, make([]float64, 4), 2, nil); err == nil {
		t.Error("sampling a two-output network: no error")
	}
}

// TestSampleSolversAgree: the gradient field goes through fm.SampleField,
// so every solver, adaptive included, must land where a fine RK4 does.
func TestSampleSolversAgree(t *testing.T) {
	net := testNet(t, 2, nn.SiLU)
	x0 := []float64{0.3, -0.2, 1.1, 0.4, -0.7, 0.9}
	ref, err := Sample(net, x0, 3, &fm.SampleSettings{Solver: fm.RK4, Steps: 400})
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range []fm.SampleSettings{{Solver: fm.RK4, Steps: 40}, {Solver: fm.Adaptive, RelTol: 1e-8, AbsTol: 1e-8}} {
		res, err := Sample(net, x0, 3, &set)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ref.X {
			if math.Abs(res.X[i]-ref.X[i]) > 1e-6 {
				t.Errorf("%s: x[%d] = %.10g, fine RK4 %.10g", set.Solver, i, res.X[i], ref.X[i])
			}
		}
		if res.NFE <= 0 {
			t.Errorf("%s: NFE %d", set.Solver, res.NFE)
		}
	}
}
