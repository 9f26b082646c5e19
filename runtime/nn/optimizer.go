package nn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
)

// OptimizerSettings are the hyperparameters of an Optimizer, the same for
// every training method.
type OptimizerSettings struct {
	// LR is Adam's learning rate.
	LR float64 `json:"lr"`
	// WeightDecay, when positive, selects AdamW with this decoupled decay.
	WeightDecay float64 `json:"weight_decay"`
	// ClipNorm, when positive, clips the gradient's global norm to it.
	ClipNorm float64 `json:"clip_norm"`
	// EMADecay is the decay of the weights' moving average, in [0, 1).
	EMADecay float64 `json:"ema_decay"`
}

// DefaultOptimizer returns Adam with learning rate 1e-3, no weight decay,
// no clipping and an EMA of decay 0.999.
func DefaultOptimizer() OptimizerSettings {
	return OptimizerSettings{LR: 1e-3, EMADecay: 0.999}
}

// Validate checks the settings; its messages name the concepts, not any
// command-line spelling.
func (s *OptimizerSettings) Validate() error {
	var errs []string
	if !(s.LR > 0) || math.IsInf(s.LR, 0) {
		errs = append(errs, fmt.Sprintf("learning rate %v: must be positive and finite", s.LR))
	}
	if !(s.WeightDecay >= 0) || math.IsInf(s.WeightDecay, 0) {
		errs = append(errs, fmt.Sprintf("weight decay %v: must be ≥ 0 and finite", s.WeightDecay))
	}
	if !(s.ClipNorm >= 0) || math.IsInf(s.ClipNorm, 0) {
		errs = append(errs, fmt.Sprintf("gradient clipping norm %v: must be ≥ 0 and finite (0 = no clipping)", s.ClipNorm))
	}
	if !(s.EMADecay >= 0 && s.EMADecay < 1) {
		errs = append(errs, fmt.Sprintf("EMA decay %v: must be in [0, 1)", s.EMADecay))
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// ErrDiverged is wrapped by the errors of a step refused because the loss
// or the gradient is not finite.
var ErrDiverged = errors.New("the model diverged")

// Optimizer is what every training method does with a gradient: refuse a
// non-finite loss or gradient before touching the weights, clip the global
// norm, take an Adam (or AdamW) step and update the weights' moving average
// (with warm-up, see EMA.Warmup).
type Optimizer struct {
	Adam *Adam
	EMA  *EMA
	clip float64
}

// NewOptimizer returns an optimiser for params (whose current values start
// the moving average); nil s means DefaultOptimizer.
func NewOptimizer(params []float64, s *OptimizerSettings) (*Optimizer, error) {
	set := DefaultOptimizer()
	if s != nil {
		set = *s
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	adam, err := NewAdam(len(params), &AdamSettings{LR: set.LR, WeightDecay: set.WeightDecay, Decoupled: set.WeightDecay > 0})
	if err != nil {
		return nil, err
	}
	ema, err := NewEMA(params, set.EMADecay)
	if err != nil {
		return nil, err
	}
	ema.Warmup = true
	return &Optimizer{Adam: adam, EMA: ema, clip: set.ClipNorm}, nil
}

// Step updates params from grad, the gradient of loss. A non-finite loss or
// gradient returns an error wrapping ErrDiverged and changes nothing.
func (o *Optimizer) Step(params, grad []float64, loss float64) error {
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return fmt.Errorf("the loss is %v: %w", loss, ErrDiverged)
	}
	if o.clip > 0 {
		if _, err := ClipGradNorm(grad, o.clip); err != nil {
			return fmt.Errorf("the gradient's norm is not finite although the loss %g is: %w", loss, ErrDiverged)
		}
	}
	for _, g := range grad {
		if math.IsNaN(g) || math.IsInf(g, 0) {
			return fmt.Errorf("a gradient is %v although the loss %g is finite: %w", g, loss, ErrDiverged)
		}
	}
	if err := o.Adam.Step(params, grad); err != nil {
		return err
	}
	return o.EMA.Update(params)
}

// Average returns the moving average of the weights itself.
func (o *Optimizer) Average() []float64 { return o.EMA.Params() }

// MarshalBinary encodes the optimiser's state: Adam's, then the EMA's,
// each after its length.
func (o *Optimizer) MarshalBinary() ([]byte, error) {
	a, err := o.Adam.MarshalBinary()
	if err != nil {
		return nil, err
	}
	e, err := o.EMA.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(a)))
	b = append(b, a...)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(e)))
	return append(b, e...), nil
}

// UnmarshalBinary restores a state written by MarshalBinary for the same
// number of parameters.
func (o *Optimizer) UnmarshalBinary(b []byte) error {
	part := func() ([]byte, error) {
		if len(b) < 8 {
			return nil, errors.New("nn: optimizer state truncated")
		}
		n := binary.LittleEndian.Uint64(b)
		if n > uint64(len(b)-8) {
			return nil, errors.New("nn: optimizer state truncated")
		}
		p := b[8 : 8+n]
		b = b[8+n:]
		return p, nil
	}
	a, err := part()
	if err != nil {
		return err
	}
	e, err := part()
	if err != nil {
		return err
	}
	if len(b) != 0 {
		return errors.New("nn: optimizer state has trailing bytes")
	}
	adam, ema := new(Adam), new(EMA)
	if err := adam.UnmarshalBinary(a); err != nil {
		return err
	}
	if err := ema.UnmarshalBinary(e); err != nil {
		return err
	}
	m, _ := o.Adam.Moments()
	if am, _ := adam.Moments(); len(am) != len(m) || len(ema.Params()) != len(m) {
		return fmt.Errorf("nn: optimizer state is for %d parameters, the model has %d", len(ema.Params()), len(m))
	}
	ema.Warmup = o.EMA.Warmup
	o.Adam, o.EMA = adam, ema
	return nil
}
