package codegen

// driverSrc is the test run on the generated code by TestGeneratedCode; the
// table of systems replaces the TABLE line. It checks the generated methods
// against the interpreter (eulerlag) at random points, closed-form paths
// against the Euler–Lagrange equation by finite differences, and numeric
// paths against runtime/bvp on the interpreter.
const driverSrc = `package gentest

import (
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/bvp"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

var systems = []struct {
	name, file string
	dims       []int
	make       func(d int) (lagrangian.System, error)
}{
// TABLE
}

func randVec(rng *rand.Rand, d int, s float64) []float64 {
	x := make([]float64, d)
	for i := range x {
		x[i] = s * (2*rng.Float64() - 1)
	}
	return x
}

func scale(x ...[]float64) float64 {
	m := 1.0
	for _, v := range x {
		for _, e := range v {
			m = math.Max(m, math.Abs(e))
		}
	}
	return m
}

func closeVec(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	sc := scale(want)
	for i := range want {
		if !(math.Abs(got[i]-want[i]) <= tol*sc) {
			t.Errorf("%s[%d] = %.17g, want %.17g", what, i, got[i], want[i])
			return
		}
	}
}

func TestMatchesInterpreter(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range systems {
		src, err := os.ReadFile(s.file)
		if err != nil {
			t.Fatal(err)
		}
		sys, err := eulerlag.Load(s.file, src, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range s.dims {
			gen, err := s.make(d)
			if err != nil {
				t.Fatalf("%s d=%d: %v", s.name, d, err)
			}
			ev, err := sys.Evaluator(d)
			if err != nil {
				t.Fatal(err)
			}
			if gen.Dim() != d {
				t.Errorf("%s: Dim() = %d, want %d", s.name, gen.Dim(), d)
			}
			a, b := make([]float64, d), make([]float64, d)
			ax, av, bx, bv := make([]float64, d*d), make([]float64, d*d), make([]float64, d*d), make([]float64, d*d)
			x, v := randVec(rng, d, 1.5), randVec(rng, d, 0.3)
			for trial := 0; trial < 20; trial++ {
				x, v = randVec(rng, d, 1.5), randVec(rng, d, 0.3)
				tt := rng.Float64()
				gen.Accel(a, tt, x, v)
				ev.Accel(b, tt, x, v)
				closeVec(t, s.name+" Accel", a, b, 1e-12)
				if gl, il := gen.L(tt, x, v), ev.L(tt, x, v); !(math.Abs(gl-il) <= 1e-12*math.Max(1, math.Abs(il))) {
					t.Errorf("%s: L = %.17g, interpreter %.17g", s.name, gl, il)
				}
				if j, ok := gen.(lagrangian.Jacobian); ok {
					j.AccelJac(a, ax, av, tt, x, v)
					ev.AccelJac(b, bx, bv, tt, x, v)
					closeVec(t, s.name+" ∂a/∂x", ax, bx, 1e-12)
					closeVec(t, s.name+" ∂a/∂v", av, bv, 1e-12)
				}
			}
			if n := testing.AllocsPerRun(10, func() {
				gen.Accel(a, 0.5, x, v)
				_ = gen.L(0.5, x, v)
				if j, ok := gen.(lagrangian.Jacobian); ok {
					j.AccelJac(a, ax, av, 0.5, x, v)
				}
			}); n != 0 {
				t.Errorf("%s: %v allocations per Accel+L+AccelJac", s.name, n)
			}
			checkPaths(t, rng, s.name, sys, ev, gen, d)
		}
	}
}

func checkPaths(t *testing.T, rng *rand.Rand, name string, sys *eulerlag.System, ev *eulerlag.Evaluator, gen lagrangian.System, d int) {
	inst, err := sys.Instantiate(d)
	if err != nil {
		t.Fatal(err)
	}
	gcf := gen.(lagrangian.ClosedForm)
	x0, x1 := randVec(rng, d, 1), randVec(rng, d, 1)
	icf, closed := inst.(lagrangian.ClosedForm)
	if !closed {
		// Numeric solves stay where every example is regular (the
		// relativistic one needs |v| < 1).
		x0, x1 = randVec(rng, d, 0.2), randVec(rng, d, 0.2)
	}
	xt, vt, xi, vi := make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
	if !closed {
		p, err := bvp.Solve(ev, x0, x1, nil)
		if err != nil {
			t.Fatalf("%s: bvp on the interpreter: %v", name, err)
		}
		for _, tm := range []float64{0, 0.3, 1} {
			if err := gcf.Path(xt, vt, tm, x0, x1); err != nil {
				t.Fatalf("%s: Path: %v", name, err)
			}
			if err := p.At(xi, vi, tm); err != nil {
				t.Fatal(err)
			}
			closeVec(t, name+" numeric x(t)", xt, xi, 1e-8)
			closeVec(t, name+" numeric v(t)", vt, vi, 1e-7)
		}
		act, err := gcf.Action(x0, x1)
		if err != nil || !(math.Abs(act-p.Action) <= 1e-8*math.Max(1, math.Abs(act))) {
			t.Errorf("%s: Action = %.15g (err %v), bvp on the interpreter %.15g", name, act, err, p.Action)
		}
		return
	}
	for _, tm := range []float64{0, 0.3, 0.7, 1} {
		if err := gcf.Path(xt, vt, tm, x0, x1); err != nil {
			t.Fatalf("%s: Path: %v", name, err)
		}
		if err := icf.Path(xi, vi, tm, x0, x1); err != nil {
			t.Fatal(err)
		}
		closeVec(t, name+" x(t)", xt, xi, 1e-12)
		closeVec(t, name+" v(t)", vt, vi, 1e-12)
	}
	closeVec(t, name+" x(1)", func() []float64 { _ = gcf.Path(xt, nil, 1, x0, x1); return xt }(), x1, 1e-13)
	ga, err := gcf.Action(x0, x1)
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(10, func() {
		_ = gcf.Path(xt, vt, 0.3, x0, x1)
		_, _ = gcf.Action(x0, x1)
	}); n != 0 {
		t.Errorf("%s: %v allocations per closed-form Path+Action", name, n)
	}
	ia, _ := icf.Action(x0, x1)
	if !(math.Abs(ga-ia) <= 1e-12*math.Max(1, math.Abs(ia))) {
		t.Errorf("%s: Action = %.17g, interpreter %.17g", name, ga, ia)
	}
	// The Euler–Lagrange equation along the generated path: ẍ by
	// fourth-order finite differences against Accel.
	const h = 2e-3
	xp := make([][]float64, 5)
	for k := range xp {
		xp[k] = make([]float64, d)
		_ = gcf.Path(xp[k], nil, 0.4+float64(k-2)*h, x0, x1)
	}
	_ = gcf.Path(xt, vt, 0.4, x0, x1)
	a, fd := make([]float64, d), make([]float64, d)
	gen.Accel(a, 0.4, xt, vt)
	for i := range fd {
		fd[i] = (-xp[0][i] + 16*xp[1][i] - 30*xp[2][i] + 16*xp[3][i] - xp[4][i]) / (12 * h * h)
	}
	closeVec(t, name+" ẍ by finite differences vs Accel", fd, a, 1e-9)
}

// TestInvertedLargeOmega compares the generated inverted oscillator with
// the interpreter where sinh(ω) overflows (ω > 710): both paths must stay
// finite and agree, and the action is ω/2·(|x0|²+|x1|²) to rounding.
func TestInvertedLargeOmega(t *testing.T) {
	var file string
	for _, s := range systems {
		if s.name == "inverted" {
			file = s.file
		}
	}
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	x0, x1 := []float64{1, 0}, []float64{0, 1}
	xt, vt, xi, vi := make([]float64, 2), make([]float64, 2), make([]float64, 2), make([]float64, 2)
	for _, w := range []float64{710, 1e4} {
		sys, err := eulerlag.Load(file, src, map[string]float64{"w": w})
		if err != nil {
			t.Fatal(err)
		}
		inst, err := sys.Instantiate(2)
		if err != nil {
			t.Fatal(err)
		}
		icf := inst.(lagrangian.ClosedForm)
		gen, err := NewInverted(2)
		if err != nil {
			t.Fatal(err)
		}
		gen.W = w
		for _, tm := range []float64{0, 1e-3, 0.5, 0.999, 1} {
			if err := gen.Path(xt, vt, tm, x0, x1); err != nil {
				t.Fatalf("ω=%g t=%g: generated Path: %v", w, tm, err)
			}
			if err := icf.Path(xi, vi, tm, x0, x1); err != nil {
				t.Fatalf("ω=%g t=%g: interpreter Path: %v", w, tm, err)
			}
			for i := range xt {
				if math.IsNaN(xt[i]+vt[i]) || math.IsInf(xt[i]+vt[i], 0) {
					t.Fatalf("ω=%g t=%g: x = %v, v = %v", w, tm, xt, vt)
				}
			}
			closeVec(t, "inverted large-ω x(t)", xt, xi, 1e-12)
			closeVec(t, "inverted large-ω v(t)", vt, vi, 1e-12)
		}
		ga, gerr := gen.Action(x0, x1)
		ia, ierr := icf.Action(x0, x1)
		if gerr != nil || ierr != nil || !(math.Abs(ga-w) <= 1e-12*w) || ga != ia {
			t.Errorf("ω=%g: action %.17g (err %v), interpreter %.17g (err %v), want ω = %g", w, ga, gerr, ia, ierr, w)
		}
	}
}

func TestConstructorsAndConjugatePoints(t *testing.T) {
	if _, err := NewHarmonic(0); err == nil {
		t.Error("NewHarmonic(0) accepted")
	}
	if _, err := NewGravity(1); err == nil || !strings.Contains(err.Error(), "at least 2") {
		t.Errorf("NewGravity(1): err = %v, want a dimension error", err)
	}
	h, _ := NewHarmonic(2)
	x0, x1, xt := []float64{1, 0}, []float64{0, 1}, make([]float64, 2)
	if err := h.Path(xt, nil, 0.5, x0, x1); err != nil || math.Abs(xt[0]-math.Sqrt(0.5)) > 1e-15 {
		t.Errorf("harmonic x(0.5) = %v (err %v)", xt, err)
	}
	h.W = 3.5
	if err := h.Path(xt, nil, 0.5, x0, x1); err == nil || !strings.Contains(err.Error(), "conjugate point") {
		t.Errorf("harmonic with W = 3.5: err = %v, want a conjugate point", err)
	}
	if _, err := h.Action(x0, x1); err == nil {
		t.Error("harmonic with W = 3.5: Action has no error")
	}
	c := h.Clone().(*Harmonic)
	if c.W != 3.5 {
		t.Errorf("Clone lost W: %v", c.W)
	}
	h.W = 3
	if err := h.Path(xt, nil, 0.5, x0, x1); err != nil || math.Abs(xt[0]-math.Sin(1.5)/math.Sin(3)) > 1e-14 {
		t.Errorf("harmonic with W = 3: x(0.5) = %v (err %v)", xt, err)
	}
}
`
