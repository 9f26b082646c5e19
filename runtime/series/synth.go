package series

import (
	"fmt"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// Normal is the distribution N(Mean, Std²·I).
type Normal struct {
	Mean []float64
	Std  float64
}

// Dim is len(Mean).
func (g Normal) Dim() int { return len(g.Mean) }

// Sample writes n points into dst.
func (g Normal) Sample(dst []float64, n int, rng *rand.Rand) {
	d := len(g.Mean)
	for i := 0; i < n*d; i++ {
		dst[i] = g.Mean[i%d] + g.Std*rng.NormFloat64()
	}
}

// Synthesize draws a series with a known ground truth: at each of the
// times (≥ 3, increasing) it draws n fresh particles — n start points from
// source and n end points from target, coupled optimally for the least
// action of sys on [times[0], times[last]] — and observes them at that time
// on their least-action paths. Particles are never observed twice, as in
// destructive measurements. The draws are deterministic given seed (one
// PCG stream per time).
//
// Since restrictions of an optimal dynamic plan are optimal on every
// sub-interval, the least-action interpolation of sys between two observed
// times reproduces the times between them up to sampling (and minibatch
// coupling) error: LeaveOneOut with the true Lagrangian scores near the
// sampling floor.
func Synthesize(sys lagrangian.System, times []float64, n int, source, target data.Sampler, seed uint64, s *Settings) (*Series, error) {
	d := sys.Dim()
	if source.Dim() != d || target.Dim() != d {
		return nil, fmt.Errorf("synthetic series: the Lagrangian has dimension %d, the end distributions %d and %d", d, source.Dim(), target.Dim())
	}
	if n < 2 {
		return nil, fmt.Errorf("synthetic series: %d particles per time; at least 2 are needed", n)
	}
	if len(times) < 3 {
		return nil, fmt.Errorf("synthetic series: %d times; at least 3 are needed", len(times))
	}
	t0, t1 := times[0], times[len(times)-1]
	points := make([][]float64, len(times))
	x0, x1 := make([]float64, n*d), make([]float64, n*d)
	for k, t := range times {
		rng := rand.New(rand.NewPCG(seed, uint64(k)))
		source.Sample(x0, n, rng)
		target.Sample(x1, n, rng)
		br, err := Couple(sys, x0, n, x1, n, t0, t1, s)
		if err != nil {
			return nil, fmt.Errorf("synthetic series at time %g: %w", t, err)
		}
		points[k] = make([]float64, n*d)
		if err := br.At(points[k], nil, t); err != nil {
			return nil, err
		}
	}
	return New(append([]float64(nil), times...), points, d)
}
