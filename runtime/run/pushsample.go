package run

import "github.com/lagc-dev/lagc/runtime/fm"

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
