package condflow

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/coupling"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/labeled"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/nn"
	"github.com/lagc-dev/lagc/runtime/noise"
	"github.com/lagc-dev/lagc/runtime/ot"
)

// Couplings of source and target points in a minibatch.
const (
	Independent = "independent"
	OT          = "ot"
	Sinkhorn    = "sinkhorn"
)

// Settings are the hyperparameters; a nil *Settings means Defaults().
type Settings struct {
	Hidden     []int
	Activation nn.Activation
	Batch      int
	// Optim is the optimiser: Adam with its learning rate, weight decay,
	// clipping and the moving average of the weights sampled from.
	Optim nn.OptimizerSettings
	// Coupling is Independent, OT or Sinkhorn; Epsilon is the entropic
	// regularisation of Sinkhorn in the units of c_L (0: σ², the
	// Schrödinger bridge's, or 0.05 when σ = 0).
	Coupling string
	Epsilon  float64
	// Sigma is the noise level around the paths, Schedule its shape.
	Sigma    float64
	Schedule noise.Schedule
	Seed     uint64
	// Threads bounds the network's goroutines (0: GOMAXPROCS).
	Threads int
}

// Defaults returns flow matching's defaults (MLP 3×64 SELU, batch 256,
// Adam 1e-3, EMA 0.999, σ = 0.1 constant) with independent pairs, the
// coupling of torchcfm's conditional example.
func Defaults() Settings {
	return Settings{Hidden: []int{64, 64, 64}, Activation: nn.SELU, Batch: 256, Optim: nn.DefaultOptimizer(),
		Coupling: Independent, Sigma: 0.1, Seed: 1}
}

func (s *Settings) validate() error {
	switch {
	case s.Batch < 1:
		return fmt.Errorf("batch size %d: must be at least 1", s.Batch)
	case !(s.Sigma >= 0) || math.IsInf(s.Sigma, 0):
		return fmt.Errorf("path noise σ %v: must be finite and ≥ 0", s.Sigma)
	case !(s.Epsilon >= 0) || math.IsInf(s.Epsilon, 0):
		return fmt.Errorf("entropic regularisation ε %v: must be finite and ≥ 0", s.Epsilon)
	case len(s.Hidden) == 0:
		return errors.New("the network needs at least one hidden layer")
	}
	switch s.Coupling {
	case Independent, OT, Sinkhorn:
	default:
		return fmt.Errorf("coupling %q: want %s, %s or %s", s.Coupling, Independent, OT, Sinkhorn)
	}
	return s.Optim.Validate()
}

// Trainer fits a class-conditional velocity field.
type Trainer struct {
	Net  *nn.MLP
	Opt  *nn.Optimizer
	Loss []float64

	set      Settings
	cf       lagrangian.ClosedForm
	euclid   bool
	src      data.Sampler
	tgt      *labeled.Set
	d, c     int
	ws       *nn.Workspace
	x0, x1   []float64
	class    []int
	in, out  []float64
	grad     []float64
	cost     []float64
	perm     []int
	rows     []int
	cols     []int
	scratch  []float64
	classTmp []int
	assigner ot.Assigner
	entropic coupling.Entropic
	xt, ut   []float64
}

// NewTrainer prepares training from src to the labelled points tgt along
// the paths of sys, which must have a closed form.
func NewTrainer(sys lagrangian.System, src data.Sampler, tgt *labeled.Set, s *Settings) (*Trainer, error) {
	set := Defaults()
	if s != nil {
		set = *s
	}
	if err := set.validate(); err != nil {
		return nil, err
	}
	cf, ok := sys.(lagrangian.ClosedForm)
	if !ok {
		return nil, errors.New("class-conditional training needs a Lagrangian with closed-form paths")
	}
	d, c := sys.Dim(), tgt.Classes()
	if tgt.X.D != d || src.Dim() != 0 && src.Dim() != d {
		return nil, fmt.Errorf("the Lagrangian has dimension %d, the source %d and the labelled data %d", d, src.Dim(), tgt.X.D)
	}
	if set.Coupling == Sinkhorn && set.Epsilon == 0 {
		set.Epsilon = set.Sigma * set.Sigma
		if set.Epsilon == 0 {
			set.Epsilon = 0.05
		}
	}
	sizes := append(append([]int{d + 1 + c}, set.Hidden...), d)
	net, err := nn.NewMLP(sizes, set.Activation, rand.New(rand.NewPCG(set.Seed, 1<<62)))
	if err != nil {
		return nil, err
	}
	ws, err := net.NewWorkspace(set.Batch, &nn.WorkspaceSettings{Workers: set.Threads})
	if err != nil {
		return nil, err
	}
	opt, err := nn.NewOptimizer(net.Params(), &set.Optim)
	if err != nil {
		return nil, err
	}
	n := set.Batch
	tr := &Trainer{Net: net, Opt: opt, set: set, cf: cf, src: src, tgt: tgt, d: d, c: c, ws: ws,
		x0: make([]float64, n*d), x1: make([]float64, n*d), class: make([]int, n),
		in: make([]float64, n*(d+1+c)), out: make([]float64, n*d), grad: make([]float64, net.NumParams()),
		scratch: make([]float64, n*d), classTmp: make([]int, n), xt: make([]float64, d), ut: make([]float64, d)}
	if ec, ok := sys.(lagrangian.EuclideanCoupling); ok {
		tr.euclid = ec.EuclideanCoupling()
	}
	if set.Coupling != Independent {
		tr.cost, tr.perm = make([]float64, n*n), make([]int, n)
		tr.rows, tr.cols = make([]int, n), make([]int, n)
		tr.entropic = coupling.Entropic{Epsilon: set.Epsilon, Replace: true}
	}
	return tr, nil
}

// costMatrix fills tr.cost with c_L between the batch's sources and targets.
func (tr *Trainer) costMatrix() error {
	n, d := tr.set.Batch, tr.d
	if tr.euclid && tr.set.Coupling == OT {
		// Same optimal assignments as c_L (lagrangian.EuclideanCoupling).
		return ot.SqDist(tr.cost, tr.x0, n, tr.x1, n, d)
	}
	for i := range n {
		for j := range n {
			a, err := tr.cf.Action(tr.x0[i*d:(i+1)*d], tr.x1[j*d:(j+1)*d])
			if err != nil {
				return err
			}
			tr.cost[i*n+j] = a
		}
	}
	return nil
}

// couple reorders the batch so that row k of x0 goes to row k of x1, the
// labels following their target points.
func (tr *Trainer) couple(rng *rand.Rand) error {
	n, d := tr.set.Batch, tr.d
	switch tr.set.Coupling {
	case Independent:
		return nil
	case OT:
		if err := tr.costMatrix(); err != nil {
			return err
		}
		if _, err := tr.assigner.Assign(tr.perm, tr.cost, n, nil); err != nil {
			return fmt.Errorf("optimal coupling: %w", err)
		}
		for i := range n {
			tr.rows[i], tr.cols[i] = i, tr.perm[i]
		}
	case Sinkhorn:
		if err := tr.costMatrix(); err != nil {
			return err
		}
		if _, err := tr.entropic.Pairs(tr.rows, tr.cols, tr.cost, n, n, rng); err != nil {
			return err
		}
	}
	gather := func(x []float64, idx []int) {
		for k, i := range idx {
			copy(tr.scratch[k*d:(k+1)*d], x[i*d:(i+1)*d])
		}
		copy(x, tr.scratch)
	}
	gather(tr.x0, tr.rows)
	gather(tr.x1, tr.cols)
	for k, j := range tr.cols {
		tr.classTmp[k] = tr.class[j]
	}
	copy(tr.class, tr.classTmp)
	return nil
}

// Iterate does one iteration and returns its loss. Iteration k draws from
// its own random stream, so runs are reproducible and resume bit for bit.
// check, when not nil, sees the loss before the weights change; an error
// from it (or a non-finite loss or gradient, wrapping nn.ErrDiverged)
// leaves the trainer unchanged.
func (tr *Trainer) Iterate(check func(loss float64) error) (float64, error) {
	k := len(tr.Loss)
	rng := rand.New(rand.NewPCG(tr.set.Seed, uint64(k)))
	n, d, c := tr.set.Batch, tr.d, tr.c
	tr.src.Sample(tr.x0, n, rng)
	tr.tgt.Sample(tr.x1, tr.class, n, rng)
	if err := tr.couple(rng); err != nil {
		return 0, fmt.Errorf("iteration %d: %w", k, err)
	}
	w := d + 1 + c
	for i := range n {
		t := rng.Float64()
		row := tr.in[i*w : (i+1)*w]
		xt, ut := row[:d], tr.out[i*d:(i+1)*d]
		if err := tr.cf.Path(xt, ut, t, tr.x0[i*d:(i+1)*d], tr.x1[i*d:(i+1)*d]); err != nil {
			return 0, fmt.Errorf("iteration %d: path of pair %d: %w", k, i, err)
		}
		tr.set.Schedule.Perturb(xt, ut, tr.set.Sigma, t, rng)
		row[d] = t
		labeled.OneHot(row[d+1:], tr.class[i])
	}
	loss, err := tr.Net.MSEGrad(tr.grad, tr.ws, tr.in, tr.out, n)
	if err != nil {
		return 0, err
	}
	if check != nil {
		if err := check(loss); err != nil {
			return loss, fmt.Errorf("iteration %d: %w", k, err)
		}
	}
	if err := tr.Opt.Step(tr.Net.Params(), tr.grad, loss); err != nil {
		return loss, fmt.Errorf("iteration %d: %w", k, err)
	}
	tr.Loss = append(tr.Loss, loss)
	return loss, nil
}

// Model returns a copy of the network with the averaged weights, the one
// to sample from.
func (tr *Trainer) Model() *nn.MLP {
	return tr.model(false)
}

// model is the network with the raw weights or their average.
func (tr *Trainer) model(raw bool) *nn.MLP {
	m := tr.Net.Clone()
	if !raw {
		copy(m.Params(), tr.Opt.Average())
	}
	return m
}
