package bvp

import (
	"errors"
	"fmt"
	"math"
)

// ErrNotFinite: the Lagrangian is NaN or infinite on the path (a logarithm
// or square root of a negative number, an overflow), so neither the action
// nor the test for a minimum means anything there. It is not a conjugate
// point, and the message must not suggest one.
var ErrNotFinite = errors.New("bvp: the Lagrangian is not finite on the path")

// checkFiniteMass returns ErrNotFinite, with the point, when the mass
// matrix at it (∂²L/∂v², by differences of L) has a non-finite entry.
func checkFiniteMass(m []float64, t float64, x, v []float64) error {
	for _, mij := range m {
		if math.IsNaN(mij) || math.IsInf(mij, 0) {
			return fmt.Errorf("%w: ∂²L/∂v² is %v at t=%.4g, x=%.6g, v=%.6g (is a logarithm or square root taken of a negative number there?)", ErrNotFinite, mij, t, x, v)
		}
	}
	return nil
}
