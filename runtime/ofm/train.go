package ofm

import (
	"fmt"
	"slices"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/icnn"
	"github.com/lagc-dev/lagc/runtime/nn"
)

// The objectives a Trainer minimises over convex potentials.
const (
	// FlowMatching is the OFM loss E|u(x_t, t) - ẋ_t|².
	FlowMatching = "ofm"
	// ActionMatching is the Action Matching loss restricted to optimal
	// fields, the OT semi-dual.
	ActionMatching = "am-optimal"
)

// DefaultSettings are flow matching's (fm.DefaultSettings) without noise
// around the paths, which would change p_t and break the identity both
// objectives rest on. Activation is not used: the potential is an ICNN.
func DefaultSettings() fm.Settings {
	s := fm.DefaultSettings()
	s.Pairs.Sigma = 0
	return s
}

// TrainSettings are the parts of a run that fm.Settings do not describe;
// nil means defaults.
type TrainSettings struct {
	// Net shapes the potential; its Hidden defaults to the Settings'.
	Net *icnn.Settings
	// Solver tunes the inner problem (Workers defaults to the Problem's
	// Threads).
	Solver *Settings
}

// Trainer trains a convex potential Ψ with one of the objectives on the
// minibatches of Pairs — data, coupling and least-action paths.
type Trainer struct {
	Settings  fm.Settings
	Objective string
	Net       *icnn.Network
	Field     *Field
	Opt       *nn.Optimizer
	Step      int
	Loss      []float64
	// HJ is the Hamilton–Jacobi residual of the last ActionMatching
	// iteration (see Field.ActionMatchingLoss).
	HJ    float64
	Pairs *fm.Pairs

	in, target []float64
	grad       []float64
	threads    int
}

// NewTrainer builds the potential, optimiser and pairs of a run on p; nil
// s means DefaultSettings.
func NewTrainer(p *fm.Problem, objective string, s *fm.Settings, ts *TrainSettings) (*Trainer, error) {
	switch objective {
	case FlowMatching, ActionMatching:
	default:
		return nil, fmt.Errorf("objective %q: want %q or %q", objective, FlowMatching, ActionMatching)
	}
	set := DefaultSettings()
	if s != nil {
		set = *s
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	pairs, err := fm.NewPairs(p, &set.Pairs)
	if err != nil {
		return nil, err
	}
	var tset TrainSettings
	if ts != nil {
		tset = *ts
	}
	netSet := icnn.Settings{Hidden: set.Hidden}
	if tset.Net != nil {
		netSet = *tset.Net
		if netSet.Hidden == nil {
			netSet.Hidden = set.Hidden
		}
	}
	d := pairs.Dim()
	net, err := icnn.New(d, &netSet, pairs.InitRNG())
	if err != nil {
		return nil, err
	}
	solver := Settings{Workers: p.Threads}
	if tset.Solver != nil {
		solver = *tset.Solver
		if solver.Workers == 0 {
			solver.Workers = p.Threads
		}
	}
	field, err := NewField(net, &solver)
	if err != nil {
		return nil, err
	}
	opt, err := nn.NewOptimizer(net.Params(), &set.Optim)
	if err != nil {
		return nil, err
	}
	n := set.Pairs.Batch
	return &Trainer{Settings: set, Objective: objective, Net: net, Field: field, Opt: opt, Pairs: pairs, threads: p.Threads,
		in: make([]float64, n*(d+1)), target: make([]float64, n*d), grad: make([]float64, net.NumParams())}, nil
}

// Iterate does one training iteration and returns its loss; check, when
// not nil, sees the loss before the weights change (fm.Accept).
func (tr *Trainer) Iterate(check func(loss float64) error) (float64, error) {
	k := tr.Step
	b, err := tr.Pairs.Next(k, tr.in, tr.target)
	if err != nil {
		return 0, err
	}
	var loss float64
	switch tr.Objective {
	case FlowMatching:
		loss, err = tr.Field.FlowMatchingLoss(tr.grad, tr.in, tr.target, b.N)
	default:
		// The interior term only checks the inner solver (it vanishes for
		// optimal fields): a quarter of the batch is enough for that.
		m := max(1, b.N/4)
		loss, tr.HJ, err = tr.Field.ActionMatchingLoss(tr.grad, b.X0, b.X1, tr.in[:m*(b.D+1)], b.N)
	}
	if err != nil {
		return 0, fmt.Errorf("iteration %d: %w", k, err)
	}
	if err := fm.Accept(check, tr.Opt, tr.Net.Params(), tr.grad, loss); err != nil {
		return loss, fmt.Errorf("iteration %d: %w", k, err)
	}
	// The non-negative weights and the quadratic form derive from the
	// parameters the step changed.
	tr.Net.Refresh()
	tr.Step++
	tr.Loss = append(tr.Loss, loss)
	return loss, nil
}

// Model returns a copy of the potential with the EMA weights, or the raw
// ones when raw is set.
func (tr *Trainer) Model(raw bool) *icnn.Network {
	m := tr.Net.Clone()
	if !raw {
		copy(m.Params(), tr.Opt.Average())
	}
	m.Refresh()
	return m
}

// Losses returns the loss of every iteration done.
func (tr *Trainer) Losses() []float64 { return tr.Loss }

// Transport carries points by the one-step map ∇Ψ of the current
// potential, along the straight optimal paths x_t = (1−t)x + t∇Ψ(x).
func (tr *Trainer) Transport(raw bool) (fm.Transport, error) {
	return MapTransport(tr.Model(raw), tr.threads)
}

// MapTransport returns the transport of the map ∇Ψ: one evaluation (NFE
// 1), with trajectories along straight lines when asked for.
func MapTransport(psi *icnn.Network, threads int) (fm.Transport, error) {
	f, err := NewField(psi, &Settings{Workers: threads})
	if err != nil {
		return nil, err
	}
	return func(x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
		d := len(x0) / n
		res := &fm.SampleResult{X: make([]float64, n*d), NFE: 1}
		if err := f.Map(res.X, x0[:n*d], n); err != nil {
			return nil, err
		}
		if s != nil && s.Trajectory > 1 {
			for k := range s.Trajectory {
				t := float64(k) / float64(s.Trajectory-1)
				snap := make([]float64, n*d)
				for i := range snap {
					snap[i] = (1-t)*x0[i] + t*res.X[i]
				}
				res.Traj, res.TrajT = append(res.Traj, snap), append(res.TrajT, t)
			}
		}
		return res, nil
	}, nil
}

// State encodes the potential and the optimiser.
func (tr *Trainer) State() ([]byte, error) { return fm.MarshalState(tr.Net, tr.Opt) }

// Restore puts back a state written by State after the given losses.
func (tr *Trainer) Restore(losses []float64, state []byte) error {
	if err := fm.UnmarshalState(state, tr.Net, tr.Opt); err != nil {
		return err
	}
	tr.Net.Refresh()
	tr.Step, tr.Loss = len(losses), slices.Clone(losses)
	return nil
}
