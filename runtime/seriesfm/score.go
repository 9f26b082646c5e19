package seriesfm

import (
	"errors"
	"fmt"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/ot"
	"github.com/lagc-dev/lagc/runtime/series"
)

// Score is a leave-out model's result at its left-out time K.
type Score struct {
	K int     `json:"leave_out"`
	T float64 `json:"leave_out_t"`
	// W1 is the exact W1 between snapshot K−1 pushed by the model from
	// t_{K−1} to t_K and snapshot K; W1Interpolation that of the
	// least-action interpolation from K−1 and K+1 (series.Predict). Both
	// are in the units the model was trained in.
	W1              float64 `json:"loo_w1"`
	W1Interpolation float64 `json:"loo_w1_interpolation"`
	// Prediction is the pushed points (Count(K−1) rows).
	Prediction []float64 `json:"-"`
}

// LeaveOutScore scores a model trained with a time left out; s chooses the
// ODE solver of the push (nil: rk4, 20 steps).
func (tr *Trainer) LeaveOutScore(raw bool, s *fm.SampleSettings) (*Score, error) {
	k, ser := tr.prob.LeaveOut, tr.prob.Series
	w1, pred, err := tr.modelW1(raw, s)
	if err != nil {
		return nil, err
	}
	h, err := series.Predict(tr.prob.Sys, ser, k-1, k, k+1, tr.prob.Paths)
	if err != nil {
		return nil, err
	}
	return &Score{K: k, T: ser.Times[k], W1: w1, W1Interpolation: h.W1, Prediction: pred}, nil
}

// modelW1 pushes snapshot K−1 to t_K and returns its W1 to snapshot K and
// the pushed points.
func (tr *Trainer) modelW1(raw bool, s *fm.SampleSettings) (float64, []float64, error) {
	k, ser := tr.prob.LeaveOut, tr.prob.Series
	if k == 0 {
		return 0, nil, errors.New("the model was trained on every time; leave one out to score it")
	}
	res, err := tr.Push(ser.Points[k-1], ser.Count(k-1), ser.Times[k-1], ser.Times[k], raw, s)
	if err != nil {
		return 0, nil, err
	}
	w1, err := W1(res.X, ser.Count(k-1), ser.Points[k], ser.Count(k), ser.D)
	return w1, res.X, err
}

// W1 is the exact 1-Wasserstein distance between n points x and m points
// y in dimension d, each with uniform weights.
func W1(x []float64, n int, y []float64, m, d int) (float64, error) {
	if n < 1 || m < 1 || len(x) < n*d || len(y) < m*d {
		return 0, fmt.Errorf("W1 between %d and %d points of dimension %d: have %d and %d values", n, m, d, len(x), len(y))
	}
	cost := make([]float64, n*m)
	if err := ot.Dist(cost, x, n, y, m, d); err != nil {
		return 0, err
	}
	if n == m {
		total, err := ot.Assign(make([]int, n), cost, n, nil)
		return total / float64(n), err
	}
	_, total, err := ot.Plan(nil, cost, n, m, nil, nil, nil)
	return total, err
}

// ModelScore returns the model column of the leave-one-out protocol
// (series.LOOExperiment): for time k, a model trained iters iterations
// on ser without k (settings s, nil for fm.DefaultSettings), scored by
// LeaveOutScore's model W1 with its averaged weights. The models share
// the couplings of the intervals they have in common.
func ModelScore(sys lagrangian.System, ser *series.Series, iters int, seed uint64, s *fm.Settings, threads int) series.ModelScore {
	legs := map[[2]int]*leg{}
	return func(k int) (float64, error) {
		tr, err := NewTrainer(&Problem{Sys: sys, Series: ser, LeaveOut: k, Seed: seed, Threads: threads, legs: legs}, s)
		if err != nil {
			return 0, err
		}
		for range iters {
			if _, err := tr.Iterate(nil); err != nil {
				return 0, err
			}
		}
		w1, _, err := tr.modelW1(false, nil)
		return w1, err
	}
}

// LOOModel is the model column of the leave-one-out experiment
// (experiment.LOO) on ser: for each Lagrangian, ModelScore with these
// settings. It is nil when iters is 0: no model column.
func LOOModel(ser *series.Series, iters int, seed uint64, s *fm.Settings) func(file string, sys lagrangian.System) series.ModelScore {
	if iters == 0 {
		return nil
	}
	return func(_ string, sys lagrangian.System) series.ModelScore {
		return ModelScore(sys, ser, iters, seed, s, 0)
	}
}
