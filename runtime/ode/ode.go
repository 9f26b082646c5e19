package ode

import (
	"fmt"
	"math"
)

// Func evaluates the right-hand side f(t, y) of y' = f(t, y) into dst.
// It must not retain dst or y, and must not modify y.
type Func func(dst []float64, t float64, y []float64)

// Stats counts the work an integration did.
type Stats struct {
	Steps    int // accepted steps
	Rejected int // steps rejected by error control
	Evals    int // evaluations of the right-hand side (NFE)
}

// checkState reports the first non-finite component of y, if any.
func checkState(t float64, y []float64) error {
	for i, yi := range y {
		if math.IsNaN(yi) || math.IsInf(yi, 0) {
			return fmt.Errorf("ode: state component %d is %v at t=%g; the right-hand side overflowed or is undefined there (try smaller steps or check f)", i, yi, t)
		}
	}
	return nil
}

func checkSpan(t0, t1 float64) error {
	if math.IsNaN(t0) || math.IsNaN(t1) || math.IsInf(t0, 0) || math.IsInf(t1, 0) {
		return fmt.Errorf("ode: time span [%g, %g] is not finite", t0, t1)
	}
	return nil
}
