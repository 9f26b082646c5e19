package lagrangian

import (
	"math"

	"github.com/lagc-dev/lagc/runtime/closedform"
)

// closedInterval is a System with a closed form (generated code, say) on a
// physical interval. Its rescaled equation x″ = T²A x + T B x′ + T² c is
// linear with constant coefficients again, so closedform.New rebuilds the
// exact paths from the rescaled acceleration; New itself verifies that the
// acceleration is affine and free of t.
type closedInterval struct {
	System
	sol *closedform.Solution
}

// closedOnInterval returns the closed form of in, or nil when its
// acceleration is not affine with constant coefficients.
func closedOnInterval(in System) System {
	d := in.Dim()
	iso := isotropic(in, d)
	sol, err := closedform.New(d, in.Accel, in.L, iso)
	if err != nil {
		return nil
	}
	return &closedInterval{System: in, sol: sol}
}

// isotropic reports whether the acceleration's coefficients are A = α·I and
// B = β·I, read off by probing (the structure generated code does not
// expose).
func isotropic(s System, d int) bool {
	x, v, c, a := make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
	s.Accel(c, 0, x, v)
	var diagX, diagV float64
	for j := 0; j < d; j++ {
		for k, vec := range [2][]float64{x, v} {
			vec[j] = 1
			s.Accel(a, 0, x, v)
			vec[j] = 0
			for i := 0; i < d; i++ {
				coef := a[i] - c[i]
				switch {
				case i != j && math.Abs(coef) > 1e-12*(1+math.Abs(c[i])):
					return false
				case i == j && j == 0 && k == 0:
					diagX = coef
				case i == j && j == 0:
					diagV = coef
				case i == j && k == 0 && math.Abs(coef-diagX) > 1e-12*(1+math.Abs(diagX)):
					return false
				case i == j && k == 1 && math.Abs(coef-diagV) > 1e-12*(1+math.Abs(diagV)):
					return false
				}
			}
		}
	}
	return true
}

func (c *closedInterval) Path(xt, vt []float64, s float64, x0, x1 []float64) error {
	return c.sol.Path(xt, vt, s, x0, x1)
}

func (c *closedInterval) Action(x0, x1 []float64) (float64, error) { return c.sol.Action(x0, x1) }

func (c *closedInterval) Clone() System {
	in := c.System.Clone()
	if cl := closedOnInterval(in); cl != nil {
		return cl
	}
	return in
}
