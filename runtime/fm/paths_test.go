package fm_test

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

func compile(t *testing.T, file string, params map[string]float64, d int) lagrangian.System {
	t.Helper()
	src, err := os.ReadFile("../../examples/lagrangians/" + file)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := eulerlag.Load(file, src, params)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := sys.Instantiate(d)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func lookup(t *testing.T, name string) data.Sampler {
	t.Helper()
	s, err := data.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestHarmonicIsTrigonometricVP: the least-action paths of the harmonic
// oscillator with ω = π/2 and independent coupling are the trigonometric
// variance-preserving interpolant x_t = cos(πt/2)x0 + sin(πt/2)x1, so the
// training targets must be its velocity.
func TestHarmonicIsTrigonometricVP(t *testing.T) {
	cfg := fm.DefaultConfig()
	cfg.Coupling, cfg.Sigma, cfg.Batch = fm.Independent, 0, 64
	d := 2
	tr, err := fm.NewTrainer(cfg, compile(t, "harmonic.lag", nil, d), lookup(t, "gaussian"), lookup(t, "moons"))
	if err != nil {
		t.Fatal(err)
	}
	var b fm.Batch
	if err := tr.NewBatch(&b, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	in, u := make([]float64, b.N*(d+1)), make([]float64, b.N*d)
	if err := tr.Targets(in, u, &b, rand.New(rand.NewPCG(2, 2))); err != nil {
		t.Fatal(err)
	}
	h := math.Pi / 2
	for k := 0; k < b.N; k++ {
		tt := in[k*(d+1)+d]
		c, s := math.Cos(h*tt), math.Sin(h*tt)
		for i := 0; i < d; i++ {
			x0, x1 := b.X0[k*d+i], b.X1[k*d+i]
			if want := c*x0 + s*x1; math.Abs(in[k*(d+1)+i]-want) > 1e-14 {
				t.Fatalf("pair %d: x_t = %.16g, want %.16g", k, in[k*(d+1)+i], want)
			}
			if want := h * (-s*x0 + c*x1); math.Abs(u[k*d+i]-want) > 1e-13 {
				t.Fatalf("pair %d: u_t = %.16g, want %.16g", k, u[k*d+i], want)
			}
		}
	}
}

// TestIsotropicHarmonicCouplingIsKinetic: for ω < π the harmonic cost is
// ω/(2 sin ω)((|x0|²+|x1|²)cos ω − 2x0·x1), whose row and column terms do not
// change an assignment: the optimal coupling is the squared-distance one.
func TestIsotropicHarmonicCouplingIsKinetic(t *testing.T) {
	cfg := fm.DefaultConfig()
	cfg.Batch = 128
	d := 2
	couple := func(sys lagrangian.System) fm.Batch {
		tr, err := fm.NewTrainer(cfg, sys, lookup(t, "8gaussians"), lookup(t, "moons"))
		if err != nil {
			t.Fatal(err)
		}
		var b fm.Batch
		if err := tr.NewBatch(&b, rand.New(rand.NewPCG(5, 6))); err != nil {
			t.Fatal(err)
		}
		return b
	}
	kin := couple(compile(t, "kinetic.lag", nil, d))
	for _, w := range []float64{0.5, 1.2, math.Pi / 2, 3} {
		har := couple(compile(t, "harmonic.lag", map[string]float64{"w": w}, d))
		for i := range kin.X1 {
			if har.X1[i] != kin.X1[i] || har.X0[i] != kin.X0[i] {
				t.Fatalf("ω = %v: the harmonic OT coupling differs from the kinetic one at value %d", w, i)
			}
		}
	}
}
