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
	"github.com/lagc-dev/lagc/runtime/ot"
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
	d := 2
	tr, err := fm.NewPairs(&fm.Problem{Sys: compile(t, "harmonic.lag", nil, d), Source: lookup(t, "gaussian"), Target: lookup(t, "moons"), Seed: 1},
		&fm.PairSettings{Coupling: fm.Independent, Batch: 64, Pool: 1})
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
	d := 2
	couple := func(sys lagrangian.System) fm.Batch {
		set := fm.DefaultPairs()
		set.Batch = 128
		tr, err := fm.NewPairs(&fm.Problem{Sys: sys, Source: lookup(t, "8gaussians"), Target: lookup(t, "moons"), Seed: 1}, &set)
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

// TestMoonsW2Floor checks the built-in moons and the exact W2 of the
// evaluation together against the published figure: two independent draws
// of 2,048 moons are ≈ 0.075 apart in W2 (shared/datasets.md).
func TestMoonsW2Floor(t *testing.T) {
	m := lookup(t, "moons")
	var mean float64
	const draws = 3
	for s := uint64(0); s < draws; s++ {
		rng := rand.New(rand.NewPCG(s, 1))
		x, y := make([]float64, 2*2048), make([]float64, 2*2048)
		m.Sample(x, 2048, rng)
		m.Sample(y, 2048, rng)
		w, err := ot.W2(x, 2048, y, 2048, 2)
		if err != nil {
			t.Fatal(err)
		}
		mean += w / draws
	}
	if mean < 0.06 || mean > 0.09 {
		t.Errorf("W2 between two draws of 2048 moons is %.4f on average, want ≈ 0.075", mean)
	}
}

// TestEuclideanCoupling: for ω < π the harmonic cost is
// ω/(2 sin ω)((|x0|²+|x1|²)cos ω − 2x0·x1), whose row and column terms do not
// change an assignment, and likewise for the kinetic, inverted and
// constant-force costs. The assignment by the full Lagrangian cost matrix
// (closed-form actions) must equal the squared-distance one, which the
// trainer uses for the Systems that report EuclideanCoupling.
func TestEuclideanCoupling(t *testing.T) {
	const n, d = 128, 2
	rng := rand.New(rand.NewPCG(5, 6))
	x0, x1 := make([]float64, n*d), make([]float64, n*d)
	lookup(t, "8gaussians").Sample(x0, n, rng)
	lookup(t, "moons").Sample(x1, n, rng)
	sq := make([]float64, n*n)
	if err := ot.SqDist(sq, x0, n, x1, n, d); err != nil {
		t.Fatal(err)
	}
	want := make([]int, n)
	if _, err := ot.Assign(want, sq, n, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file   string
		params map[string]float64
		euclid bool
	}{
		{"kinetic.lag", nil, true},
		{"harmonic.lag", map[string]float64{"w": 0.5}, true},
		{"harmonic.lag", map[string]float64{"w": 1.2}, true},
		{"harmonic.lag", nil, true},
		{"harmonic.lag", map[string]float64{"w": 3}, true},
		{"inverted.lag", nil, true},
		{"gravity.lag", nil, true},
		{"harmonic.lag", map[string]float64{"w": 3.5}, false}, // conjugate point
		{"damped.lag", nil, false},
		{"magnetic.lag", nil, false},
		{"bump.lag", nil, false},
	} {
		sys := compile(t, tc.file, tc.params, d)
		ec, ok := sys.(lagrangian.EuclideanCoupling)
		if got := ok && ec.EuclideanCoupling(); got != tc.euclid {
			t.Errorf("%s %v: EuclideanCoupling %v, want %v", tc.file, tc.params, got, tc.euclid)
		}
		if !tc.euclid {
			continue
		}
		cost := make([]float64, n*n)
		if err := fm.NewPaths(sys, nil).Cost(cost, x0, n, x1, n); err != nil {
			t.Fatal(err)
		}
		got := make([]int, n)
		if _, err := ot.Assign(got, cost, n, nil); err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s %v: the Lagrangian-cost assignment differs from the squared-distance one at row %d", tc.file, tc.params, i)
			}
		}
	}
}
