package ode

import (
	"math"
	"strings"
	"testing"
)

// harmonic is y = (x, v) with x” = −ω²x; exact x = cos ωt, v = −ω sin ωt.
func harmonic(w float64) Func {
	return func(dst []float64, t float64, y []float64) {
		dst[0] = y[1]
		dst[1] = -w * w * y[0]
	}
}

func harmonicExact(w, t float64) [2]float64 {
	return [2]float64{math.Cos(w * t), -w * math.Sin(w*t)}
}

func decay(lambda float64) Func {
	return func(dst []float64, t float64, y []float64) { dst[0] = lambda * y[0] }
}

// timeDependent is y' = cos(t)·y, exact y = exp(sin t): it checks that
// stage times are passed correctly.
func timeDependent(dst []float64, t float64, y []float64) { dst[0] = math.Cos(t) * y[0] }

func TestFixedKnownSolutions(t *testing.T) {
	for _, tc := range []struct {
		m     Method
		steps int
		tol   float64
	}{
		{Euler, 20000, 2e-3},
		{Midpoint, 2000, 3e-5},
		{RK4, 200, 2e-7},
		{RK8, 40, 1e-11},
	} {
		t.Run(tc.m.String(), func(t *testing.T) {
			y := []float64{1, 0}
			if _, err := Integrate(y, tc.m, harmonic(2), 0, 3, y, tc.steps); err != nil {
				t.Fatal(err)
			}
			want := harmonicExact(2, 3)
			if e := math.Hypot(y[0]-want[0], y[1]-want[1]); e > tc.tol {
				t.Errorf("harmonic: error %g > %g", e, tc.tol)
			}
			z := []float64{1}
			if _, err := Integrate(z, tc.m, decay(-1.5), 0, 2, z, tc.steps); err != nil {
				t.Fatal(err)
			}
			if e := math.Abs(z[0] - math.Exp(-3)); e > tc.tol {
				t.Errorf("exponential: error %g > %g", e, tc.tol)
			}
			z[0] = 1
			if _, err := Integrate(z, tc.m, timeDependent, 0, 2, z, tc.steps); err != nil {
				t.Fatal(err)
			}
			if e := math.Abs(z[0] - math.Exp(math.Sin(2))); e > tc.tol*3 {
				t.Errorf("time-dependent: error %g > %g", e, tc.tol*3)
			}
		})
	}
}

// TestFixedOrder measures the order of convergence: halving h should divide
// the global error by 2^p.
func TestFixedOrder(t *testing.T) {
	for _, tc := range []struct {
		m     Method
		steps int // coarse step count, chosen so errors stay far above rounding
	}{
		{Euler, 400}, {Midpoint, 200}, {RK4, 50}, {RK8, 12},
	} {
		t.Run(tc.m.String(), func(t *testing.T) {
			errAt := func(steps int) float64 {
				y := []float64{1, 0}
				if _, err := Integrate(y, tc.m, harmonic(1), 0, 4, y, steps); err != nil {
					t.Fatal(err)
				}
				want := harmonicExact(1, 4)
				return math.Hypot(y[0]-want[0], y[1]-want[1])
			}
			e1, e2 := errAt(tc.steps), errAt(2*tc.steps)
			p := math.Log2(e1 / e2)
			if want := float64(tc.m.Order()); math.Abs(p-want) > 0.25 {
				t.Errorf("observed order %.3f (errors %g, %g), want %v", p, e1, e2, want)
			}
		})
	}
}

func TestFixedEvalCount(t *testing.T) {
	for _, m := range []Method{Euler, Midpoint, RK4, RK8} {
		calls := 0
		f := func(dst []float64, t float64, y []float64) { calls++; dst[0] = -y[0] }
		y := []float64{1}
		st, err := Integrate(y, m, f, 0, 1, y, 7)
		if err != nil {
			t.Fatal(err)
		}
		if st.Evals != calls || calls != 7*m.Stages() || st.Steps != 7 {
			t.Errorf("%v: Stats %+v, counted %d calls, want %d", m, st, calls, 7*m.Stages())
		}
	}
}

// TestRK8ErrorEstimate compares DOP853's embedded estimate with the true
// local error of single steps from the exact solution.
func TestRK8ErrorEstimate(t *testing.T) {
	f, err := NewFixed(RK8, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []float64{0.4, 0.2, 0.1} {
		y0 := harmonicExact(3, 0.3)
		y := []float64{y0[0], y0[1]}
		f.Step(y, harmonic(3), 0.3, h, y)
		want := harmonicExact(3, 0.3+h)
		trueErr := math.Hypot(y[0]-want[0], y[1]-want[1])
		est := f.ErrorEstimate(0, 2)
		if !(est > trueErr/30 && est < trueErr*1e4) {
			t.Errorf("h=%g: estimate %g, true local error %g", h, est, trueErr)
		}
	}
	g, _ := NewFixed(RK4, 1)
	if !math.IsNaN(g.ErrorEstimate(0, 1)) {
		t.Error("RK4 has no embedded estimate; want NaN")
	}
}

func TestDormandPrinceTolerances(t *testing.T) {
	prevErr := math.Inf(1)
	for _, tol := range []float64{1e-4, 1e-6, 1e-8, 1e-10, 1e-12} {
		calls := 0
		f := func(dst []float64, t float64, y []float64) { calls++; harmonic(2)(dst, t, y) }
		dp, err := NewDormandPrince(2, &Settings{RelTol: tol, AbsTol: tol})
		if err != nil {
			t.Fatal(err)
		}
		var dense Dense
		y := []float64{1, 0}
		st, err := dp.Solve(y, &dense, f, 0, 2*math.Pi, y)
		if err != nil {
			t.Fatal(err)
		}
		want := harmonicExact(2, 2*math.Pi)
		e := math.Hypot(y[0]-want[0], y[1]-want[1])
		// The local error per step is held below tol; over a few periods the
		// global error stays within a modest multiple of it.
		if e > 100*tol {
			t.Errorf("tol %g: global error %g", tol, e)
		}
		if e >= prevErr {
			t.Errorf("tol %g: error %g did not shrink from %g", tol, e, prevErr)
		}
		prevErr = e
		if st.Evals != calls {
			t.Errorf("tol %g: Stats.Evals=%d, counted %d", tol, st.Evals, calls)
		}
		// FSAL: one evaluation at the start, one for the starting step, six per attempted step.
		if want := 2 + 6*(st.Steps+st.Rejected); st.Evals != want {
			t.Errorf("tol %g: Evals=%d, want 2+6·(steps+rejected)=%d", tol, st.Evals, want)
		}
		// Dense output between steps keeps (nearly) the same accuracy.
		var worst float64
		buf := make([]float64, 2)
		for i := 0; i <= 1000; i++ {
			ti := 2 * math.Pi * float64(i) / 1000
			if err := dense.At(buf, ti); err != nil {
				t.Fatal(err)
			}
			w := harmonicExact(2, ti)
			worst = math.Max(worst, math.Hypot(buf[0]-w[0], buf[1]-w[1]))
		}
		if worst > 1000*tol {
			t.Errorf("tol %g: dense output error %g", tol, worst)
		}
	}
}

func TestDormandPrinceBackward(t *testing.T) {
	dp, err := NewDormandPrince(1, &Settings{RelTol: 1e-10, AbsTol: 1e-12})
	if err != nil {
		t.Fatal(err)
	}
	var dense Dense
	y := []float64{math.Exp(math.Sin(3))}
	if _, err := dp.Solve(y, &dense, timeDependent, 3, 0.5, y); err != nil {
		t.Fatal(err)
	}
	if e := math.Abs(y[0] - math.Exp(math.Sin(0.5))); e > 1e-8 {
		t.Errorf("backward: error %g", e)
	}
	buf := []float64{0}
	if err := dense.At(buf, 1.7); err != nil {
		t.Fatal(err)
	}
	if e := math.Abs(buf[0] - math.Exp(math.Sin(1.7))); e > 1e-7 {
		t.Errorf("backward dense: error %g", e)
	}
	if err := dense.At(buf, 3.5); err == nil {
		t.Error("want an error outside the span")
	}
}

func TestErrors(t *testing.T) {
	blowup := func(dst []float64, t float64, y []float64) { dst[0] = y[0] * y[0] } // y = 1/(1−t)
	nan := func(dst []float64, t float64, y []float64) { dst[0] = math.NaN() }
	for _, tc := range []struct {
		name string
		run  func() error
		want string
	}{
		{"blow-up adaptive", func() error {
			dp, _ := NewDormandPrince(1, nil)
			y := []float64{1}
			_, err := dp.Solve(y, nil, blowup, 0, 2, y)
			return err
		}, "t="},
		{"blow-up fixed", func() error {
			y := []float64{1}
			_, err := Integrate(y, RK4, blowup, 0, 2, y, 10)
			return err
		}, "is +Inf at t="},
		{"NaN rhs adaptive", func() error {
			dp, _ := NewDormandPrince(1, nil)
			y := []float64{1}
			_, err := dp.Solve(y, nil, nan, 0, 1, y)
			return err
		}, "not finite"},
		{"NaN start", func() error {
			y := []float64{math.NaN()}
			_, err := Integrate(y, RK4, blowup, 0, 1, y, 10)
			return err
		}, "NaN"},
		{"bad method", func() error { _, err := NewFixed(Method(99), 1); return err }, "unknown method"},
		{"bad tolerance", func() error { _, err := NewDormandPrince(1, &Settings{RelTol: -1}); return err }, "tolerances"},
		{"short slice", func() error {
			f, _ := NewFixed(RK4, 3)
			_, err := f.Integrate(make([]float64, 2), blowup, 0, 1, make([]float64, 3), 1)
			return err
		}, "dimension 3"},
		{"max steps", func() error {
			dp, _ := NewDormandPrince(2, &Settings{MaxSteps: 5, RelTol: 1e-10})
			y := []float64{1, 0}
			_, err := dp.Solve(y, nil, harmonic(10), 0, 10, y)
			return err
		}, "MaxSteps"},
	} {
		err := tc.run()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestNoAllocations(t *testing.T) {
	f, _ := NewFixed(RK8, 2)
	dp, _ := NewDormandPrince(2, &Settings{RelTol: 1e-9})
	var dense Dense
	y := []float64{1, 0}
	fn := harmonic(2)
	if _, err := dp.Solve(y, &dense, fn, 0, 5, y); err != nil { // size dense's storage
		t.Fatal(err)
	}
	if a := testing.AllocsPerRun(20, func() {
		y[0], y[1] = 1, 0
		f.Integrate(y, fn, 0, 1, y, 10)
	}); a != 0 {
		t.Errorf("Fixed.Integrate allocates %v times", a)
	}
	if a := testing.AllocsPerRun(20, func() {
		y[0], y[1] = 1, 0
		dp.Solve(y, &dense, fn, 0, 5, y)
	}); a != 0 {
		t.Errorf("DormandPrince.Solve allocates %v times", a)
	}
}

func BenchmarkRK8Harmonic(b *testing.B) {
	f, _ := NewFixed(RK8, 2)
	fn := harmonic(2)
	y := []float64{1, 0}
	b.ReportAllocs()
	for b.Loop() {
		y[0], y[1] = 1, 0
		f.Integrate(y, fn, 0, 1, y, 16)
	}
}

func BenchmarkDormandPrinceHarmonic(b *testing.B) {
	dp, _ := NewDormandPrince(2, &Settings{RelTol: 1e-8, AbsTol: 1e-10})
	fn := harmonic(2)
	y := []float64{1, 0}
	b.ReportAllocs()
	for b.Loop() {
		y[0], y[1] = 1, 0
		dp.Solve(y, nil, fn, 0, 1, y)
	}
}

// TestStepAliasing: Step must give the same result whether or not dst
// aliases y.
func TestStepAliasing(t *testing.T) {
	f, _ := NewFixed(RK8, 2)
	y := []float64{1, 0.5}
	dst := make([]float64, 2)
	f.Step(dst, harmonic(2), 0.1, 0.3, y)
	same := []float64{1, 0.5}
	f.Step(same, harmonic(2), 0.1, 0.3, same)
	if dst[0] != same[0] || dst[1] != same[1] || y[0] != 1 || y[1] != 0.5 {
		t.Errorf("separate %v, aliased %v, input now %v", dst, same, y)
	}
}
