package condflow

import (
	"fmt"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/labeled"
	"github.com/lagc-dev/lagc/runtime/likelihood"
	"github.com/lagc-dev/lagc/runtime/nn"
	"github.com/lagc-dev/lagc/runtime/ot"
)

// Classes returns the number of classes a conditional network v(x, t, c)
// was built for.
func Classes(net *nn.MLP) int { return net.In() - net.Out() - 1 }

// Sample carries the n×d source points x0 to t = 1 along the field of
// class k of net (inputs [x, t, one-hot]).
func Sample(net *nn.MLP, k int, x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
	c := Classes(net)
	if k < 0 || k >= c {
		return nil, fmt.Errorf("class index %d: the model has classes 0..%d", k, c-1)
	}
	code := make([]float64, c)
	labeled.OneHot(code, k)
	threads := 0
	if s != nil {
		threads = s.Threads
	}
	f, err := likelihood.NewMLPField(net, code, n, threads)
	if err != nil {
		return nil, err
	}
	return fm.SampleField(f, x0, n, net.Out(), s)
}

// ClassW2 is the evaluation of one class.
type ClassW2 struct {
	Label float64 `json:"label"`
	N     int     `json:"n"`  // held-out points of the class (and samples drawn)
	W2    float64 `json:"w2"` // exact W2 between the class's samples and its held-out points
	// W2Other is the W2 between the class's samples and the held-out
	// points of the next class: a conditional model that ignored its label
	// would score about the same on both.
	W2Other float64 `json:"w2_other"`
}

// Evaluate samples as many points per class as test holds of that class
// (at most maxN) and returns each class's W2 to them. Classes without
// held-out points are skipped.
func Evaluate(net *nn.MLP, src data.Sampler, test *labeled.Set, maxN int, s *fm.SampleSettings, rng *rand.Rand) ([]ClassW2, error) {
	d := net.Out()
	if test.X.D != d || Classes(net) != test.Classes() {
		return nil, fmt.Errorf("the model has dimension %d and %d classes, the held-out data %d and %d", d, Classes(net), test.X.D, test.Classes())
	}
	transport := func(k int) (fm.Transport, error) {
		return func(x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
			return Sample(net, k, x0, n, s)
		}, nil
	}
	return EvaluateTransport(transport, src, test, maxN, s, rng)
}

// EvaluateTransport is Evaluate for any per-class transport of points of
// the test set's dimension: transport(k) carries source points along the
// field of class index k (of test's classes).
func EvaluateTransport(transport func(k int) (fm.Transport, error), src data.Sampler, test *labeled.Set, maxN int, s *fm.SampleSettings, rng *rand.Rand) ([]ClassW2, error) {
	d := test.X.D
	if maxN < 1 {
		return nil, fmt.Errorf("%d samples per class: must be at least 1", maxN)
	}
	var out []ClassW2
	for k := range test.Classes() {
		ref := test.OfClass(k)
		if ref == nil {
			continue
		}
		n := min(ref.N, maxN)
		x0 := make([]float64, n*d)
		src.Sample(x0, n, rng)
		tr, err := transport(k)
		if err != nil {
			return nil, fmt.Errorf("class %v: %w", test.Labels[k], err)
		}
		res, err := tr(x0, n, s)
		if err != nil {
			return nil, fmt.Errorf("class %v: %w", test.Labels[k], err)
		}
		w2, err := ot.W2(res.X, n, ref.X[:n*d], n, d)
		if err != nil {
			return nil, err
		}
		cell := ClassW2{Label: test.Labels[k], N: n, W2: w2}
		if other := test.OfClass((k + 1) % test.Classes()); other != nil && test.Classes() > 1 {
			m := min(n, other.N)
			if cell.W2Other, err = ot.W2(res.X[:m*d], m, other.X[:m*d], m, d); err != nil {
				return nil, err
			}
		}
		out = append(out, cell)
	}
	return out, nil
}
