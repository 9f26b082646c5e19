package series

import (
	"math"
	"slices"
	"testing"
	"time"
)

const harmonicSrc = "param w = 0.5\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2"

// TestFitRecovers fits an isotropic harmonic ω and a two-parameter
// anisotropic oscillator to synthetic snapshots of known truth.
func TestFitRecovers(t *testing.T) {
	n, tol := 300, 0.05 // BenchmarkFit5x800 checks 800 points per time
	if testing.Short() {
		n, tol = 150, 0.1 // fewer points, more sampling noise
	}
	cases := []struct {
		truth, model string
		names        []string
		want         []float64
		lo, hi       []float64
	}{
		{"param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", harmonicSrc, []string{"w"}, []float64{1.2}, []float64{0}, []float64{3}},
		{"L = 0.5*|v|^2 - 0.5*(1.2^2*x[0]^2 + 0.6^2*x[1]^2)", "param a = 1\nparam b = 1\nL = 0.5*|v|^2 - 0.5*(a^2*x[0]^2 + b^2*x[1]^2)",
			[]string{"a", "b"}, []float64{1.2, 0.6}, []float64{0, 0}, []float64{3, 3}},
	}
	for _, c := range cases {
		ser := synth(t, c.truth, fiveTimes, n, 1)
		start := time.Now()
		res, err := Fit(load(t, c.model), ser, c.names, &FitSettings{Lower: c.lo, Upper: c.hi, Starts: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%v: fitted %v (truth %v), loss %.4g from %.4g, %d iterations, %d evaluations, %v",
			c.names, res.Values, c.want, res.Loss, res.InitialLoss, res.Iterations, res.Evaluations, time.Since(start))
		if len(res.Unidentifiable) > 0 {
			t.Errorf("%v reported unidentifiable", res.Unidentifiable)
		}
		for i, w := range c.want {
			if math.Abs(res.Values[i]-w) > tol*w {
				t.Errorf("%s = %g, truth %g (more than %g%% off)", c.names[i], res.Values[i], w, 100*tol)
			}
		}
		if !(res.Loss < res.InitialLoss) {
			t.Errorf("loss %g did not improve on %g", res.Loss, res.InitialLoss)
		}
	}
}

// TestKineticTruth: snapshots moving on straight lines fit ω ≈ 0, and the
// fitted Lagrangian's leave-one-out error is no worse than the kinetic one.
func TestKineticTruth(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 150
	}
	ser := synth(t, "L = 0.5*|v|^2", fiveTimes, n, 3)
	res, err := Fit(load(t, harmonicSrc), ser, []string{"w"}, &FitSettings{Lower: []float64{0}, Upper: []float64{3}, Starts: 2})
	if err != nil {
		t.Fatal(err)
	}
	// The loss is flat to fourth order in ω at 0 (the potential is ω²|x|²),
	// so sampling noise moves ω̂ further than ω̂²: ω ≤ 0.3 is ω² ≤ 0.09,
	// against ω² = 1.44 in the harmonic tests.
	if res.Values[0] > 0.3 {
		t.Errorf("ω = %g fitted to kinetic snapshots, want ≈ 0", res.Values[0])
	}
	if len(res.Unidentifiable) > 0 {
		t.Errorf("ω near 0 reported unidentifiable: %v", res.Unidentifiable)
	}
	kin, err := LeaveOneOut(inst(t, load(t, "L = 0.5*|v|^2"), 2), ser, nil)
	if err != nil {
		t.Fatal(err)
	}
	fitted := load(t, harmonicSrc)
	fitted.Params[0].Value = res.Values[0]
	fit, err := LeaveOneOut(inst(t, fitted, 2), ser, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range kin {
		if fit[i].W1 > kin[i].W1*1.02+1e-3 {
			t.Errorf("time %d: fitted LOO W1 %g worse than kinetic %g", kin[i].K, fit[i].W1, kin[i].W1)
		}
	}
	t.Logf("ω = %g; LOO W1 kinetic %v fitted %v", res.Values[0], w1s(kin), w1s(fit))
}

func w1s(h []Held) []float64 {
	var out []float64
	for _, x := range h {
		out = append(out, x.W1)
	}
	return out
}

// TestTruthBeatsWrong: on harmonic snapshots, leave-one-out with the true
// Lagrangian is better than with the kinetic one at every interior time.
func TestTruthBeatsWrong(t *testing.T) {
	truth := "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2"
	ser := synth(t, truth, fiveTimes, 200, 5)
	good, err := LeaveOneOut(inst(t, load(t, truth), 2), ser, nil)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := LeaveOneOut(inst(t, load(t, "L = 0.5*|v|^2"), 2), ser, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range good {
		if !(good[i].W1 < bad[i].W1) {
			t.Errorf("time %d: true Lagrangian W1 %g, kinetic %g", good[i].K, good[i].W1, bad[i].W1)
		}
	}
}

// TestUnidentifiable: a mass m that only scales L, and a product a·b of
// which only the product matters, are reported instead of fitted.
func TestUnidentifiable(t *testing.T) {
	ser := synth(t, "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", fiveTimes, 100, 2)
	cases := []struct {
		src   string
		names []string
		flat  []string
	}{
		{"param m = 2\nparam w = 1\nL = m*(0.5*|v|^2 - 0.5*w^2*|x|^2)", []string{"m", "w"}, []string{"m"}},
		{"param a = 1\nparam b = 1\nL = 0.5*|v|^2 - 0.5*a*b*|x|^2", []string{"a", "b"}, []string{"a", "b"}},
	}
	for _, c := range cases {
		res, err := Fit(load(t, c.src), ser, c.names, &FitSettings{Lower: []float64{0.1, 0.1}, Upper: []float64{3, 3}, Starts: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Unidentifiable, c.flat) {
			t.Errorf("%q: unidentifiable %v, want %v (values %v)", c.src, res.Unidentifiable, c.flat, res.Values)
		}
		for i, n := range c.names {
			if slices.Contains(c.flat, n) && res.Values[i] != res.Initial[i] {
				t.Errorf("%q: unidentifiable %s returned %g, not its initial value %g", c.src, n, res.Values[i], res.Initial[i])
			}
		}
		if c.names[1] == "w" && math.Abs(res.Values[1]-1.2) > 0.1 {
			t.Errorf("%q: w = %g, truth 1.2", c.src, res.Values[1])
		}
	}
}

// TestFitLeaveOut: with time 2 left out, times 1 and 3 are predicted from
// 0, 3 and 1, 4 — across the gap — and ω is still recovered.
func TestFitLeaveOut(t *testing.T) {
	ser := synth(t, "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", fiveTimes, 150, 4)
	obj, err := NewObjective(load(t, harmonicSrc), ser, []string{"w"}, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	var pairs [][3]int
	for _, tm := range obj.terms {
		pairs = append(pairs, [3]int{tm.a, tm.k, tm.b})
	}
	if !slices.Equal(pairs, [][3]int{{0, 1, 3}, {1, 3, 4}}) {
		t.Errorf("terms %v, want [0 1 3] [1 3 4]", pairs)
	}
	res, err := Fit(load(t, harmonicSrc), ser, []string{"w"}, &FitSettings{Lower: []float64{0}, Upper: []float64{3}, Starts: 1, LeaveOut: 2})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(res.Values[0]-1.2) > 0.1 {
		t.Errorf("ω = %g with time 2 left out, truth 1.2", res.Values[0])
	}
}

// TestFitDeclaredBounds: bounds declared in the file hold (the truth 1.2
// lies above the declared range, so the fit stops at its edge); explicit
// settings override them.
func TestFitDeclaredBounds(t *testing.T) {
	ser := synth(t, "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", fiveTimes, 100, 6)
	src := "param w = 0.5 in [0, 0.9]\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2"
	res, err := Fit(load(t, src), ser, []string{"w"}, &FitSettings{Starts: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Values[0] != 0.9 {
		t.Errorf("declared [0, 0.9]: w = %g, want the bound 0.9", res.Values[0])
	}
	res, err = Fit(load(t, src), ser, []string{"w"}, &FitSettings{Lower: []float64{0}, Upper: []float64{3}, Starts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(res.Values[0]-1.2) > 0.1 {
		t.Errorf("settings [0, 3] over the declared range: w = %g, truth 1.2", res.Values[0])
	}
}
