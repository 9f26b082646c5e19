package fm

import (
	"fmt"
	"math"
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
// with uniform weights, by optimal assignment.
func Wasserstein(x, y []float64, n, d int) (w1, w2 float64, err error) {
	cost := make([]float64, n*n)
	perm := make([]int, n)
	var a ot.Assigner
	sq := func(i, j int) float64 {
		var s float64
		for k := 0; k < d; k++ {
			t := x[i*d+k] - y[j*d+k]
			s += t * t
		}
		return s
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			cost[i*n+j] = sq(i, j)
		}
	}
	c2, err := a.Assign(perm, cost, n, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("W2: %w", err)
	}
	for k := range cost {
		cost[k] = math.Sqrt(cost[k])
	}
	c1, err := a.Assign(perm, cost, n, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("W1: %w", err)
	}
	return c1 / float64(n), math.Sqrt(c2 / float64(n)), nil
}

// Evaluate samples n points from the model (starting from src) with s,
// and compares them with n target points: fresh draws from tgt, or the
// held-out table when it is not nil (all of it if it has fewer rows).
func Evaluate(net *nn.MLP, src, tgt data.Sampler, heldOut *data.Table, n int, s *SampleSettings, rng *rand.Rand) (*Metrics, *SampleResult, error) {
	d := net.Out()
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
	res, err := Sample(net, x0, n, &set)
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
	_, w2st, err := Wasserstein(x0, y, n, d)
	if err != nil {
		return nil, nil, err
	}
	if w2st > 0 {
		m.PathEnergy = energy / (w2st * w2st)
	}
	return m, res, nil
}
