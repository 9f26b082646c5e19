package ofm

import (
	"fmt"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/icnn"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
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

// TrainSettings are the parts of a run that fm.Config does not describe;
// nil means defaults.
type TrainSettings struct {
	// Net shapes the potential; its Hidden defaults to the Config's.
	Net *icnn.Settings
	// Solver tunes the inner problem (Workers defaults to Config.Threads).
	Solver *Settings
}

// Trainer trains a convex potential Ψ with one of the objectives. Pairs
// draws the minibatches — data, coupling and least-action paths — exactly
// as flow matching does; its own network is not trained.
type Trainer struct {
	Cfg       fm.Config
	Objective string
	Net       *icnn.Network
	Field     *Field
	Adam      *nn.Adam
	EMA       *nn.EMA
	Step      int
	Loss      []float64
	// HJ is the Hamilton–Jacobi residual of the last ActionMatching
	// iteration (see Field.ActionMatchingLoss).
	HJ    float64
	Pairs *fm.Trainer

	in, target []float64
	grad       []float64
}

// NewTrainer builds the potential, optimiser and data of a run.
func NewTrainer(cfg fm.Config, objective string, sys lagrangian.System, src, tgt data.Sampler, s *TrainSettings) (*Trainer, error) {
	switch objective {
	case FlowMatching, ActionMatching:
	default:
		return nil, fmt.Errorf("ofm: objective %q: want %q or %q", objective, FlowMatching, ActionMatching)
	}
	pairs, err := fm.NewTrainer(cfg, sys, src, tgt)
	if err != nil {
		return nil, err
	}
	var set TrainSettings
	if s != nil {
		set = *s
	}
	netSet := icnn.Settings{Hidden: cfg.Hidden}
	if set.Net != nil {
		netSet = *set.Net
		if netSet.Hidden == nil {
			netSet.Hidden = cfg.Hidden
		}
	}
	d := sys.Dim()
	net, err := icnn.New(d, &netSet, rand.New(rand.NewPCG(cfg.Seed, 1<<62)))
	if err != nil {
		return nil, err
	}
	solver := Settings{Workers: cfg.Threads}
	if set.Solver != nil {
		solver = *set.Solver
		if solver.Workers == 0 {
			solver.Workers = cfg.Threads
		}
	}
	field, err := NewField(net, &solver)
	if err != nil {
		return nil, err
	}
	adam, err := nn.NewAdam(net.NumParams(), &nn.AdamSettings{LR: cfg.LR, WeightDecay: cfg.WeightDecay, Decoupled: cfg.WeightDecay > 0})
	if err != nil {
		return nil, err
	}
	ema, err := nn.NewEMA(net.Params(), cfg.EMADecay)
	if err != nil {
		return nil, err
	}
	ema.Warmup = true
	n := cfg.Batch
	return &Trainer{Cfg: cfg, Objective: objective, Net: net, Field: field, Adam: adam, EMA: ema, Pairs: pairs,
		in: make([]float64, n*(d+1)), target: make([]float64, n*d), grad: make([]float64, net.NumParams())}, nil
}

// Iterate does one training iteration and returns its loss.
func (tr *Trainer) Iterate() (float64, error) {
	k := tr.Step
	// The pairs trainer's batches: numeric paths come from its pool,
	// closed-form ones are prefetched.
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
	if err := fm.Update(tr.Net.Params(), tr.grad, loss, k, tr.Adam, tr.EMA, tr.Cfg.ClipNorm); err != nil {
		return loss, err
	}
	// The non-negative weights and the quadratic form derive from the
	// parameters the step changed.
	tr.Net.Refresh()
	tr.Step++
	tr.Loss = append(tr.Loss, loss)
	return loss, nil
}

// Model returns a copy of the potential with the EMA weights.
func (tr *Trainer) Model() *icnn.Network {
	m := tr.Net.Clone()
	copy(m.Params(), tr.EMA.Params())
	m.Refresh()
	return m
}
