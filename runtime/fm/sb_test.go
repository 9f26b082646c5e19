package fm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lagc-dev/lagc/runtime/noise"
	"github.com/lagc-dev/lagc/runtime/ot"
)

// With the bridge schedule, Targets puts x_t = μ_t + s(t)ε and
// u_t = (x₁ − x₀) + (ṡ/s)(x_t − μ_t) — torchcfm's SB-CFM target — on the
// straight paths of the kinetic Lagrangian.
func TestBridgeTargets(t *testing.T) {
	const sigma, n, d = 0.7, 64, 2
	pairs, err := NewPairs(&Problem{Sys: kinetic{d}, Source: sampler(t, "gaussian"), Target: sampler(t, "moons"), Seed: 1},
		&PairSettings{Batch: n, Coupling: Independent, Sigma: sigma, Schedule: "bridge", Pool: 1})
	if err != nil {
		t.Fatal(err)
	}
	in, target := make([]float64, n*(d+1)), make([]float64, n*d)
	b, err := pairs.Next(0, in, target)
	if err != nil {
		t.Fatal(err)
	}
	var moved float64
	for k := range n {
		tt := in[k*(d+1)+d]
		ratio := noise.Bridge.Rate(sigma, tt) / noise.Bridge.Std(sigma, tt)
		for i := range d {
			x0, x1 := b.X0[k*d+i], b.X1[k*d+i]
			mu := (1-tt)*x0 + tt*x1
			want := x1 - x0 + ratio*(in[k*(d+1)+i]-mu)
			if math.Abs(target[k*d+i]-want) > 1e-9*(1+math.Abs(want)) {
				t.Fatalf("pair %d t=%.3f coord %d: target %.9g, SB-CFM formula %.9g", k, tt, i, target[k*d+i], want)
			}
			moved += math.Abs(in[k*(d+1)+i] - mu)
		}
	}
	if moved == 0 {
		t.Error("the bridge schedule added no noise")
	}
}

// The Sinkhorn coupling at small ε pairs the drawn sources with their
// exact-OT targets, and at large ε pairs them nearly independently: the
// mean cost of its pairs moves from the optimal assignment's to the
// independent pairing's.
func TestSinkhornCouplingLimits(t *testing.T) {
	const n = 64
	meanCost := func(eps float64) (pairs, optimal, independent float64) {
		draw := func(coupling string) *Batch {
			ps, err := NewPairs(&Problem{Sys: kinetic{2}, Source: sampler(t, "gaussian"), Target: sampler(t, "8gaussians"), Seed: 1},
				&PairSettings{Batch: n, Coupling: coupling, Epsilon: eps, Pool: 1})
			if err != nil {
				t.Fatal(err)
			}
			b := new(Batch)
			if err := ps.NewBatch(b, rand.New(rand.NewPCG(5, 5))); err != nil {
				t.Fatal(err)
			}
			return b
		}
		// The same stream without coupling gives the draws before pairing.
		raw, b := draw(Independent), draw(Sinkhorn)
		cost := make([]float64, n*n)
		if err := ot.SqDist(cost, raw.X0, n, raw.X1, n, 2); err != nil {
			t.Fatal(err)
		}
		perm := make([]int, n)
		if _, err := ot.Assign(perm, cost, n, nil); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			optimal += cost[i*n+perm[i]] / n
			independent += cost[i*n+i] / n
			var d2 float64
			for j := range 2 {
				d := b.X1[2*i+j] - b.X0[2*i+j]
				d2 += d * d
			}
			pairs += d2 / n
		}
		return pairs, optimal, independent
	}
	small, opt, ind := meanCost(1e-3)
	if math.Abs(small-opt) > 0.05*opt {
		t.Errorf("ε = 1e-3: mean squared distance of the pairs %.4f, optimal assignment %.4f", small, opt)
	}
	large, _, _ := meanCost(1e4)
	if !(large > 0.8*ind) {
		t.Errorf("ε = 1e4: mean squared distance of the pairs %.4f, independent pairing %.4f, optimal %.4f", large, ind, opt)
	}
}

func TestPairSettingsRejectBadEntropicSettings(t *testing.T) {
	for _, mod := range []func(*PairSettings){
		func(s *PairSettings) { s.Coupling = "emd" },
		func(s *PairSettings) { s.Epsilon = -1 },
		func(s *PairSettings) { s.Epsilon = math.Inf(1) },
		func(s *PairSettings) { s.Schedule = "vp" },
	} {
		s := DefaultPairs()
		mod(&s)
		if err := s.Validate(); err == nil {
			t.Errorf("settings %+v passed validation", s)
		}
	}
}
