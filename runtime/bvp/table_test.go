package bvp

import (
	"math"
	"strings"
	"testing"
)

// TestSolveOnTabulate: the harmonic path from x0 at t0 to x1 at t1, read
// at physical times, equals its closed form
// x(t) = (sin ω(t1−t)·x0 + sin ω(t−t0)·x1)/sin ωT, and so does dx/dt.
func TestSolveOnTabulate(t *testing.T) {
	const w, t0, t1 = 1.0, 1.0, 2.5
	x0, x1 := []float64{1, -2}, []float64{0.5, 3}
	for _, method := range []string{"", Shooting} {
		p, err := SolveOn(harmonic{2, w}, t0, t1, x0, x1, &Settings{Tol: 1e-12, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		ts := []float64{t0, 1.3, 2, t1}
		tab, err := p.Tabulate(ts, t0, t1)
		if err != nil {
			t.Fatal(err)
		}
		s := math.Sin(w * (t1 - t0))
		for i, tt := range ts {
			for j := range x0 {
				x := (math.Sin(w*(t1-tt))*x0[j] + math.Sin(w*(tt-t0))*x1[j]) / s
				v := w * (-math.Cos(w*(t1-tt))*x0[j] + math.Cos(w*(tt-t0))*x1[j]) / s
				if math.Abs(tab.X[i][j]-x) > 1e-7 || math.Abs(tab.V[i][j]-v) > 1e-6 {
					t.Errorf("%q at t=%g: x %g v %g, want %g %g", method, tt, tab.X[i][j], tab.V[i][j], x, v)
				}
			}
		}
		if tab.Method != p.Method || tab.Action != p.Action {
			t.Errorf("table carries %q %g, path %q %g", tab.Method, tab.Action, p.Method, p.Action)
		}
	}
	// A failure off [0, 1] says in which time the solver worked: beyond
	// the conjugate point ωT = π no path is a minimum.
	if _, err := SolveOn(harmonic{1, 4}, 1, 2, []float64{0}, []float64{1}, &Settings{Method: Shooting}); err != nil && !strings.Contains(err.Error(), "reduced time") {
		t.Errorf("error %v does not name the reduced time", err)
	}
}
