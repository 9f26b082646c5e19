package eulerlag

import (
	"math"
	"testing"
)

// TestAccelParams checks the symbolic ∂a/∂θ against central differences of
// the acceleration in the parameter, for a scalar mass, a parameter the
// acceleration ignores, and a general mass matrix.
func TestAccelParams(t *testing.T) {
	cases := []struct {
		src    string
		names  []string
		unused []bool
	}{
		{"param w = 1.3\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", []string{"w"}, []bool{false}},
		{"param A = 2\nparam s = 0.8\nparam m = 1.5\nL = m*(0.5*|v|^2 + A*exp(-|x|^2/s^2))", []string{"A", "s", "m"}, []bool{false, false, true}},
		{"param a = 0.7\nparam k = 0.4\nL = 0.5*|v|^2 + 0.5*k*dot(x, v)^2 - 0.5*a*|x|^2 + a*t*x[0]", []string{"k", "a"}, []bool{false, false}},
	}
	for _, c := range cases {
		sys, err := Load("p.lag", []byte(c.src), nil)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := sys.Evaluator(2)
		if err != nil {
			t.Fatal(err)
		}
		ap, err := ev.AccelParams(c.names)
		if err != nil {
			t.Fatal(err)
		}
		x, v := []float64{0.3, -0.6}, []float64{0.5, 0.2}
		a := make([]float64, 2)
		da := make([]float64, 2*len(c.names))
		if err := ap.Eval(a, da, 0.4, x, v); err != nil {
			t.Fatal(err)
		}
		for k, name := range c.names {
			if ap.Used(k) == c.unused[k] {
				t.Errorf("%s: Used(%s) = %v", c.src, name, ap.Used(k))
			}
			var base float64
			for _, q := range ev.params {
				if q.Name == name {
					base = q.Value
				}
			}
			const h = 1e-5
			ap1, am1 := make([]float64, 2), make([]float64, 2)
			_ = ev.SetParam(name, base+h)
			ev.Accel(ap1, 0.4, x, v)
			_ = ev.SetParam(name, base-h)
			ev.Accel(am1, 0.4, x, v)
			_ = ev.SetParam(name, base)
			for i := range 2 {
				fd := (ap1[i] - am1[i]) / (2 * h)
				if math.Abs(da[k*2+i]-fd) > 1e-7*(1+math.Abs(fd)) {
					t.Errorf("%q ∂a_%d/∂%s = %g, finite differences %g", c.src, i, name, da[k*2+i], fd)
				}
			}
		}
		// The derivatives follow SetParam.
		_ = ev.SetParam(c.names[0], 0.9)
		a2 := make([]float64, 2)
		if err := ap.Eval(a2, da, 0.4, x, v); err != nil {
			t.Fatal(err)
		}
		want := make([]float64, 2)
		ev.Accel(want, 0.4, x, v)
		if a2[0] != want[0] || a2[1] != want[1] {
			t.Errorf("%q: after SetParam Eval's a = %v, Accel %v", c.src, a2, want)
		}
	}
	sys, _ := Load("p.lag", []byte("param w = 1\nL = 0.5*|v|^2 - w*|x|^2"), nil)
	ev, _ := sys.Evaluator(1)
	if _, err := ev.AccelParams([]string{"q"}); err == nil {
		t.Errorf("unknown parameter accepted")
	}
}
