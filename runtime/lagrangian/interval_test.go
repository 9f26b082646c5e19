package lagrangian

import (
	"math"
	"testing"
)

// harmonic is a hand-written closed-form System on [0, 1], as generated
// code is: ½|v|² − ½ω²|x|², with an optional force t·e₀ that makes it
// time-dependent (and its "closed form" then wrong off [0, 1]).
type harmonic struct {
	w     float64
	drive bool
}

func (h harmonic) Dim() int { return 2 }
func (h harmonic) L(t float64, x, v []float64) float64 {
	l := 0.5*(v[0]*v[0]+v[1]*v[1]) - 0.5*h.w*h.w*(x[0]*x[0]+x[1]*x[1])
	if h.drive {
		l += t * x[0]
	}
	return l
}
func (h harmonic) Accel(dst []float64, t float64, x, v []float64) {
	for i := range 2 {
		dst[i] = -h.w * h.w * x[i]
	}
	if h.drive {
		dst[0] += t
	}
}
func (h harmonic) Clone() System { return h }
func (h harmonic) Path(xt, vt []float64, t float64, x0, x1 []float64) error {
	for i := range 2 {
		xt[i] = (x0[i]*math.Sin(h.w*(1-t)) + x1[i]*math.Sin(h.w*t)) / math.Sin(h.w)
	}
	return nil
}
func (h harmonic) Action(x0, x1 []float64) (float64, error) { return 0, nil }

func TestOnIntervalKeepsClosedForm(t *testing.T) {
	const w = 1.1
	ta, tb := 1.5, 3.5
	in, err := OnInterval(harmonic{w: w}, ta, tb)
	if err != nil {
		t.Fatal(err)
	}
	cf, ok := in.(ClosedForm)
	if !ok {
		t.Fatalf("OnInterval lost the closed form (%T)", in)
	}
	x0, x1, x := []float64{1, -0.5}, []float64{0.3, 2}, make([]float64, 2)
	for _, s := range []float64{0.2, 0.5, 0.9} {
		if err := cf.Path(x, make([]float64, 2), s, x0, x1); err != nil {
			t.Fatal(err)
		}
		tt := ta + (tb-ta)*s
		for i := range x {
			want := (x0[i]*math.Sin(w*(tb-tt)) + x1[i]*math.Sin(w*(tt-ta))) / math.Sin(w*(tb-ta))
			if math.Abs(x[i]-want) > 1e-12 {
				t.Errorf("s=%g: x_%d = %g, want %g", s, i, x[i], want)
			}
		}
	}
	// ω(tb − ta) = 2.2·… past π on a longer interval: a conjugate point.
	long, _ := OnInterval(harmonic{w: w}, 0, 3)
	if _, err := long.(ClosedForm).Action(x0, x1); err == nil {
		t.Errorf("ωT = 3.3 > π: want a conjugate-point error")
	}
	// A time-dependent System keeps no closed form off [0, 1].
	drv, _ := OnInterval(harmonic{w: w, drive: true}, ta, tb)
	if _, ok := drv.(ClosedForm); ok {
		t.Errorf("time-dependent acceleration: the interval system claims a closed form")
	}
	if _, ok := drv.(Jacobian); ok {
		t.Errorf("the inner system has no Jacobian, so the interval system must not claim one")
	}
}
