package bvp

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

var numericMethods = []string{"", Collocation, Shooting, MultipleShooting}

func methodName(m string) string {
	if m == "" {
		return "auto"
	}
	return m
}

// TestAccelFormulas checks every hand-derived acceleration against the
// Euler–Lagrange equations of its L by finite differences, and every
// AccelJac against finite differences of Accel.
func TestAccelFormulas(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		sys  lagrangian.System
	}{
		{"harmonic", harmonic{3, 1.2}},
		{"repulsive", repulsive{2, 3}},
		{"obstacle", newBump(3, 1)},
		{"hill", newBump(2, -1)},
		{"conformal", conformal{3}},
		{"magnetic", magnetic{1.5}},
		{"driven", driven{2}},
	} {
		d := tc.sys.Dim()
		for trial := 0; trial < 5; trial++ {
			x, v := make([]float64, d), make([]float64, d)
			for i := range x {
				x[i], v[i] = rng.NormFloat64(), rng.NormFloat64()
			}
			tt := rng.Float64()
			a := make([]float64, d)
			tc.sys.Accel(a, tt, x, v)
			for i, r := range elResidual(tc.sys, tt, x, v, a) {
				if math.Abs(r) > 1e-5*(1+math.Abs(a[i])) {
					t.Errorf("%s: Euler–Lagrange residual %g in component %d at x=%v v=%v", tc.name, r, i, x, v)
				}
			}
			jac, ok := tc.sys.(lagrangian.Jacobian)
			if !ok {
				continue
			}
			a2, ax, av := make([]float64, d), make([]float64, d*d), make([]float64, d*d)
			jac.AccelJac(a2, ax, av, tt, x, v)
			z := append(append([]float64{}, x...), v...)
			want := mat.NewDense(d, 2*d, nil)
			fd.Jacobian(want, func(dst, z []float64) { tc.sys.Accel(dst, tt, z[:d], z[d:]) }, z, &fd.JacobianSettings{Formula: fd.Central})
			for i := 0; i < d; i++ {
				if a2[i] != a[i] {
					t.Errorf("%s: AccelJac's a=%v, Accel's %v", tc.name, a2, a)
				}
				for j := 0; j < d; j++ {
					if e := math.Abs(ax[i*d+j] - want.At(i, j)); e > 1e-6 {
						t.Errorf("%s: ∂a%d/∂x%d = %g, finite differences %g", tc.name, i, j, ax[i*d+j], want.At(i, j))
					}
					if e := math.Abs(av[i*d+j] - want.At(i, d+j)); e > 1e-6 {
						t.Errorf("%s: ∂a%d/∂v%d = %g, finite differences %g", tc.name, i, j, av[i*d+j], want.At(i, d+j))
					}
				}
			}
		}
	}
}

// TestLinearPathsMatchClosedForm solves Systems with known solutions that
// do not expose lagrangian.ClosedForm, by every numeric method, and
// compares position, velocity and action with the closed form.
func TestLinearPathsMatchClosedForm(t *testing.T) {
	type exacter interface {
		lagrangian.System
		exact(xt, vt []float64, t float64, x0, x1 []float64)
	}
	for _, tc := range []struct {
		name   string
		sys    exacter
		x0, x1 []float64
	}{
		{"harmonic ω=1.2", harmonic{2, 1.2}, []float64{1, -0.5}, []float64{0.3, 2}},
		{"harmonic ω=1.2 d=3", harmonic{3, 1.2}, []float64{1, -0.5, 4}, []float64{0.3, 2, -3}},
		{"kinetic", harmonic{2, 0}, []float64{-1, 2}, []float64{3, 0.5}},
		{"driven (time-dependent)", driven{3}, []float64{0, 1, 2}, []float64{1, -1, 0}},
	} {
		for _, wrap := range []string{"AccelJac", "finite differences"} {
			var sys lagrangian.System = tc.sys
			if wrap != "AccelJac" {
				sys = noJac{tc.sys}
			}
			for _, m := range numericMethods {
				name := tc.name + "/" + wrap + "/" + methodName(m)
				p, err := Solve(sys, tc.x0, tc.x1, &Settings{Method: m})
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				if m != "" && p.Method != m {
					t.Errorf("%s: Method %q", name, p.Method)
				}
				d := sys.Dim()
				x, v, xe, ve := make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
				var ex, ev float64
				for i := 0; i <= 200; i++ {
					tt := float64(i) / 200
					if err := p.At(x, v, tt); err != nil {
						t.Fatal(err)
					}
					tc.sys.exact(xe, ve, tt, tc.x0, tc.x1)
					for j := range x {
						ex = math.Max(ex, math.Abs(x[j]-xe[j]))
						ev = math.Max(ev, math.Abs(v[j]-ve[j]))
					}
				}
				if ex > 1e-9 || ev > 1e-9 {
					t.Errorf("%s: max error x %.2g, v %.2g", name, ex, ev)
				}
				want := quadAction(sys, func(x, v []float64, tt float64) { tc.sys.exact(x, v, tt, tc.x0, tc.x1) })
				if e := math.Abs(p.Action - want); e > 1e-9*(1+math.Abs(want)) {
					t.Errorf("%s: action %.15g, closed form %.15g", name, p.Action, want)
				}
			}
		}
	}
}

func TestClosedFormIsPreferred(t *testing.T) {
	sys := closedHarmonic{harmonic{2, 1.2}}
	x0, x1 := []float64{1, 0}, []float64{0, 1}
	p, err := Solve(sys, x0, x1, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := sys.Action(x0, x1)
	if p.Method != ClosedForm || p.Action != want || p.Residual > 1e-15 {
		t.Errorf("got Method %q, Action %g (want %g), Residual %g", p.Method, p.Action, want, p.Residual)
	}
	q, err := Solve(sys, x0, x1, &Settings{Method: Collocation})
	if err != nil {
		t.Fatal(err)
	}
	if q.Method != Collocation || math.Abs(q.Action-want) > 1e-10 {
		t.Errorf("forced collocation: Method %q, Action %.15g, want %.15g", q.Method, q.Action, want)
	}
	// The quadrature of the closed-form path checks the closed-form Action.
	if e := math.Abs(quadAction(sys, func(x, v []float64, tt float64) { p.At(x, v, tt) }) - want); e > 1e-12 {
		t.Errorf("closed-form path's action off by %g", e)
	}
}

// TestNonlinearPaths checks paths without a closed form against the laws
// they must obey: the initial-value problem from (x0, v(0)) lands on x1,
// energy is conserved, and random perturbations raise the action.
func TestNonlinearPaths(t *testing.T) {
	x16a, x16b := ends16()
	for _, tc := range []struct {
		name   string
		sys    lagrangian.System
		x0, x1 []float64
		check  func(t *testing.T, p *Path)
	}{
		{"obstacle d=2", newBump(2, 1), []float64{-2, 0.3}, []float64{2, 0.3}, func(t *testing.T, p *Path) {
			x := make([]float64, 2)
			p.At(x, nil, 0.5)
			if x[1] < 0.35 { // the straight line has x₁ = 0.3: the path must bend away
				t.Errorf("midpoint %v: the path does not bend around the obstacle", x)
			}
		}},
		{"obstacle d=2 finite differences", noJac{newBump(2, 1)}, []float64{-2, 0.3}, []float64{2, 0.3}, nil},
		{"hill d=2", newBump(2, -1), []float64{-2, 0.3}, []float64{2, 0.3}, func(t *testing.T, p *Path) {
			x := make([]float64, 2)
			p.At(x, nil, 0.5)
			if x[1] > 0.3 { // pushed outward along the way, so the path sags toward the centre
				t.Errorf("midpoint %v: the path does not sag toward the hill", x)
			}
		}},
		{"obstacle d=16", newBump(16, 1), x16a, x16b, nil},
		{"conformal", conformal{2}, []float64{-1, 0.5}, []float64{1.5, 0.2}, nil},
		{"conformal finite differences", noJac{conformal{3}}, []float64{-1, 0.5, 0}, []float64{1, 0.2, 0.4}, nil},
		{"magnetic", magnetic{2}, []float64{-1, 0.5}, []float64{1, 0.5}, nil},
		{"magnetic finite differences", noJac{magnetic{3}}, []float64{-1, 0.5}, []float64{1, -0.5}, nil},
	} {
		for _, m := range numericMethods {
			if testing.Short() && tc.sys.Dim() > 4 && m == MultipleShooting {
				continue
			}
			name := tc.name + "/" + methodName(m)
			p, err := Solve(tc.sys, tc.x0, tc.x1, &Settings{Method: m})
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			t.Logf("%s: %s, %d iterations, %d steps, residual %.2g, error estimate %.2g, action %.12g", name, p.Method, p.Iterations, p.Steps, p.Residual, p.ErrorEstimate, p.Action)
			if p.Method != Collocation && p.Residual > 1e-10 {
				t.Errorf("%s: boundary residual %g", name, p.Residual)
			}
			d := tc.sys.Dim()
			x, v := make([]float64, d), make([]float64, d)
			p.At(x, v, 0)
			ref := ivp(t, tc.sys, x, v)
			y := make([]float64, 2*d)
			var worst float64
			for i := 0; i <= 100; i++ {
				tt := float64(i) / 100
				p.At(x, v, tt)
				ref.At(y, tt)
				for j := 0; j < d; j++ {
					worst = math.Max(worst, math.Max(math.Abs(x[j]-y[j]), math.Abs(v[j]-y[d+j])))
				}
			}
			ref.At(y, 1)
			var miss float64
			for j := 0; j < d; j++ {
				miss = math.Max(miss, math.Abs(y[j]-tc.x1[j]))
			}
			if miss > 1e-9 || worst > 1e-9 {
				t.Errorf("%s: the initial-value problem from the path's start misses x1 by %.2g and the path by %.2g", name, miss, worst)
			}
			var e0v, emax float64
			for i := 0; i <= 50; i++ {
				tt := float64(i) / 50
				p.At(x, v, tt)
				e := energy(tc.sys, tt, x, v)
				if i == 0 {
					e0v = e
				}
				emax = math.Max(emax, math.Abs(e-e0v))
			}
			if emax > 1e-8*(1+math.Abs(e0v)) {
				t.Errorf("%s: energy drifts by %.2g from %g", name, emax, e0v)
			}
			if q := quadAction(tc.sys, func(x, v []float64, tt float64) { p.At(x, v, tt) }); math.Abs(q-p.Action) > 1e-9*(1+math.Abs(q)) {
				t.Errorf("%s: Action %.15g, quadrature of the path %.15g", name, p.Action, q)
			}
			rng := rand.New(rand.NewPCG(3, 4))
			for _, eps := range []float64{1e-3, 0.1} {
				for _, s := range perturbedActions(tc.sys, p, eps, 8, rng) {
					if s < p.Action-1e-12 {
						t.Errorf("%s: a perturbation (ε=%g) has lower action %.15g < %.15g", name, eps, s, p.Action)
					}
				}
			}
			if tc.check != nil {
				tc.check(t, p)
			}
		}
	}
}

// TestMultipleShootingRescues: with a = λ²x, λ = 30, single shooting
// amplifies every error by e^λ ≈ 1e13 and cannot reach the tolerance;
// multiple shooting can.
func TestMultipleShootingRescues(t *testing.T) {
	sys := repulsive{2, 30}
	x0, x1 := []float64{1, -2}, []float64{-1, 0.5}
	if _, err := Solve(sys, x0, x1, &Settings{Method: Shooting}); !errors.Is(err, ErrNoConvergence) {
		t.Errorf("single shooting: error %v, want ErrNoConvergence", err)
	}
	for _, m := range []string{MultipleShooting, ""} {
		p, err := Solve(sys, x0, x1, &Settings{Method: m})
		if err != nil {
			t.Fatalf("%s: %v", methodName(m), err)
		}
		x, v, xe, ve := make([]float64, 2), make([]float64, 2), make([]float64, 2), make([]float64, 2)
		var ex, ev float64
		for i := 0; i <= 200; i++ {
			tt := float64(i) / 200
			p.At(x, v, tt)
			sys.exact(xe, ve, tt, x0, x1)
			for j := range x {
				ex = math.Max(ex, math.Abs(x[j]-xe[j]))
				ev = math.Max(ev, math.Abs(v[j]-ve[j])/30)
			}
		}
		t.Logf("%s: %s, %d iterations, %d steps, errors x %.2g, v/λ %.2g", methodName(m), p.Method, p.Iterations, p.Steps, ex, ev)
		if ex > 1e-9 || ev > 1e-9 {
			t.Errorf("%s (%s): max error x %.2g, v/λ %.2g", methodName(m), p.Method, ex, ev)
		}
	}
}

func TestConjugatePoint(t *testing.T) {
	for _, tc := range []struct {
		name string
		sys  lagrangian.System
	}{
		// ω between π and 2π: a unique stationary path, but a saddle.
		{"ω=1.2π d=1", harmonic{1, 1.2 * math.Pi}},
		{"ω=1.2π d=3", noJac{harmonic{3, 1.2 * math.Pi}}},
		// Even multiplicities leave every determinant positive: only the
		// second variation tells.
		{"ω=1.2π d=2", harmonic{2, 1.2 * math.Pi}},
		{"ω=2.5π d=1", harmonic{1, 2.5 * math.Pi}},
		{"strong magnetic field", magnetic{7}},
	} {
		d := tc.sys.Dim()
		x0, x1 := make([]float64, d), make([]float64, d)
		for i := range x0 {
			x0[i], x1[i] = 1+float64(i), -0.5*float64(i)
		}
		for _, m := range numericMethods {
			_, err := Solve(tc.sys, x0, x1, &Settings{Method: m})
			if !errors.Is(err, ErrConjugatePoint) {
				t.Errorf("%s/%s: error %v, want ErrConjugatePoint", tc.name, methodName(m), err)
			}
		}
	}
	// ω = π exactly: ∂x(1)/∂v(0) = 0, no path through generic endpoints.
	for _, m := range numericMethods {
		_, err := Solve(harmonic{1, math.Pi}, []float64{1}, []float64{0.5}, &Settings{Method: m})
		if !errors.Is(err, ErrConjugatePoint) && !errors.Is(err, ErrNoConvergence) {
			t.Errorf("ω=π/%s: error %v, want a conjugate point or no convergence", methodName(m), err)
		}
	}
	if _, err := Solve(closedHarmonic{harmonic{1, 4}}, []float64{1}, []float64{2}, nil); err == nil {
		t.Error("closed form with a conjugate point: want its error")
	}
}

func TestDegenerate(t *testing.T) {
	for _, m := range numericMethods {
		_, err := Solve(degenerate{}, []float64{-2, 0}, []float64{2, 0.1}, &Settings{Method: m})
		if !errors.Is(err, ErrDegenerate) || !strings.Contains(err.Error(), "not positive definite") || !strings.Contains(err.Error(), "t=") {
			t.Errorf("%s: error %v, want ErrDegenerate with AccelErr's reason and where", methodName(m), err)
		}
	}
}

func TestBadInput(t *testing.T) {
	sys := newBump(2, 1)
	nan := math.NaN()
	for _, tc := range []struct {
		name   string
		sys    lagrangian.System
		x0, x1 []float64
		set    *Settings
		want   string
	}{
		{"short x0", sys, []float64{1}, []float64{1, 2}, nil, "dimension"},
		{"long x1", sys, []float64{1, 2}, []float64{1, 2, 3}, nil, "dimension"},
		{"NaN endpoint", sys, []float64{nan, 0}, []float64{1, 2}, nil, "not finite"},
		{"Inf endpoint", sys, []float64{0, 0}, []float64{math.Inf(1), 2}, nil, "not finite"},
		{"negative Tol", sys, []float64{0, 0}, []float64{1, 2}, &Settings{Tol: -1}, "Tol"},
		{"unknown method", sys, []float64{0, 0}, []float64{1, 2}, &Settings{Method: "magic"}, "unknown Method"},
		{"segments", sys, []float64{0, 0}, []float64{1, 2}, &Settings{Segments: 3}, "Segments"},
		{"steps", sys, []float64{0, 0}, []float64{1, 2}, &Settings{Steps: 64, MaxSteps: 32}, "Steps"},
		{"no closed form", sys, []float64{0, 0}, []float64{1, 2}, &Settings{Method: ClosedForm}, "no closed form"},
		{"nil System", nil, []float64{0, 0}, []float64{1, 2}, nil, "nil System"},
	} {
		_, err := Solve(tc.sys, tc.x0, tc.x1, tc.set)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	var p Path
	if err := p.At(nil, nil, 0.5); err == nil {
		t.Error("At on an empty Path: want an error")
	}
	good, _ := Solve(sys, []float64{0, 0}, []float64{1, 2}, nil)
	if err := good.At(make([]float64, 2), nil, 1.5); err == nil {
		t.Error("At outside [0, 1]: want an error")
	}
	if err := good.At(make([]float64, 1), nil, 0.5); err == nil {
		t.Error("At with a short slice: want an error")
	}
}

func TestSolverDoesNotAllocate(t *testing.T) {
	for _, m := range []string{Collocation, Shooting, MultipleShooting} {
		s, err := NewSolver(newBump(2, 1), &Settings{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		var p Path
		x0, x1 := []float64{-2, 0.3}, []float64{2, 0.3}
		if err := s.Solve(&p, x0, x1); err != nil { // warm up the buffers
			t.Fatal(err)
		}
		if a := testing.AllocsPerRun(5, func() { s.Solve(&p, x0, x1) }); a != 0 {
			t.Errorf("%s: %v allocations per solve", m, a)
		}
	}
}

// TestPathAtConcurrent evaluates one Path from several goroutines (run
// with -race) and checks that At does not allocate, even in d=40.
func TestPathAtConcurrent(t *testing.T) {
	const d = 40
	x0, x1 := make([]float64, d), make([]float64, d)
	for i := range x0 {
		x0[i], x1[i] = float64(i)/d, 1-float64(i)/d
	}
	sys := harmonic{d, 1.2}
	p, err := Solve(sys, x0, x1, nil)
	if err != nil {
		t.Fatal(err)
	}
	x, v := make([]float64, d), make([]float64, d)
	if a := testing.AllocsPerRun(10, func() { p.At(x, v, 0.37) }); a != 0 {
		t.Errorf("At allocates %v times", a)
	}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func() {
			x, v, xe, ve := make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
			for i := 0; i <= 100; i++ {
				tt := float64(i) / 100
				p.At(x, v, tt)
				sys.exact(xe, ve, tt, x0, x1)
				for j := range x {
					if math.Abs(x[j]-xe[j]) > 1e-9 || math.Abs(v[j]-ve[j]) > 1e-9 {
						done <- errors.New("concurrent At disagrees with the closed form")
						return
					}
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
