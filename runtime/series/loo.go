package series

import (
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/ot"
)

// Held is the prediction of one held-out time from its neighbours.
type Held struct {
	K          int     // index of the held-out time
	T          float64 // its time
	W1         float64 // exact W1 between the prediction and the snapshot
	Prediction []float64
	Mass       []float64 // the prediction's weights (sum 1)
}

// LeaveOneOut predicts every interior time k of ser from times k−1 and k+1
// by the least-action interpolation of sys (see Couple) and measures the
// exact W1 distance to the points observed at k, the protocol of
// trajectory-inference benchmarks with the model replaced by the
// interpolation itself.
func LeaveOneOut(sys lagrangian.System, ser *Series, s *Settings) ([]Held, error) {
	if sys.Dim() != ser.D {
		return nil, fmt.Errorf("the Lagrangian has dimension %d but the snapshots have %d columns", sys.Dim(), ser.D)
	}
	var out []Held
	for k := 1; k < ser.Len()-1; k++ {
		h, err := Predict(sys, ser, k-1, k, k+1, s)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// Predict interpolates snapshot k of ser from snapshots a < k < b and
// scores it by W1 against snapshot k.
func Predict(sys lagrangian.System, ser *Series, a, k, b int, s *Settings) (Held, error) {
	if !(0 <= a && a < k && k < b && b < ser.Len()) {
		return Held{}, fmt.Errorf("predict time %d from %d and %d: need %d < %d < %d within 0..%d", k, a, b, a, k, b, ser.Len()-1)
	}
	br, err := Couple(sys, ser.Points[a], ser.Count(a), ser.Points[b], ser.Count(b), ser.Times[a], ser.Times[b], s)
	if err != nil {
		return Held{}, fmt.Errorf("time %g from %g and %g: %w", ser.Times[k], ser.Times[a], ser.Times[b], err)
	}
	pred := make([]float64, br.Pairs()*ser.D)
	if err := br.At(pred, nil, ser.Times[k]); err != nil {
		return Held{}, err
	}
	w1, _, err := match(pred, br.Mass, ser.Points[k], ser.Count(k), ser.D, false)
	if err != nil {
		return Held{}, err
	}
	return Held{K: k, T: ser.Times[k], W1: w1, Prediction: pred, Mass: br.Mass}, nil
}

// match solves the optimal transport between the weighted points p (masses
// w, summing to 1) and the m points q with uniform weights, for the squared
// Euclidean cost (sq) or the Euclidean one, and returns its value and plan.
func match(p, w, q []float64, m, d int, sq bool) (float64, []ot.Flow, error) {
	n := len(w)
	if err := checkPairs(n, m); err != nil {
		return 0, nil, err
	}
	cost := make([]float64, n*m)
	var err error
	if sq {
		err = ot.SqDist(cost, p, n, q, m, d)
	} else {
		err = ot.Dist(cost, p, n, q, m, d)
	}
	if err != nil {
		return 0, nil, err
	}
	uniform := n == m
	for _, x := range w {
		if math.Abs(x*float64(n)-1) > 1e-12 {
			uniform = false
		}
	}
	if uniform {
		perm := make([]int, n)
		total, err := ot.Assign(perm, cost, n, nil)
		if err != nil {
			return 0, nil, err
		}
		flows := make([]ot.Flow, n)
		for i, j := range perm {
			flows[i] = ot.Flow{I: i, J: j, Mass: 1 / float64(n)}
		}
		return total / float64(n), flows, nil
	}
	flows, total, err := ot.Plan(nil, cost, n, m, w, nil, nil)
	if err != nil {
		return 0, nil, err
	}
	return total, flows, nil
}
