package run

import (
	"errors"
	"fmt"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/seriesfm"
)

// seriesMethod is what a trainer on a snapshot series offers beyond
// Method.
type seriesMethod interface {
	Push(x []float64, n int, t0, t1 float64, raw bool, s *fm.SampleSettings) (*fm.SampleResult, error)
	LeaveOutScore(raw bool, s *fm.SampleSettings) (*seriesfm.Score, error)
}

func (r *Run) series() (seriesMethod, error) {
	sm, ok := r.Method.(seriesMethod)
	if !ok || r.Data.Series == nil {
		return nil, errors.New("the run was not trained on a snapshot series: it carries points from its source to its target only")
	}
	return sm, nil
}

// Push carries the n points x from time t0 to time t1 with the model of a
// run on a snapshot series (its averaged weights, or the raw ones). Points
// and times are in the units the model was trained in (standardized
// features when the Spec says so; times are never standardized).
func (r *Run) Push(x []float64, n int, t0, t1 float64, raw bool, s *fm.SampleSettings) (*fm.SampleResult, error) {
	sm, err := r.series()
	if err != nil {
		return nil, err
	}
	return sm.Push(x, n, t0, t1, raw, s)
}

// Snapshot returns the points observed at time t of a run's series (as
// trained: standardized when the Spec says so), and whether t is an
// observed time.
func (r *Run) Snapshot(t float64) ([]float64, int, bool) {
	ser := r.Data.Series
	if ser == nil {
		return nil, 0, false
	}
	for k, tk := range ser.Times {
		if tk == t {
			return ser.Points[k], ser.Count(k), true
		}
	}
	return nil, 0, false
}

// LeaveOutScore scores a run trained with a time left out (its averaged
// weights): the W1 of its prediction of that time and of the least-action
// interpolation (seriesfm.Score). A run without a left-out time returns
// nil and no error.
func (r *Run) LeaveOutScore(s *fm.SampleSettings) (*seriesfm.Score, error) {
	if r.Spec.LeaveOut == nil {
		return nil, nil
	}
	sm, err := r.series()
	if err != nil {
		return nil, err
	}
	sc, err := sm.LeaveOutScore(false, s)
	if err != nil {
		return nil, fmt.Errorf("scoring the left-out time %d: %w", *r.Spec.LeaveOut, err)
	}
	return sc, nil
}

// ReadPoints reads points to push with a series run's model from a data
// file spec ("csv:PATH", "npy:PATH"), one point a row with the model's
// dimension, in the data's units: they are standardized as the series was.
func (r *Run) ReadPoints(spec string) ([]float64, int, error) {
	src, err := data.Open(spec, nil)
	if err != nil {
		return nil, 0, err
	}
	t, ok := src.(*data.Table)
	if !ok {
		return nil, 0, fmt.Errorf("%s: points must come from a file (csv:PATH or npy:PATH), not a built-in distribution", spec)
	}
	if t.D != r.Data.Dim {
		return nil, 0, fmt.Errorf("%s: %d columns, but the model's points have %d", spec, t.D, r.Data.Dim)
	}
	x := make([]float64, t.N*t.D)
	for i := 0; i < t.N; i++ {
		copy(x[i*t.D:], t.Row(i))
	}
	if r.Data.Std != nil {
		r.Data.Std.Apply(x, x, t.N)
	}
	return x, t.N, nil
}
