package experiment

import (
	"math"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// The VP method's Lagrangian has torchcfm's trigonometric interpolant as
// its least-action path: x_t = cos(πt/2)x₀ + sin(πt/2)x₁, with velocity
// π/2·(cos(πt/2)x₁ − sin(πt/2)x₀).
func TestVPLagrangianGivesTrigonometricPaths(t *testing.T) {
	var vp ParityMethod
	for _, m := range ParityMethods {
		if m.Name == "VP" {
			vp = m
		}
	}
	lag, err := eulerlag.Load("vp.lag", []byte(vp.Lagrangian), nil)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := lag.Instantiate(2)
	if err != nil {
		t.Fatal(err)
	}
	cf, ok := sys.(lagrangian.ClosedForm)
	if !ok {
		t.Fatal("the VP Lagrangian has no closed form")
	}
	x0, x1 := []float64{0.3, -1.2}, []float64{2, 0.7}
	xt, vt := make([]float64, 2), make([]float64, 2)
	for _, tt := range []float64{0, 0.2, 0.5, 0.9, 1} {
		if err := cf.Path(xt, vt, tt, x0, x1); err != nil {
			t.Fatal(err)
		}
		c, s := math.Cos(math.Pi/2*tt), math.Sin(math.Pi/2*tt)
		for i := range 2 {
			wx, wv := c*x0[i]+s*x1[i], math.Pi/2*(c*x1[i]-s*x0[i])
			if math.Abs(xt[i]-wx) > 1e-12 || math.Abs(vt[i]-wv) > 1e-12 {
				t.Errorf("t=%g coord %d: path (%.15g, %.15g), trigonometric interpolant (%.15g, %.15g)", tt, i, xt[i], vt[i], wx, wv)
			}
		}
	}
}

// Parity on a tiny instance: every method trains, and its cells are
// finite; the table has a row per method.
func TestParityTinyInstance(t *testing.T) {
	set := DefaultParity()
	set.Seeds, set.Iters, set.N = 1, 20, 64
	cells, err := Parity(&set)
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != len(ParityMethods) {
		t.Fatalf("%d cells, want %d", len(cells), len(ParityMethods))
	}
	for _, c := range cells {
		if !(c.W2 > 0) || math.IsNaN(c.NLL) || math.IsInf(c.NLL, 0) {
			t.Errorf("%s: W2 %v, NLL %v", c.Method, c.W2, c.NLL)
		}
	}
	var b strings.Builder
	if err := WriteParityTable(&b, cells); err != nil || strings.Count(b.String(), "\n") != 2+len(ParityMethods) {
		t.Errorf("table %q, %v", b.String(), err)
	}
}

func TestParityAndConditionalSettingsValidate(t *testing.T) {
	p := DefaultParity()
	p.N = 1
	c := DefaultConditional()
	c.Holdout = 1
	for _, err := range []error{p.Validate(), c.Validate()} {
		if err == nil {
			t.Error("invalid settings passed validation")
		}
	}
	p, c = DefaultParity(), DefaultConditional()
	if err := p.Validate(); err != nil {
		t.Error(err)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}
