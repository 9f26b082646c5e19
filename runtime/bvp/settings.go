package bvp

import (
	"errors"
	"fmt"
	"math"
)

// Method names, as reported in Path.Method and accepted by Settings.Method.
const (
	ClosedForm       = "closed-form"
	Collocation      = "collocation"
	Shooting         = "shooting"
	MultipleShooting = "multiple-shooting"
)

// Errors a solve can wrap; test with errors.Is.
var (
	// ErrConjugatePoint: the stationary path through the endpoints is not
	// unique or not a minimum of the action.
	ErrConjugatePoint = errors.New("bvp: a conjugate point: the path through these endpoints is not unique / not a minimum")
	// ErrNoConvergence: Newton's method did not reach the tolerance.
	ErrNoConvergence = errors.New("bvp: no convergence")
	// ErrDegenerate: the acceleration is undefined (NaN) on the way,
	// typically a singular or indefinite ∂²L/∂v².
	ErrDegenerate = errors.New("bvp: the Lagrangian is degenerate")
)

// Settings tune a solve. A nil *Settings means the defaults listed with
// each field.
type Settings struct {
	// Tol is the accuracy asked of numeric paths. Shooting methods stop
	// when the boundary residual |x(1) − x1| (Euclidean) and the estimated
	// integration error are both below it; collocation when the estimated
	// error of x(t) and v(t) is. Default 1e-10.
	Tol float64
	// MaxIter bounds the Newton iterations of each shooting attempt. Default 40.
	MaxIter int
	// Steps is the number of intervals of the first fine Chebyshev grid
	// (collocation) or of RK8 steps (shooting); grids grow while the error
	// estimate exceeds Tol. Default 16.
	Steps int
	// MaxSteps caps the growth. Default 2048.
	MaxSteps int
	// Segments is the number of multiple-shooting segments. It must divide
	// Steps. Default 8.
	Segments int
	// Method forces one method: ClosedForm (an error if the System has
	// none), Collocation, Shooting or MultipleShooting, with no fallback.
	// The default "" uses the closed form when there is one, else tries
	// collocation, shooting and multiple shooting in turn.
	Method string
}

func (s *Settings) withDefaults() (Settings, error) {
	var o Settings
	if s != nil {
		o = *s
	}
	if o.Tol == 0 {
		o.Tol = 1e-10
	}
	if o.MaxIter == 0 {
		o.MaxIter = 40
	}
	if o.Steps == 0 {
		o.Steps = 16
	}
	if o.MaxSteps == 0 {
		o.MaxSteps = 2048
	}
	if o.Segments == 0 {
		o.Segments = 8
	}
	switch {
	case !(o.Tol > 0) || math.IsInf(o.Tol, 0):
		return o, fmt.Errorf("bvp: Tol=%g; it must be positive and finite", o.Tol)
	case o.Tol < 1e-14:
		return o, fmt.Errorf("bvp: Tol=%g is below float64 rounding; use 1e-14 or more", o.Tol)
	case o.MaxIter < 1:
		return o, fmt.Errorf("bvp: MaxIter=%d; it must be positive", o.MaxIter)
	case o.Steps < 2 || o.MaxSteps < o.Steps:
		return o, fmt.Errorf("bvp: Steps=%d, MaxSteps=%d; need 2 ≤ Steps ≤ MaxSteps", o.Steps, o.MaxSteps)
	case o.Segments < 2 || o.Steps%o.Segments != 0:
		return o, fmt.Errorf("bvp: Segments=%d; it must be at least 2 and divide Steps=%d", o.Segments, o.Steps)
	}
	switch o.Method {
	case "", ClosedForm, Collocation, Shooting, MultipleShooting:
	default:
		return o, fmt.Errorf("bvp: unknown Method %q; use %q, %q, %q, %q or \"\" for automatic", o.Method, ClosedForm, Collocation, Shooting, MultipleShooting)
	}
	return o, nil
}
