package run

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/condflow"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/labeled"
)

// Conditional is a Method whose model is conditioned on a class label
// (Registration.Labelled).
type Conditional interface {
	Method
	// ClassTransport is Transport along the field of the class of index
	// k among the labelled data's classes.
	ClassTransport(raw bool, k int) (fm.Transport, error)
}

// condDefaults are the conditional method's defaults: flow matching's,
// with independent pairs as torchcfm's conditional example has them.
func condDefaults() fm.Settings {
	s := fm.DefaultSettings()
	s.Pairs.Coupling = fm.Independent
	return s
}

// ErrNotConditional is wrapped by the errors of asking a run that is not
// class-conditional for a class.
var ErrNotConditional = errors.New("the run is not class-conditional")

// conditional returns the run's method as a Conditional.
func (r *Run) conditional() (Conditional, error) {
	c, ok := r.Method.(Conditional)
	if !ok || r.Data.Labelled == nil {
		return nil, fmt.Errorf("%w: its %s model has no class input; train it on a data file with a label column to sample classes", ErrNotConditional, r.Reg.Title)
	}
	return c, nil
}

// Labels returns the class labels of a conditional run (nil for others).
func (r *Run) Labels() []float64 {
	if r.Data.Labelled == nil {
		return nil
	}
	return r.Data.Labelled.Labels
}

// ClassTransport is Transport for the class whose label value is label.
func (r *Run) ClassTransport(label float64, raw bool) (fm.Transport, error) {
	c, err := r.conditional()
	if err != nil {
		return nil, err
	}
	k, err := r.Data.Labelled.ClassOf(label)
	if err != nil {
		return nil, fmt.Errorf("%w (the run's classes)", err)
	}
	return c.ClassTransport(raw, k)
}

// SampleClass is Sample for the class whose label value is label.
func (r *Run) SampleClass(label float64, n int, s *fm.SampleSettings, raw bool, rng *rand.Rand, emit func(x []float64, rows int) error) (nfe int, traj [][]float64, err error) {
	tr, err := r.ClassTransport(label, raw)
	if err != nil {
		return 0, nil, err
	}
	return r.sampleTransport(tr, n, s, rng, emit)
}

// EvaluateClasses samples, for every class, as many points as the run
// holds out of that class (at most n) and returns the W2 between them and
// those held-out points (condflow.EvaluateTransport), in the data's units
// also for standardized runs, as NLL reports. Without a holdout the
// training points of each class serve instead, which flatters the model.
func (r *Run) EvaluateClasses(n int, s *fm.SampleSettings, raw bool, rng *rand.Rand) ([]condflow.ClassW2, error) {
	c, err := r.conditional()
	if err != nil {
		return nil, err
	}
	test := r.Data.LabelledHoldout
	if test == nil {
		test = r.Data.Labelled
	}
	transport := func(k int) (fm.Transport, error) { return c.ClassTransport(raw, k) }
	if std := r.Data.Std; std != nil {
		x := &data.Table{N: test.X.N, D: test.X.D, X: make([]float64, len(test.X.X)), Origin: test.X.Origin}
		std.Invert(x.X, test.X.X, x.N)
		test = &labeled.Set{X: x, Class: test.Class, Labels: test.Labels}
		transport = func(k int) (fm.Transport, error) {
			tr, err := c.ClassTransport(raw, k)
			if err != nil {
				return nil, err
			}
			return func(x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
				res, err := tr(x0, n, s)
				if err == nil {
					std.Invert(res.X, res.X, n)
				}
				return res, err
			}, nil
		}
	}
	return condflow.EvaluateTransport(transport, r.Data.Src, test, n, s, rng)
}
