package closedform

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/integrate/quad"
)

// A Pather writes the position and velocity at time t of the path from x0
// to x1; Isotropic, Linear and lagrangian.ClosedForm implementations are
// Pathers.
type Pather interface {
	Path(xt, vt []float64, t float64, x0, x1 []float64) error
}

// QuadratureNodes is the number of Gauss–Legendre nodes Action uses. The
// integrands of closed-form paths are analytic on [0, 1] (sin, sinh,
// exponentials, polynomials), so the error falls geometrically with the
// number of nodes and 32 nodes reach rounding for ω up to a few π.
const QuadratureNodes = 32

var glNodes, glWeights = gaussLegendre(QuadratureNodes)

func gaussLegendre(n int) (x, w []float64) {
	x, w = make([]float64, n), make([]float64, n)
	quad.Legendre{}.FixedLocations(x, w, 0, 1)
	return x, w
}

// GaussLegendre returns copies of the nodes and weights of Action's
// quadrature rule on [0, 1].
func GaussLegendre() (nodes, weights []float64) {
	return append([]float64(nil), glNodes...), append([]float64(nil), glWeights...)
}

// Action returns ∫₀¹ L(t, x(t), x'(t)) dt along the path p from x0 to x1 by
// Gauss–Legendre quadrature. work must hold at least 2·len(x0) values; with
// it Action does not allocate. It returns p's error (a conjugate point)
// unchanged, and an error when L is not finite along the path.
func Action(p Pather, L func(t float64, x, v []float64) float64, x0, x1, work []float64) (float64, error) {
	d := len(x0)
	if len(work) < 2*d {
		return 0, fmt.Errorf("closedform: Action needs a work buffer of %d values, have %d", 2*d, len(work))
	}
	xt, vt := work[:d:d], work[d:2*d:2*d]
	var s float64
	for k, t := range glNodes {
		if err := p.Path(xt, vt, t, x0, x1); err != nil {
			return 0, err
		}
		s += glWeights[k] * L(t, xt, vt)
	}
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return s, fmt.Errorf("closedform: the Lagrangian is not finite along the path from %v to %v", x0, x1)
	}
	return s, nil
}
