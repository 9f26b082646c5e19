package run

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
)

// SampleChunk is how many samples Sample transports at once: memory stays
// at a few chunks whatever n is. Up to one chunk, the samples are those of
// transporting all at once.
const SampleChunk = 1 << 16

// Sample draws n source points with rng, carries them with the model (raw
// weights or their average) and hands them to emit in order, in the data's
// units, SampleChunk points at a time. With s.Trajectory > 0 it carries all
// n at once, since the trajectories (also in data units) are time-major,
// and returns them; the caller bounds n then. It returns the largest
// number of network evaluations a chunk needed.
func (r *Run) Sample(n int, s *fm.SampleSettings, raw bool, rng *rand.Rand, emit func(x []float64, rows int) error) (nfe int, traj [][]float64, err error) {
	tr, err := r.Method.Transport(raw)
	if err != nil {
		return 0, nil, err
	}
	return r.sampleTransport(tr, n, s, rng, emit)
}

// sampleTransport is Sample along the transport tr.
func (r *Run) sampleTransport(tr fm.Transport, n int, s *fm.SampleSettings, rng *rand.Rand, emit func(x []float64, rows int) error) (nfe int, traj [][]float64, err error) {
	chunk := SampleChunk
	if s.Trajectory > 0 {
		chunk = n
	}
	var last *fm.SampleResult
	keep := func(x0 []float64, m int, s *fm.SampleSettings) (*fm.SampleResult, error) {
		res, err := tr(x0, m, s)
		last = res
		return res, err
	}
	nfe, err = sampleChunks(keep, r.Data.Src, r.Data.Std, n, r.Data.Dim, chunk, s, rng, emit)
	if err != nil || s.Trajectory == 0 {
		return nfe, nil, err
	}
	if r.Data.Std != nil {
		for _, snap := range last.Traj {
			r.Data.Std.Invert(snap, snap, n)
		}
	}
	return nfe, last.Traj, nil
}

// sampleChunks is Sample on a transport, a source and a standardizer (nil:
// none), chunk points at a time.
func sampleChunks(transport fm.Transport, src data.Sampler, std *data.Standardizer, n, d, chunk int, set *fm.SampleSettings, rng *rand.Rand, emit func(x []float64, rows int) error) (nfe int, err error) {
	x0 := make([]float64, min(n, chunk)*d)
	for done := 0; done < n; done += chunk {
		m := min(chunk, n-done)
		x := x0[:m*d]
		src.Sample(x, m, rng)
		res, err := transport(x, m, set)
		if err != nil {
			return nfe, err
		}
		if std != nil {
			std.Invert(res.X, res.X, m)
		}
		for _, v := range res.X[:m*d] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nfe, fmt.Errorf("the model produced a non-finite sample (%v); the checkpoint may hold a diverged model", v)
			}
		}
		nfe = max(nfe, res.NFE)
		if err := emit(res.X, m); err != nil {
			return nfe, err
		}
	}
	return nfe, nil
}
