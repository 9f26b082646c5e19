package run

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/fm"
)

// ErrNotObserved refuses to push the snapshot of a time the series did
// not observe: there are no points to push from it.
var ErrNotObserved = errors.New("not an observed time of the series")

// ErrNotSeries refuses to push points between times with a model that is
// not of a snapshot series.
var ErrNotSeries = errors.New("pushing points between times applies to models of snapshot series")

// SampleRequest says what Sampler draws.
type SampleRequest struct {
	N        int
	Settings *fm.SampleSettings
	Raw      bool   // the raw weights instead of their average
	Seed     uint64 // of the source samples (random stream 0)
	// Class, when not nil, samples that class of a class-conditional run.
	Class *float64
	// A series model pushes the points of the data file Points (in the
	// data's units), or else the snapshot observed at From, from time From
	// to time To; nil From and To are the first and last observed times.
	From, To *float64
	Points   string
}

// SampleFunc hands the samples, in the data's units, to emit and returns
// the network evaluations and the trajectory snapshots.
type SampleFunc func(emit func(x []float64, rows int) error) (nfe int, traj [][]float64, err error)

// Sampler returns the number of samples req asks for (for a series model,
// that of the points pushed) and the function that draws them: Sample,
// SampleClass or, for a series model, PushSample. Errors that the request
// can cause (a class the run lacks, ErrNotObserved, ErrNotSeries) come
// before any sample is drawn.
func (r *Run) Sampler(req *SampleRequest) (int, SampleFunc, error) {
	ser, n := r.Data.Series, req.N
	if ser == nil {
		if req.From != nil || req.To != nil || req.Points != "" {
			return 0, nil, ErrNotSeries
		}
		if req.Class == nil {
			return n, func(emit func(x []float64, rows int) error) (int, [][]float64, error) {
				return r.Sample(n, req.Settings, req.Raw, rand.New(rand.NewPCG(req.Seed, 0)), emit)
			}, nil
		}
		if _, err := r.ClassTransport(*req.Class, req.Raw); err != nil {
			return 0, nil, err
		}
		return n, func(emit func(x []float64, rows int) error) (int, [][]float64, error) {
			return r.SampleClass(*req.Class, n, req.Settings, req.Raw, rand.New(rand.NewPCG(req.Seed, 0)), emit)
		}, nil
	}
	if req.Class != nil {
		return 0, nil, fmt.Errorf("%w: a snapshot series has no classes", ErrNotConditional)
	}
	from, to := ser.Times[0], ser.Times[ser.Len()-1]
	if req.From != nil {
		from = *req.From
	}
	if req.To != nil {
		to = *req.To
	}
	var x []float64
	var err error
	observed := true
	if req.Points != "" {
		if x, n, err = r.ReadPoints(req.Points); err != nil {
			return 0, nil, err
		}
	} else if x, n, observed = r.Snapshot(from); !observed {
		return 0, nil, fmt.Errorf("%w: %g (observed: %v)", ErrNotObserved, from, ser.Times)
	}
	return n, func(emit func(x []float64, rows int) error) (int, [][]float64, error) {
		return r.PushSample(x, n, from, to, req.Raw, req.Settings, emit)
	}, nil
}

// PushSample is Sample for the model of a snapshot series: it pushes the
// n points x (in the units the model was trained in, as Snapshot and
// ReadPoints return them) from time t0 to time t1 and hands them to emit in
// the data's units, returning the network evaluations and the trajectory
// snapshots, also in the data's units.
func (r *Run) PushSample(x []float64, n int, t0, t1 float64, raw bool, s *fm.SampleSettings, emit func(x []float64, rows int) error) (nfe int, traj [][]float64, err error) {
	res, err := r.Push(x, n, t0, t1, raw, s)
	if err != nil {
		return 0, nil, err
	}
	if r.Data.Std != nil {
		r.Data.Std.Invert(res.X, res.X, n)
		for _, snap := range res.Traj {
			r.Data.Std.Invert(snap, snap, n)
		}
	}
	return res.NFE, res.Traj, emit(res.X, n)
}
