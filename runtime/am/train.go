package am

import (
	"fmt"
	"slices"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/nn"
)

// DefaultSettings are those of flow matching (fm.DefaultSettings) with
// the changes Action Matching needs: a smooth activation (silu; the loss
// differentiates the network twice) and no noise around the paths (noise
// would change p_t and break the identity the loss rests on).
func DefaultSettings() fm.Settings {
	s := fm.DefaultSettings()
	s.Activation = "silu"
	s.Pairs.Sigma = 0
	return s
}

// Trainer trains s_θ(x, t) by Action Matching on the minibatches of Pairs
// — data, coupling and least-action paths, which define p_t.
type Trainer struct {
	Settings fm.Settings
	Net      *nn.MLP
	Opt      *nn.Optimizer
	Step     int
	Loss     []float64
	Pairs    *fm.Pairs

	loss       *Loss
	in, target []float64
	grad       []float64
}

// NewTrainer builds the network (sizes d+1, Hidden…, 1), optimiser and
// pairs of a run on p; nil s means DefaultSettings. The activation must be
// smooth (silu or tanh).
func NewTrainer(p *fm.Problem, s *fm.Settings) (*Trainer, error) {
	set := DefaultSettings()
	if s != nil {
		set = *s
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	act, err := nn.ParseActivation(set.Activation)
	if err != nil {
		return nil, err
	}
	if act != nn.SiLU && act != nn.Tanh {
		return nil, fmt.Errorf("activation %v is not twice continuously differentiable; Action Matching needs silu or tanh", act)
	}
	pairs, err := fm.NewPairs(p, &set.Pairs)
	if err != nil {
		return nil, err
	}
	d := pairs.Dim()
	sizes := append(append([]int{d + 1}, set.Hidden...), 1)
	net, err := nn.NewMLP(sizes, act, pairs.InitRNG())
	if err != nil {
		return nil, err
	}
	n := set.Pairs.Batch
	loss, err := NewLoss(net, n, p.Threads)
	if err != nil {
		return nil, err
	}
	opt, err := nn.NewOptimizer(net.Params(), &set.Optim)
	if err != nil {
		return nil, err
	}
	return &Trainer{Settings: set, Net: net, Opt: opt, Pairs: pairs, loss: loss,
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
	loss, err := tr.loss.Eval(tr.grad, b.X0, b.X1, tr.in, b.N)
	if err != nil {
		return 0, fmt.Errorf("iteration %d: %w", k, err)
	}
	if err := fm.Accept(check, tr.Opt, tr.Net.Params(), tr.grad, loss); err != nil {
		return loss, fmt.Errorf("iteration %d: %w", k, err)
	}
	tr.Step++
	tr.Loss = append(tr.Loss, loss)
	return loss, nil
}

// Model returns a copy of the network with the EMA weights, or the raw
// ones when raw is set.
func (tr *Trainer) Model(raw bool) *nn.MLP {
	m := tr.Net.Clone()
	if !raw {
		copy(m.Params(), tr.Opt.Average())
	}
	return m
}

// Losses returns the loss of every iteration done.
func (tr *Trainer) Losses() []float64 { return tr.Loss }

// Transport carries points along the gradient field of the potential.
func (tr *Trainer) Transport(raw bool) (fm.Transport, error) {
	net := tr.Model(raw)
	return func(x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
		return Sample(net, x0, n, s)
	}, nil
}

// State encodes the network and the optimiser.
func (tr *Trainer) State() ([]byte, error) { return fm.MarshalState(tr.Net, tr.Opt) }

// Restore puts back a state written by State after the given losses.
func (tr *Trainer) Restore(losses []float64, state []byte) error {
	if err := fm.UnmarshalState(state, tr.Net, tr.Opt); err != nil {
		return err
	}
	tr.Step, tr.Loss = len(losses), slices.Clone(losses)
	return nil
}
