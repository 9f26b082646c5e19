package eulerlag

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// TestInstantiateClosedForms checks the closed-form path of every linear
// example against the boundary conditions and the Euler–Lagrange equation
// (ẍ by finite differences of the path vs the interpreter's Accel), and its
// action against Simpson's rule for ∫ L dt along the path.
func TestInstantiateClosedForms(t *testing.T) {
	closed := map[string]bool{"kinetic": true, "harmonic": true, "inverted": true, "gravity": true,
		"damped": true, "magnetic": true, "anisotropic": true, "bump": false, "conformal": false, "pendulum": false}
	rng := rand.New(rand.NewPCG(21, 22))
	names := make([]string, 0, len(closed))
	for name := range closed {
		names = append(names, name)
	}
	sort.Strings(names) // a fixed order, so the random points are reproducible
	for _, name := range names {
		isClosed := closed[name]
		sys := loadExample(t, name)
		dims := []int{1, 2, 5}
		if sys.Dim > 0 {
			dims = []int{sys.Dim}
		}
		for _, d := range dims {
			if d < sys.MinDim {
				continue
			}
			t.Run(fmt.Sprintf("%s/d=%d", name, d), func(t *testing.T) {
				ls, err := sys.Instantiate(d)
				if err != nil {
					t.Fatal(err)
				}
				cf, ok := ls.(lagrangian.ClosedForm)
				if ok != isClosed {
					t.Fatalf("implements ClosedForm = %v, want %v", ok, isClosed)
				}
				if !ok {
					return
				}
				checkClosedForm(t, ls, cf, randVec(rng, d, 1.5), randVec(rng, d, 1.5))
				// A clone answers the same.
				c := ls.Clone()
				x0, x1 := randVec(rng, d, 1), randVec(rng, d, 1)
				a1, _ := cf.Action(x0, x1)
				a2, err := c.(lagrangian.ClosedForm).Action(x0, x1)
				if err != nil || a1 != a2 {
					t.Errorf("clone's action %v (err %v), original %v", a2, err, a1)
				}
			})
		}
	}
}

func checkClosedForm(t *testing.T, sys lagrangian.System, cf lagrangian.ClosedForm, x0, x1 []float64) {
	t.Helper()
	d := sys.Dim()
	xt, vt, a := make([]float64, d), make([]float64, d), make([]float64, d)
	xp := make([][]float64, 5)
	for k := range xp {
		xp[k] = make([]float64, d)
	}
	for _, end := range []struct {
		t float64
		x []float64
	}{{0, x0}, {1, x1}} {
		if err := cf.Path(xt, vt, end.t, x0, x1); err != nil {
			t.Fatal(err)
		}
		closeVec(t, fmt.Sprintf("x(%g)", end.t), xt, end.x, 1e-13)
	}
	const h = 2e-3
	for _, tm := range []float64{0.13, 0.5, 0.77} {
		for k := range xp {
			if err := cf.Path(xp[k], nil, tm+float64(k-2)*h, x0, x1); err != nil {
				t.Fatal(err)
			}
		}
		if err := cf.Path(xt, vt, tm, x0, x1); err != nil {
			t.Fatal(err)
		}
		sys.Accel(a, tm, xt, vt)
		fdA, fdV := make([]float64, d), make([]float64, d)
		for i := 0; i < d; i++ {
			fdV[i] = (xp[0][i] - 8*xp[1][i] + 8*xp[3][i] - xp[4][i]) / (12 * h)
			fdA[i] = (-xp[0][i] + 16*xp[1][i] - 30*xp[2][i] + 16*xp[3][i] - xp[4][i]) / (12 * h * h)
		}
		closeVec(t, fmt.Sprintf("v(%g) vs finite differences", tm), vt, fdV, 1e-9)
		closeVec(t, fmt.Sprintf("Accel at x(%g) vs finite differences", tm), a, fdA, 1e-9)
	}
	act, err := cf.Action(x0, x1)
	if err != nil {
		t.Fatal(err)
	}
	// Simpson's rule on 2000 intervals.
	const n = 2000
	var s float64
	for k := 0; k <= n; k++ {
		tm := float64(k) / n
		if err := cf.Path(xt, vt, tm, x0, x1); err != nil {
			t.Fatal(err)
		}
		w := 2.0
		switch {
		case k == 0 || k == n:
			w = 1
		case k%2 == 1:
			w = 4
		}
		s += w * sys.L(tm, xt, vt)
	}
	s /= 3 * n
	if math.Abs(act-s) > 1e-9*(1+math.Abs(s)) {
		t.Errorf("action %.15g, Simpson's rule %.15g", act, s)
	}
}

func TestInstantiateConjugatePoint(t *testing.T) {
	sys := loadExample(t, "harmonic")
	ls, err := sys.Instantiate(2)
	if err != nil {
		t.Fatal(err)
	}
	ce := ls.(*ClosedEvaluator)
	x0, x1, xt := []float64{1, 0}, []float64{0, 1}, make([]float64, 2)
	if err := ce.Path(xt, nil, 0.5, x0, x1); err != nil {
		t.Fatal(err)
	}
	if err := ce.SetParam("w", 3.5); err != nil {
		t.Fatal(err)
	}
	if got := ce.Class().String(); !strings.Contains(got, "ω = 3.5; but") {
		t.Errorf("class after w = 3.5: %q", got)
	}
	for _, err := range []error{ce.Path(xt, nil, 0.5, x0, x1), second(ce.Action(x0, x1))} {
		if err == nil || !strings.Contains(err.Error(), "conjugate point at t = π/ω = 0.897598") {
			t.Errorf("w = 3.5: err = %v, want a conjugate-point error", err)
		}
	}
	// Back below π the path is exact again: x(t) for w = 3 at t = 0.5.
	if err := ce.SetParam("w", 3); err != nil {
		t.Fatal(err)
	}
	if err := ce.Path(xt, nil, 0.5, x0, x1); err != nil || math.Abs(xt[0]-math.Sin(1.5)/math.Sin(3)) > 1e-14 {
		t.Errorf("w = 3: x(0.5) = %v (err %v), want sin(1.5)/sin(3)", xt, err)
	}
	if err := ce.SetParam("nope", 1); err == nil {
		t.Error("SetParam accepted an unknown parameter")
	}
}

func second[T any](_ T, err error) error { return err }

func ExampleSystem_Instantiate() {
	src := "param w = pi/2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n"
	sys, err := Load("harmonic.lag", []byte(src), nil)
	if err != nil {
		panic(err)
	}
	ls, err := sys.Instantiate(2)
	if err != nil {
		panic(err)
	}
	cf := ls.(lagrangian.ClosedForm)
	xt, vt := make([]float64, 2), make([]float64, 2)
	_ = cf.Path(xt, vt, 0.5, []float64{1, 0}, []float64{0, 1})
	s, _ := cf.Action([]float64{1, 0}, []float64{0, 2})
	fmt.Printf("x(0.5) = [%.6f %.6f], action %.6f\n", xt[0], xt[1], s)
	// Output: x(0.5) = [0.707107 0.707107], action 0.000000
}
