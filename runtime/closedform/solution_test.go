package closedform

import (
	"math"
	"strings"
	"testing"
)

func TestSolutionFromAccel(t *testing.T) {
	const w, g, B = 1.3, 0.5, 0.8
	sq := func(x []float64) (s float64) {
		for _, e := range x {
			s += e * e
		}
		return s
	}
	tests := []struct {
		name      string
		d         int
		iso       bool
		accel     func(dst []float64, t float64, x, v []float64)
		L         func(t float64, x, v []float64) float64
		kind      Kind
		canonical bool
		exact     func(x0, x1 []float64) float64 // the action, nil if no formula
	}{
		{name: "harmonic", d: 3, iso: true,
			accel: func(dst []float64, t float64, x, v []float64) {
				for i := range x {
					dst[i] = -w * w * x[i]
				}
			},
			L:    func(t float64, x, v []float64) float64 { return 0.5*sq(v) - 0.5*w*w*sq(x) },
			kind: Harmonic, canonical: true,
			exact: func(x0, x1 []float64) float64 {
				var dot float64
				for i := range x0 {
					dot += x0[i] * x1[i]
				}
				return w / (2 * math.Sin(w)) * ((sq(x0)+sq(x1))*math.Cos(w) - 2*dot)
			}},
		{name: "heavy free particle", d: 2, iso: true,
			accel: func(dst []float64, t float64, x, v []float64) { clear(dst) },
			L:     func(t float64, x, v []float64) float64 { return 1.5 * sq(v) },
			kind:  Straight, canonical: false,
			exact: func(x0, x1 []float64) float64 { return 1.5 * (sq([]float64{x1[0] - x0[0], x1[1] - x0[1]})) }},
		{name: "damped", d: 2, iso: true,
			accel: func(dst []float64, t float64, x, v []float64) {
				for i := range x {
					dst[i] = -w*w*x[i] - g*v[i]
				}
			},
			L:    func(t float64, x, v []float64) float64 { return math.Exp(g*t) * (0.5*sq(v) - 0.5*w*w*sq(x)) },
			kind: Damped},
		{name: "magnetic", d: 2,
			accel: func(dst []float64, t float64, x, v []float64) { dst[0], dst[1] = B*v[1], -B*v[0] },
			L: func(t float64, x, v []float64) float64 {
				return 0.5*sq(v) + B/2*(x[0]*v[1]-x[1]*v[0])
			},
			kind: Matrix},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.d, tc.accel, tc.L, tc.iso)
			if err != nil {
				t.Fatal(err)
			}
			if s.Kind() != tc.kind || s.Canonical() != tc.canonical {
				t.Errorf("kind %v canonical %v, want %v %v", s.Kind(), s.Canonical(), tc.kind, tc.canonical)
			}
			x0, x1 := make([]float64, tc.d), make([]float64, tc.d)
			for i := range x0 {
				x0[i], x1[i] = 1-0.3*float64(i), -0.5+0.7*float64(i)
			}
			got, err := s.Action(x0, x1)
			if err != nil {
				t.Fatal(err)
			}
			want := simpson(s, tc.L, x0, x1)
			if tc.exact != nil {
				want = tc.exact(x0, x1)
			}
			if math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
				t.Errorf("action %.15g, want %.15g", got, want)
			}
			xt := make([]float64, tc.d)
			if err := s.Path(xt, nil, 1, x0, x1); err != nil || math.Abs(xt[0]-x1[0]) > 1e-12 {
				t.Errorf("x(1) = %v (err %v), want %v", xt, err, x1)
			}
		})
	}
}

func TestSolutionRejectsNonlinear(t *testing.T) {
	pendulum := func(dst []float64, t float64, x, v []float64) {
		for i := range x {
			dst[i] = -math.Sin(x[i])
		}
	}
	L := func(t float64, x, v []float64) float64 { return 0 }
	if _, err := New(2, pendulum, L, true); err == nil || !strings.Contains(err.Error(), "not of the form A x + B v + c") {
		t.Errorf("pendulum: err = %v", err)
	}
	if _, err := New(2, nil, L, true); err == nil {
		t.Error("nil accel accepted")
	}
	if _, err := New(0, pendulum, L, true); err == nil {
		t.Error("d = 0 accepted")
	}
}
