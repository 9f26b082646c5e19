package fm

import (
	"errors"
	"fmt"
	"math"
)

// Validate reports every setting that Sample would refuse or that cannot
// work, in the concepts' words: the ODE solver, its steps, its tolerances
// and the network threads. A zero field means its default.
func (s *SampleSettings) Validate() error {
	var errs []error
	switch s.Solver {
	case "", Euler, Midpoint, RK4, Adaptive:
	default:
		errs = append(errs, fmt.Errorf("ODE solver %q: want euler, midpoint, rk4 or dopri5", s.Solver))
	}
	if s.Steps < 0 {
		errs = append(errs, fmt.Errorf("solver steps %d: must be at least 1", s.Steps))
	}
	for _, tol := range []float64{s.RelTol, s.AbsTol} {
		if tol < 0 || math.IsNaN(tol) || math.IsInf(tol, 0) {
			errs = append(errs, fmt.Errorf("solver tolerance %v: must be positive and finite", tol))
		}
	}
	if s.Solver == Adaptive && s.RelTol > 0 && s.RelTol < 1e-14 {
		errs = append(errs, fmt.Errorf("solver tolerance %g: below what float64 arithmetic can deliver; use 1e-14 or more", s.RelTol))
	}
	if s.Threads < 0 {
		errs = append(errs, fmt.Errorf("network threads %d: must be 0 (all cores) or positive", s.Threads))
	}
	return errors.Join(errs...)
}
