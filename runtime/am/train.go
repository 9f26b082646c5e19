package am

import (
	"fmt"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/nn"
)

// Trainer trains s_θ(x, t) by Action Matching. Pairs draws the minibatches
// — data, coupling and least-action paths, which define p_t — exactly as
// flow matching does; its own network is not trained.
type Trainer struct {
	Cfg   fm.Config
	Net   *nn.MLP
	Adam  *nn.Adam
	EMA   *nn.EMA
	Step  int
	Loss  []float64
	Pairs *fm.Trainer

	loss       *Loss
	in, target []float64
	grad       []float64
}

// NewTrainer builds the network (sizes d+1, cfg.Hidden…, 1), optimiser and
// data of a run. The activation must be smooth (silu or tanh): the loss
// differentiates the network twice.
func NewTrainer(cfg fm.Config, sys lagrangian.System, src, tgt data.Sampler) (*Trainer, error) {
	pairs, err := fm.NewTrainer(cfg, sys, src, tgt)
	if err != nil {
		return nil, err
	}
	act, err := nn.ParseActivation(cfg.Activation)
	if err != nil {
		return nil, err
	}
	if act != nn.SiLU && act != nn.Tanh {
		return nil, fmt.Errorf("am: activation %v is not twice continuously differentiable; Action Matching needs --act silu or tanh", act)
	}
	d := sys.Dim()
	sizes := append(append([]int{d + 1}, cfg.Hidden...), 1)
	net, err := nn.NewMLP(sizes, act, rand.New(rand.NewPCG(cfg.Seed, 1<<62)))
	if err != nil {
		return nil, err
	}
	loss, err := NewLoss(net, cfg.Batch, cfg.Threads)
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
	return &Trainer{Cfg: cfg, Net: net, Adam: adam, EMA: ema, Pairs: pairs, loss: loss,
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
	loss, err := tr.loss.Eval(tr.grad, b.X0, b.X1, tr.in, b.N)
	if err != nil {
		return 0, fmt.Errorf("iteration %d: %w", k, err)
	}
	if err := fm.Update(tr.Net.Params(), tr.grad, loss, k, tr.Adam, tr.EMA, tr.Cfg.ClipNorm); err != nil {
		return loss, err
	}
	tr.Step++
	tr.Loss = append(tr.Loss, loss)
	return loss, nil
}

// Model returns a copy of the network with the EMA weights.
func (tr *Trainer) Model() *nn.MLP {
	m := tr.Net.Clone()
	copy(m.Params(), tr.EMA.Params())
	return m
}
