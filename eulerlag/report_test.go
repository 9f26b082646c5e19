package eulerlag

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestSubstituteParams(t *testing.T) {
	src := "# oscillator\nparam w = pi/2 in [0, 3]  # frequency\nparam m=1\nL = 0.5*m*|v|^2 - 0.5*w^2*|x|^2\n"
	out, err := SubstituteParams("h.lag", []byte(src), map[string]float64{"w": 1.25, "m": 0.5})
	if err != nil {
		t.Fatal(err)
	}
	want := "# oscillator\nparam w = 1.25 in [0, 3]  # frequency\nparam m=0.5\nL = 0.5*m*|v|^2 - 0.5*w^2*|x|^2\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	sys, err := Load("h.lag", out, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sys.Params {
		if p.Name == "w" && (p.Value != 1.25 || p.Lower != 0 || p.Upper != 3) {
			t.Errorf("w reads back as %+v", p)
		}
	}
	if _, err := SubstituteParams("h.lag", []byte(src), map[string]float64{"k": 1}); err == nil || !strings.Contains(err.Error(), "param k") {
		t.Errorf("unknown parameter: %v", err)
	}
	// A value outside the declared bounds makes a file that does not load.
	if _, err := SubstituteParams("h.lag", []byte(src), map[string]float64{"w": 5}); err == nil || !strings.Contains(err.Error(), "does not load") {
		t.Errorf("out-of-bounds value: %v", err)
	}
}

func TestWriteDerivation(t *testing.T) {
	sys, err := Load("h.lag", []byte("param w = 2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, latex := range []bool{false, true} {
		var b bytes.Buffer
		if err := sys.WriteDerivation(&b, "h.lag", latex); err != nil {
			t.Fatal(err)
		}
		c := "# "
		if latex {
			c = "% "
		}
		s := b.String()
		for _, want := range []string{c + "Euler–Lagrange equations of h.lag (any dimension)", c + "param w = 2", c + "M = I", c + sys.Classify().String()} {
			if !strings.Contains(s, want) {
				t.Errorf("latex %v: output lacks %q:\n%s", latex, want, s)
			}
		}
		if latex != strings.Contains(s, `\begin{align*}`) {
			t.Errorf("latex %v: align* environment present = %v", latex, !latex)
		}
	}
}

// TestAccelerations checks a = −w²x of the harmonic oscillator and the
// refusals of bad states.
func TestAccelerations(t *testing.T) {
	sys, err := Load("h.lag", []byte("param w = 2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t0, nan := 0.3, math.NaN()
	got, err := sys.Accelerations(2, []State{{T: &t0, X: []float64{1, -0.5}, V: []float64{3, 3}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || math.Abs(got[0][0]+4) > 1e-12 || math.Abs(got[0][1]-2) > 1e-12 {
		t.Errorf("a = %v, want [-4 2]", got)
	}
	for _, c := range []struct {
		s    State
		want string
	}{
		{State{T: &t0, X: []float64{1}, V: []float64{0, 0}}, "want 2"},
		{State{T: &t0, X: []float64{nan, 0}, V: []float64{0, 0}}, "non-finite"},
		{State{T: &nan, X: []float64{0, 0}, V: []float64{0, 0}}, "not finite"},
		{State{X: []float64{0, 0}, V: []float64{0, 0}}, "no time"},
	} {
		if _, err := sys.Accelerations(2, []State{c.s}); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "point 0") {
			t.Errorf("%+v: %v, want an error about point 0 containing %q", c.s, err, c.want)
		}
	}
}

func TestDimFor(t *testing.T) {
	anyDim, err := Load("a.lag", []byte("L = 0.5*|v|^2"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ given, fallback, want int }{{3, 5, 3}, {0, 5, 5}, {0, 0, 1}} {
		if got := anyDim.DimFor(c.given, c.fallback); got != c.want {
			t.Errorf("DimFor(%d, %d) = %d, want %d", c.given, c.fallback, got, c.want)
		}
	}
	fixed := &System{Dim: 2}
	if got := fixed.DimFor(0, 7); got != 2 {
		t.Errorf("fixed dimension: DimFor(0, 7) = %d, want 2", got)
	}
	atLeast := &System{MinDim: 3}
	if got := atLeast.DimFor(0, 0); got != 3 {
		t.Errorf("minimum dimension: DimFor(0, 0) = %d, want 3", got)
	}
}
