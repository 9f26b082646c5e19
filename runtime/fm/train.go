package fm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lagc-dev/lagc/runtime/nn"
)

// Settings are the hyperparameters of a method that trains a network on
// minibatches of pairs with the optimiser bundle: flow matching's, and
// those of the methods built on the same pairs.
type Settings struct {
	Pairs PairSettings         `json:"pairs"`
	Optim nn.OptimizerSettings `json:"optimizer"`
	// Hidden are the hidden layer widths and Activation their activation
	// (selu, silu, relu, tanh).
	Hidden     []int  `json:"hidden"`
	Activation string `json:"activation"`
}

// DefaultSettings is flow matching as `lagc train` runs it with no flags:
// minibatch OT, σ = 0.1, MLP 3×64 SELU, Adam 1e-3 with an EMA of 0.999.
func DefaultSettings() Settings {
	return Settings{Pairs: DefaultPairs(), Optim: nn.DefaultOptimizer(), Hidden: []int{64, 64, 64}, Activation: "selu"}
}

// Validate checks the settings; its messages name the concepts.
func (s *Settings) Validate() error {
	var errs []string
	for _, err := range []error{s.Pairs.Validate(), s.Optim.Validate()} {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(s.Hidden) == 0 {
		errs = append(errs, "hidden layers: want at least one")
	}
	for _, h := range s.Hidden {
		if h < 1 {
			errs = append(errs, fmt.Sprintf("hidden layer width %d: must be at least 1", h))
		}
	}
	if _, err := nn.ParseActivation(s.Activation); err != nil {
		errs = append(errs, fmt.Sprintf("activation %q: want selu, silu, relu or tanh", s.Activation))
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// Trainer trains a velocity field v_θ(x, t) by flow matching on the
// least-action paths of a Lagrangian.
type Trainer struct {
	Settings Settings
	Net      *nn.MLP
	Opt      *nn.Optimizer
	Pairs    *Pairs
	Step     int       // iterations done
	Loss     []float64 // loss of every iteration done

	ws      *nn.Workspace
	grad    []float64
	in, out []float64
}

// NewTrainer builds the network, optimiser and pairs of a run on p; nil s
// means DefaultSettings.
func NewTrainer(p *Problem, s *Settings) (*Trainer, error) {
	set := DefaultSettings()
	if s != nil {
		set = *s
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	pairs, err := NewPairs(p, &set.Pairs)
	if err != nil {
		return nil, err
	}
	act, err := nn.ParseActivation(set.Activation)
	if err != nil {
		return nil, err
	}
	d := pairs.Dim()
	sizes := append(append([]int{d + 1}, set.Hidden...), d)
	net, err := nn.NewMLP(sizes, act, pairs.InitRNG())
	if err != nil {
		return nil, err
	}
	n := set.Pairs.Batch
	ws, err := net.NewWorkspace(n, &nn.WorkspaceSettings{Workers: p.Threads})
	if err != nil {
		return nil, err
	}
	opt, err := nn.NewOptimizer(net.Params(), &set.Optim)
	if err != nil {
		return nil, err
	}
	return &Trainer{Settings: set, Net: net, Opt: opt, Pairs: pairs, ws: ws,
		grad: make([]float64, net.NumParams()), in: make([]float64, n*(d+1)), out: make([]float64, n*d)}, nil
}

// Iterate does one training iteration and returns its loss. check, when
// not nil, sees the loss before the weights change and stops the
// iteration, unchanged, by returning an error.
func (tr *Trainer) Iterate(check func(loss float64) error) (float64, error) {
	k := tr.Step
	b, err := tr.Pairs.Next(k, tr.in, tr.out)
	if err != nil {
		return 0, err
	}
	t1 := time.Now()
	defer func() { tr.Pairs.Time.Network += time.Since(t1) }()
	loss, err := tr.Net.MSEGrad(tr.grad, tr.ws, tr.in, tr.out, b.N)
	if err != nil {
		return 0, err
	}
	if err := Accept(check, tr.Opt, tr.Net.Params(), tr.grad, loss); err != nil {
		return loss, fmt.Errorf("iteration %d: %w", k, err)
	}
	tr.Step++
	tr.Loss = append(tr.Loss, loss)
	return loss, nil
}

// Accept is the end of every method's iteration: the caller's check of the
// loss, then the optimiser's step on params.
func Accept(check func(float64) error, opt *nn.Optimizer, params, grad []float64, loss float64) error {
	if check != nil {
		if err := check(loss); err != nil {
			return err
		}
	}
	return opt.Step(params, grad, loss)
}

// Losses returns the loss of every iteration done.
func (tr *Trainer) Losses() []float64 { return tr.Loss }

// Model returns a copy of the network with the averaged (EMA) weights, or
// the raw ones when raw is set.
func (tr *Trainer) Model(raw bool) *nn.MLP {
	m := tr.Net.Clone()
	if !raw {
		copy(m.Params(), tr.Opt.Average())
	}
	return m
}

// Transport carries points along the flow of the current model.
func (tr *Trainer) Transport(raw bool) (Transport, error) {
	net := tr.Model(raw)
	return func(x0 []float64, n int, s *SampleSettings) (*SampleResult, error) { return Sample(net, x0, n, s) }, nil
}

// State encodes the network and the optimiser (MarshalState).
func (tr *Trainer) State() ([]byte, error) { return MarshalState(tr.Net, tr.Opt) }

// Restore puts back a state written by State after the given losses.
func (tr *Trainer) Restore(losses []float64, state []byte) error {
	if err := UnmarshalState(state, tr.Net, tr.Opt); err != nil {
		return err
	}
	tr.Step, tr.Loss = len(losses), slices.Clone(losses)
	return nil
}

// A model's state is its encoding and the optimiser's, each after its
// length; every method that trains with nn.Optimizer stores it so.

// MarshalState encodes a model and its optimiser.
func MarshalState(model interface{ MarshalBinary() ([]byte, error) }, opt *nn.Optimizer) ([]byte, error) {
	m, err := model.MarshalBinary()
	if err != nil {
		return nil, err
	}
	o, err := opt.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(m)))
	return append(append(b, m...), o...), nil
}

// UnmarshalState decodes a state written by MarshalState into model and
// opt, which must have the same shape as the model that wrote it.
func UnmarshalState(b []byte, model interface {
	MarshalBinary() ([]byte, error)
	UnmarshalBinary([]byte) error
}, opt *nn.Optimizer) error {
	if len(b) < 8 || binary.LittleEndian.Uint64(b) > uint64(len(b)-8) {
		return errors.New("model state truncated")
	}
	n := binary.LittleEndian.Uint64(b)
	m, o := b[8:8+n], b[8+n:]
	// The model must keep its architecture: compare the decoded shape by
	// re-encoding the current one's header.
	before, err := model.MarshalBinary()
	if err != nil {
		return err
	}
	if err := model.UnmarshalBinary(m); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	after, _ := model.MarshalBinary()
	if len(after) != len(before) {
		_ = model.UnmarshalBinary(before)
		return errors.New("the stored model's architecture differs from the settings'")
	}
	if err := opt.UnmarshalBinary(o); err != nil {
		_ = model.UnmarshalBinary(before)
		return err
	}
	return nil
}
