package gogenerate

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lagc-dev/lagc/runtime/bvp"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// handBump is the hand-written acceleration of bump.lag, a = −∇U with
// U = A exp(−|x|²/s²): a = (2A/s²) e^{−|x|²/s²} x.
func handBump(dst []float64, A, s float64, x []float64) {
	var r2 float64
	for _, xi := range x {
		r2 += xi * xi
	}
	c := 2 * A / (s * s) * math.Exp(-r2/(s*s))
	for i, xi := range x {
		dst[i] = c * xi
	}
}

func handHarmonic(dst []float64, w float64, x []float64) {
	for i, xi := range x {
		dst[i] = -w * w * xi
	}
}

func randVec(rng *rand.Rand, d int) []float64 {
	x := make([]float64, d)
	for i := range x {
		x[i] = 2*rng.Float64() - 1
	}
	return x
}

func TestAccelMatchesHandWritten(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, d := range []int{1, 3, 64} {
		h, err := NewHarmonic(d)
		if err != nil {
			t.Fatal(err)
		}
		b, err := NewBump(d)
		if err != nil {
			t.Fatal(err)
		}
		b.A, b.S = 1.5, 0.8
		got, want := make([]float64, d), make([]float64, d)
		for trial := 0; trial < 10; trial++ {
			x, v := randVec(rng, d), randVec(rng, d)
			h.Accel(got, 0.3, x, v)
			handHarmonic(want, h.W, x)
			for i := range got {
				if math.Abs(got[i]-want[i]) > 1e-15*(1+math.Abs(want[i])) {
					t.Fatalf("harmonic d=%d: a[%d] = %v, want %v", d, i, got[i], want[i])
				}
			}
			b.Accel(got, 0.3, x, v)
			handBump(want, 1.5, 0.8, x)
			for i := range got {
				if math.Abs(got[i]-want[i]) > 1e-14*(1+math.Abs(want[i])) {
					t.Fatalf("bump d=%d: a[%d] = %v, want %v", d, i, got[i], want[i])
				}
			}
		}
	}
}

// TestPlugsIntoRuntime solves paths through runtime/bvp with the generated
// types, which it sees as lagrangian.Systems like any other: the closed
// forms answer directly, the bump numerically.
func TestPlugsIntoRuntime(t *testing.T) {
	h, _ := NewHarmonic(2)
	b, _ := NewBump(2)
	m := NewMagnetic()
	x0, x1 := []float64{1, 0.5}, []float64{-0.5, 1}
	for _, tc := range []struct {
		name   string
		sys    lagrangian.System
		method string
	}{{"harmonic", h, bvp.ClosedForm}, {"magnetic", m, bvp.ClosedForm}, {"bump", b, ""}} {
		p, err := bvp.Solve(tc.sys, x0, x1, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if tc.method != "" && p.Method != tc.method {
			t.Errorf("%s: solved by %s, want %s", tc.name, p.Method, tc.method)
		}
		act, err := tc.sys.(lagrangian.ClosedForm).Action(x0, x1)
		if err != nil || math.Abs(act-p.Action) > 1e-9*(1+math.Abs(act)) {
			t.Errorf("%s: Action %v (err %v), bvp %v", tc.name, act, err, p.Action)
		}
	}
	// The harmonic action in closed form: ω/(2 sin ω)((|x0|²+|x1|²) cos ω − 2 x0·x1).
	w := math.Pi / 2
	want := w / (2 * math.Sin(w)) * ((1.25+1.25)*math.Cos(w) - 2*(-0.5+0.5))
	if got, _ := h.Action(x0, x1); math.Abs(got-want) > 1e-14 {
		t.Errorf("harmonic action %v, want %v", got, want)
	}
	// The numeric solve is cached: Action after Path does not solve again.
	xt := make([]float64, 2)
	if err := b.Path(xt, nil, 0.5, x0, x1); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(10, func() { _, _ = b.Action(x0, x1) }); n != 0 {
		t.Errorf("cached bump Action allocates %v times", n)
	}
}
