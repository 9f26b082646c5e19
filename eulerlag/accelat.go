package eulerlag

import (
	"fmt"
	"math"
)

// CheckState returns an error unless t and every component of the
// vectors are finite.
func CheckState(t float64, vecs ...[]float64) error {
	if math.IsNaN(t) || math.IsInf(t, 0) {
		return fmt.Errorf("t = %v is not finite", t)
	}
	for _, v := range vecs {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%v has a non-finite component", v)
			}
		}
	}
	return nil
}

// AccelAt returns the acceleration at a state given by a caller that may
// be wrong: it checks the lengths of x and v and that the state is
// finite before evaluating (AccelErr).
func (e *Evaluator) AccelAt(t float64, x, v []float64) ([]float64, error) {
	if len(x) != e.d || len(v) != e.d {
		return nil, fmt.Errorf("x has %d and v has %d components, want %d (the dimension in use)", len(x), len(v), e.d)
	}
	if err := CheckState(t, x, v); err != nil {
		return nil, err
	}
	a := make([]float64, e.d)
	if err := e.AccelErr(a, t, x, v); err != nil {
		return nil, err
	}
	return a, nil
}

// State is a point (t, x, v) at which to evaluate the acceleration. T is
// a pointer so that a decoder can tell a missing t from t = 0.
type State struct {
	T *float64  `json:"t" strictjson:"required"`
	X []float64 `json:"x" strictjson:"required"`
	V []float64 `json:"v" strictjson:"required"`
}

// Accelerations evaluates the acceleration at each state in dimension
// dim (AccelAt), naming the first state that fails by its index.
func (s *System) Accelerations(dim int, states []State) ([][]float64, error) {
	ev, err := s.Evaluator(dim)
	if err != nil {
		return nil, err
	}
	accels := make([][]float64, len(states))
	for i, p := range states {
		if p.T == nil {
			return nil, fmt.Errorf("point %d: no time t", i)
		}
		if accels[i], err = ev.AccelAt(*p.T, p.X, p.V); err != nil {
			return nil, fmt.Errorf("point %d: %v", i, err)
		}
	}
	return accels, nil
}
