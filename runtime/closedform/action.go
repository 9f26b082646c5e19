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
	return gradedAction(p, L, x0, x1, work, 0)
}

// uniformRate is the largest rate of exponential growth or decay along the
// path (in L, so twice the path's) that one QuadratureNodes-point rule on
// [0, 1] integrates to rounding.
const uniformRate = 32

// gradedAction is Action for paths with boundary layers: where L varies
// like e^{−rate·t} near t = 0 (and likewise near t = 1), one rule on [0, 1]
// misses most of the layer (a 30% error at ω = 710), so each half of [0, 1]
// is split geometrically, [0, 1/rate], [1/rate, 2/rate], [2/rate, 4/rate], …,
// each interval with its own rule: every interval then sees a variation of
// at most e^{−2^k} over a width of 2^k/rate, which the rule integrates to
// rounding, at a cost of 2·log₂(rate) rules instead of one.
func gradedAction(p Pather, L func(t float64, x, v []float64) float64, x0, x1, work []float64, rate float64) (float64, error) {
	d := len(x0)
	if len(work) < 2*d {
		return 0, fmt.Errorf("closedform: Action needs a work buffer of %d values, have %d", 2*d, len(work))
	}
	xt, vt := work[:d:d], work[d:2*d:2*d]
	var s float64
	rule := func(lo, hi float64) error {
		w := hi - lo
		for k, u := range glNodes {
			t := lo + w*u
			if err := p.Path(xt, vt, t, x0, x1); err != nil {
				return err
			}
			s += w * glWeights[k] * L(t, xt, vt)
		}
		return nil
	}
	if !(rate > uniformRate) {
		if err := rule(0, 1); err != nil {
			return 0, err
		}
	} else {
		for lo, hi := 0.0, 1/rate; lo < 0.5; lo, hi = hi, min(2*hi, 0.5) {
			if err := rule(lo, hi); err != nil {
				return 0, err
			}
			if err := rule(1-hi, 1-lo); err != nil {
				return 0, err
			}
		}
	}
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return s, fmt.Errorf("closedform: the Lagrangian is not finite along the path from %v to %v", x0, x1)
	}
	return s, nil
}
