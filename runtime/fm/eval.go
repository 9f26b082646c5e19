package fm

import (
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/metric"
	"github.com/lagc-dev/lagc/runtime/nn"
	"github.com/lagc-dev/lagc/runtime/ot"
)

// Metrics compare generated samples with target samples.
type Metrics struct {
	W2  float64 `json:"w2"`  // exact 2-Wasserstein distance (squared-Euclidean cost)
	W1  float64 `json:"w1"`  // exact 1-Wasserstein distance (Euclidean cost)
	MMD float64 `json:"mmd"` // RBF-kernel MMD² (unbiased, median bandwidth)
	NFE int     `json:"nfe"` // network evaluations of the sampler
	// PathEnergy is the mean kinetic energy ∫₀¹|ẋ|² dt of the generated
	// trajectories divided by W2(source, target)²: 1 for straight optimal
	// transport paths, larger for curved or crossing ones.
	PathEnergy float64 `json:"path_energy"`
	N          int     `json:"n"`
	Solver     string  `json:"solver"`
	Steps      int     `json:"steps,omitempty"`
}

// Wasserstein returns the exact W1 and W2 between two equal-size point sets
// with uniform weights (ot.W1, ot.W2).
func Wasserstein(x, y []float64, n, d int) (w1, w2 float64, err error) {
	if w1, err = ot.W1(x, n, y, n, d); err != nil {
		return 0, 0, err
	}
	if w2, err = ot.W2(x, n, y, n, d); err != nil {
		return 0, 0, err
	}
	return w1, w2, nil
}

// Transport carries n source points x0 to t = 1 with the settings s,
// returning the points, the network evaluations and any trajectory: a
// velocity field's flow (Sample), a gradient field's, or a one-step map.
type Transport func(x0 []float64, n int, s *SampleSettings) (*SampleResult, error)

// Evaluate samples n points from the model (starting from src) with s,
// and compares them with n target points: fresh draws from tgt, or the
// held-out table when it is not nil (all of it if it has fewer rows).
func Evaluate(net *nn.MLP, src, tgt data.Sampler, heldOut *data.Table, n int, s *SampleSettings, rng *rand.Rand) (*Metrics, *SampleResult, error) {
	sample := func(x0 []float64, n int, s *SampleSettings) (*SampleResult, error) { return Sample(net, x0, n, s) }
	return EvaluateTransport(sample, net.Out(), src, tgt, heldOut, n, s, rng)
}

// EvaluateTransport is Evaluate for any transport of d-dimensional points.
func EvaluateTransport(transport Transport, d int, src, tgt data.Sampler, heldOut *data.Table, n int, s *SampleSettings, rng *rand.Rand) (*Metrics, *SampleResult, error) {
	var y []float64
	if heldOut != nil {
		n = min(n, heldOut.N)
		y = heldOut.X[:n*d]
	} else {
		y = make([]float64, n*d)
		tgt.Sample(y, n, rng)
	}
	x0 := make([]float64, n*d)
	src.Sample(x0, n, rng)
	var set SampleSettings
	if s != nil {
		set = *s
	}
	if set.Trajectory == 0 {
		steps := set.Steps
		if steps == 0 {
			steps = 20
		}
		set.Trajectory = max(steps+1, 21)
	}
	res, err := transport(x0, n, &set)
	if err != nil {
		return nil, nil, err
	}
	m := &Metrics{N: n, NFE: res.NFE, Solver: set.Solver, Steps: set.Steps}
	if m.Solver == "" {
		m.Solver = RK4
	}
	if m.W1, m.W2, err = Wasserstein(res.X, y, n, d); err != nil {
		return nil, nil, err
	}
	if m.MMD, err = metric.MMD2(res.X, y, n, n, d, nil); err != nil {
		return nil, nil, err
	}
	// ∫|ẋ|² dt of the piecewise-linear trajectory through the snapshots:
	// a lower bound on the true path energy that converges with more
	// snapshots.
	var energy float64
	for k := 1; k < len(res.Traj); k++ {
		dt := res.TrajT[k] - res.TrajT[k-1]
		a, b := res.Traj[k-1], res.Traj[k]
		for i := range a {
			energy += (b[i] - a[i]) * (b[i] - a[i]) / dt
		}
	}
	energy /= float64(n)
	w2st, err := ot.W2(x0, n, y, n, d)
	if err != nil {
		return nil, nil, err
	}
	if w2st > 0 {
		m.PathEnergy = energy / (w2st * w2st)
	}
	return m, res, nil
}
