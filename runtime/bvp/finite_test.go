package bvp

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// logOfNegative is ½|v|² + log(−1 − |x|²)·c: its acceleration,
// 2c·x/(1 + |x|²), is finite everywhere, but L itself is NaN everywhere,
// as the text `log(-1 - |x|^2)` makes it.
type logOfNegative struct{ c float64 }

func (logOfNegative) Dim() int { return 2 }
func (s logOfNegative) L(t float64, x, v []float64) float64 {
	return 0.5*(v[0]*v[0]+v[1]*v[1]) + s.c*math.Log(-1-x[0]*x[0]-x[1]*x[1])
}
func (s logOfNegative) Accel(dst []float64, t float64, x, v []float64) {
	r := 1 + x[0]*x[0] + x[1]*x[1]
	dst[0], dst[1] = 2*s.c*x[0]/r, 2*s.c*x[1]/r
}
func (s logOfNegative) Clone() lagrangian.System { return s }

func TestNonFiniteLagrangianIsNotAConjugatePoint(t *testing.T) {
	_, err := Solve(logOfNegative{c: 0.1}, []float64{1, 0}, []float64{0, 1}, nil)
	if !errors.Is(err, ErrNotFinite) {
		t.Fatalf("Solve = %v, want ErrNotFinite", err)
	}
	if errors.Is(err, ErrConjugatePoint) || strings.Contains(err.Error(), "conjugate") {
		t.Errorf("error %q blames a conjugate point", err)
	}
	if !strings.Contains(err.Error(), "NaN at t=") {
		t.Errorf("error %q does not say where", err)
	}
}
