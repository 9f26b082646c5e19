package likelihood

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lagc-dev/lagc/runtime/nn"
	"github.com/lagc-dev/lagc/runtime/ot"
)

// trainGaussianFlow fits a network v_θ(x, t) from N(0, I) to g's N(m, Σ) by
// OT conditional flow matching on straight paths (σ = 0), a minimal loop
// independent of the training packages, and returns its weight average.
func trainGaussianFlow(t testing.TB, g *gaussianFlow, iters, batch int, seed uint64) *nn.MLP {
	d := g.d
	rng := rand.New(rand.NewPCG(seed, 1))
	net, err := nn.NewMLP([]int{d + 1, 64, 64, 64, d}, nn.SELU, rng)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := net.NewWorkspace(batch, nil)
	if err != nil {
		t.Fatal(err)
	}
	adam, err := nn.NewAdam(net.NumParams(), &nn.AdamSettings{LR: 2e-3})
	if err != nil {
		t.Fatal(err)
	}
	ema, err := nn.NewEMA(net.Params(), 0.995)
	if err != nil {
		t.Fatal(err)
	}
	ema.Warmup = true
	x0, cost, perm := make([]float64, batch*d), make([]float64, batch*batch), make([]int, batch)
	in, target, grad := make([]float64, batch*(d+1)), make([]float64, batch*d), make([]float64, net.NumParams())
	var assigner ot.Assigner
	for it := range iters {
		for i := range x0 {
			x0[i] = rng.NormFloat64()
		}
		x1 := g.sample(batch, rng)
		if err := ot.SqDist(cost, x0, batch, x1, batch, d); err != nil {
			t.Fatal(err)
		}
		if _, err := assigner.Assign(perm, cost, batch, nil); err != nil {
			t.Fatal(err)
		}
		for i := range batch {
			tt := rng.Float64()
			a, b := x0[i*d:(i+1)*d], x1[perm[i]*d:(perm[i]+1)*d]
			for j := range d {
				in[i*(d+1)+j] = (1-tt)*a[j] + tt*b[j]
				target[i*d+j] = b[j] - a[j]
			}
			in[i*(d+1)+d] = tt
		}
		// Decay the learning rate for the last third: the NLL needs the
		// field's divergence right, not just its values.
		if it == 2*iters/3 {
			if adam, err = nn.NewAdam(net.NumParams(), &nn.AdamSettings{LR: 5e-4}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := net.MSEGrad(grad, ws, in, target, batch); err != nil {
			t.Fatal(err)
		}
		if err := adam.Step(net.Params(), grad); err != nil {
			t.Fatal(err)
		}
		if err := ema.Update(net.Params()); err != nil {
			t.Fatal(err)
		}
	}
	avg := net.Clone()
	copy(avg.Params(), ema.Params())
	return avg
}

// A flow trained from N(0, I) to N(m, Σ) assigns fresh target points an
// NLL within 2% of the true density's NLL on the same points, in 2-D and
// 8-D.
func TestTrainedFlowNLLMatchesTrueDensity(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two flows (a few seconds)")
	}
	for _, tc := range []struct{ d, iters int }{{2, 1000}, {8, 1500}} {
		rng := rand.New(rand.NewPCG(uint64(tc.d), 21))
		g := newGaussianFlow(tc.d, rng)
		net := trainGaussianFlow(t, g, tc.iters, 128, 5)
		const n = 400
		x := g.sample(n, rng)
		f, err := NewMLPField(net, nil, n, 0)
		if err != nil {
			t.Fatal(err)
		}
		res, err := NLL(nil, f, x, n, nil)
		if err != nil {
			t.Fatal(err)
		}
		var want float64
		for i := range n {
			want += g.trueNLL(x[i*tc.d:(i+1)*tc.d]) / n
		}
		rel := math.Abs(res.NLL-want) / math.Abs(want)
		t.Logf("d=%d: model NLL %.4f ± %.4f nats (%.4f bpd), true %.4f; relative error %.2f%%, NFE %d", tc.d, res.NLL, res.StdErr, res.BPD, want, 100*rel, res.NFE)
		if rel > 0.02 {
			t.Errorf("d=%d: model NLL %.4f vs true %.4f: %.2f%% off, want ≤ 2%%", tc.d, res.NLL, want, 100*rel)
		}
	}
}

// BenchmarkNLL8 times the exact-divergence NLL of 256 points in 8-D under
// a trained-size network (one op = one batch).
func BenchmarkNLL8(b *testing.B) {
	const d, n = 8, 256
	rng := rand.New(rand.NewPCG(1, 1))
	g := newGaussianFlow(d, rng)
	net := trainGaussianFlow(b, g, 300, 128, 1)
	f, err := NewMLPField(net, nil, n, 0)
	if err != nil {
		b.Fatal(err)
	}
	x := g.sample(n, rng)
	b.ResetTimer()
	for range b.N {
		if _, err := NLL(nil, f, x, n, nil); err != nil {
			b.Fatal(err)
		}
	}
}
