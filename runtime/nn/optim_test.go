package nn_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/nn"
)

// TestAdamConstantGradient uses the closed form for a constant gradient g:
// bias correction makes m̂ = g and v̂ = g² at every step, so each Adam step
// moves a parameter by lr·g/(|g|+ε), and AdamW first shrinks it by 1−lr·wd.
func TestAdamConstantGradient(t *testing.T) {
	const n, steps = 11, 5 // 11 exercises both the vector kernel and the tail
	rng := rand.New(rand.NewPCG(1, 2))
	g := randSlice(rng, n)
	for _, tc := range []struct {
		name string
		set  *nn.AdamSettings
		lr   float64
		wd   float64
	}{
		{"adam defaults", nil, 1e-3, 0},
		{"adam lr", &nn.AdamSettings{LR: 0.05}, 0.05, 0},
		{"adamw", ptr(nn.DefaultAdamW()), 1e-3, 1e-2},
		{"adamw strong", &nn.AdamSettings{LR: 0.1, WeightDecay: 0.5, Decoupled: true}, 0.1, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := randSlice(rng, n)
			want := append([]float64(nil), p...)
			opt, err := nn.NewAdam(n, tc.set)
			if err != nil {
				t.Fatal(err)
			}
			for range steps {
				if err := opt.Step(p, g); err != nil {
					t.Fatal(err)
				}
				for i := range want {
					want[i] = want[i]*(1-tc.lr*tc.wd) - tc.lr*g[i]/(math.Abs(g[i])+1e-8)
				}
			}
			compare(t, "params", p, want, 1e-14)
			if opt.Steps() != steps {
				t.Errorf("Steps() = %d, want %d", opt.Steps(), steps)
			}
		})
	}
}

// TestAdamTextbook runs Adam with an L2 term on a quadratic, where the
// gradient changes every step, against Kingma & Ba's algorithm written out
// with bias-corrected moments.
func TestAdamTextbook(t *testing.T) {
	const n = 9
	rng := rand.New(rand.NewPCG(3, 4))
	p := randSlice(rng, n)
	q := append([]float64(nil), p...)
	set := nn.AdamSettings{LR: 0.01, Beta1: 0.8, Beta2: 0.99, Eps: 1e-6, WeightDecay: 0.1}
	opt, _ := nn.NewAdam(n, &set)
	m, v := make([]float64, n), make([]float64, n)
	grad := make([]float64, n)
	for step := 1; step <= 20; step++ {
		for i := range p {
			grad[i] = 3*p[i] - 1 // ∇ of 1.5p² − p
		}
		if err := opt.Step(p, grad); err != nil {
			t.Fatal(err)
		}
		for i := range q {
			g := 3*q[i] - 1 + set.WeightDecay*q[i]
			m[i] = set.Beta1*m[i] + (1-set.Beta1)*g
			v[i] = set.Beta2*v[i] + (1-set.Beta2)*g*g
			mhat := m[i] / (1 - math.Pow(set.Beta1, float64(step)))
			vhat := v[i] / (1 - math.Pow(set.Beta2, float64(step)))
			q[i] -= set.LR * mhat / (math.Sqrt(vhat) + set.Eps)
		}
	}
	compare(t, "params", p, q, 1e-13)
	gotM, gotV := opt.Moments()
	compare(t, "first moment", gotM, m, 1e-13)
	compare(t, "second moment", gotV, v, 1e-13)
}

func TestClipGradNorm(t *testing.T) {
	for _, tc := range []struct {
		grad     []float64
		max      float64
		wantNorm float64
		want     []float64
	}{
		{[]float64{3, 4}, 10, 5, []float64{3, 4}},
		{[]float64{3, 4}, 1, 5, []float64{3 / (5 + 1e-6), 4 / (5 + 1e-6)}},
		{[]float64{1e200, 1e200}, 1, math.Sqrt2 * 1e200, []float64{math.Sqrt(0.5), math.Sqrt(0.5)}},
		{[]float64{0, 0, 0}, 1, 0, []float64{0, 0, 0}},
	} {
		g := append([]float64(nil), tc.grad...)
		norm, err := nn.ClipGradNorm(g, tc.max)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(norm-tc.wantNorm) > 1e-14*tc.wantNorm {
			t.Errorf("norm of %v = %v, want %v", tc.grad, norm, tc.wantNorm)
		}
		compare(t, "clipped", g, tc.want, 1e-14)
	}
	g := []float64{1, math.NaN()}
	if _, err := nn.ClipGradNorm(g, 1); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN gradient: error %v, want one naming NaN", err)
	}
	if _, err := nn.ClipGradNorm(g, 0); err == nil {
		t.Error("maxNorm 0: no error")
	}
}

// TestEMA checks the average against its closed form for a constant input:
// shadow_t = p + decay^t (shadow_0 − p).
func TestEMA(t *testing.T) {
	start := []float64{1, -2, 3}
	target := []float64{0, 4, 3}
	e, err := nn.NewEMA(start, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if err := e.Update(target); err != nil {
			t.Fatal(err)
		}
	}
	want := make([]float64, 3)
	for i := range want {
		want[i] = target[i] + math.Pow(0.9, 10)*(start[i]-target[i])
	}
	compare(t, "EMA", e.Params(), want, 1e-14)
	if err := e.Update([]float64{1}); err == nil {
		t.Error("wrong length: no error")
	}
	for _, d := range []float64{-0.1, 1, math.NaN()} {
		if _, err := nn.NewEMA(start, d); err == nil {
			t.Errorf("decay %v: no error", d)
		}
	}
}

func TestAdamErrors(t *testing.T) {
	for _, tc := range []struct {
		n    int
		set  nn.AdamSettings
		want string
	}{
		{0, nn.AdamSettings{}, "positive parameter count"},
		{3, nn.AdamSettings{LR: -1}, "learning rate"},
		{3, nn.AdamSettings{Beta1: 1}, "betas"},
		{3, nn.AdamSettings{Eps: math.Inf(1)}, "eps"},
		{3, nn.AdamSettings{WeightDecay: -1}, "weight decay"},
	} {
		if _, err := nn.NewAdam(tc.n, &tc.set); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.set, err, tc.want)
		}
	}
	opt, _ := nn.NewAdam(3, nil)
	if err := opt.Step(make([]float64, 3), make([]float64, 2)); err == nil {
		t.Error("short gradient: no error")
	}
}

// TestTrainSine fits sin on [−π, π] with a small SELU network: Adam must
// bring the mean squared error from about 0.5 to below 1e-3.
func TestTrainSine(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	net, err := nn.NewMLP([]int{1, 32, 32, 1}, nn.SELU, rng)
	if err != nil {
		t.Fatal(err)
	}
	const batch = 64
	ws, _ := net.NewWorkspace(batch, nil)
	opt, _ := nn.NewAdam(net.NumParams(), &nn.AdamSettings{LR: 3e-3})
	grad := make([]float64, net.NumParams())
	x, y := make([]float64, batch), make([]float64, batch)
	var loss float64
	for step := range 3000 {
		for i := range x {
			x[i] = math.Pi * (2*rng.Float64() - 1)
			y[i] = math.Sin(x[i])
		}
		if loss, err = net.MSEGrad(grad, ws, x, y, batch); err != nil {
			t.Fatal(err)
		}
		if step == 0 && loss < 0.05 {
			t.Fatalf("initial loss %v already small: test proves nothing", loss)
		}
		if _, err := nn.ClipGradNorm(grad, 1); err != nil {
			t.Fatal(err)
		}
		if err := opt.Step(net.Params(), grad); err != nil {
			t.Fatal(err)
		}
	}
	// Fresh evaluation grid, independent of the training samples.
	for i := range x {
		x[i] = -math.Pi + 2*math.Pi*float64(i)/(batch-1)
		y[i] = math.Sin(x[i])
	}
	out, err := net.Forward(ws, x, batch)
	if err != nil {
		t.Fatal(err)
	}
	mse, _ := nn.MSELoss(nil, out, y)
	if mse > 1e-3 {
		t.Errorf("after training, MSE on a grid = %v, want < 1e-3 (last batch loss %v)", mse, loss)
	}
}

func ptr[T any](v T) *T { return &v }

// TestEMAWarmup checks the warm-up schedule against its closed form: with
// constant params p and shadow s0, after k updates the shadow is
// p + (s0 − p)·Π_j min(β, (1+j)/(10+j)).
func TestEMAWarmup(t *testing.T) {
	for _, warm := range []bool{false, true} {
		e, err := nn.NewEMA([]float64{0}, 0.999)
		if err != nil {
			t.Fatal(err)
		}
		e.Warmup = warm
		prod := 1.0
		for j := 0; j < 50; j++ {
			if err := e.Update([]float64{1}); err != nil {
				t.Fatal(err)
			}
			d := 0.999
			if warm {
				d = math.Min(d, float64(1+j)/float64(10+j))
			}
			prod *= d
		}
		if got, want := e.Params()[0], 1-prod; math.Abs(got-want) > 1e-14 {
			t.Errorf("warmup %v: shadow %.15g, want %.15g", warm, got, want)
		}
	}
}
