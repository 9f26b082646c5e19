package condflow

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/labeled"
	"github.com/lagc-dev/lagc/runtime/nn"
	"github.com/lagc-dev/lagc/runtime/noise"
)

// ErrOtherClasses is wrapped by the error of restoring a model on labelled
// data whose classes are not those it was trained on.
var ErrOtherClasses = errors.New("the data have other classes than the model")

// NewMethod builds a trainer for a run (runtime/run): p's target must be
// the features of a labelled set (labeled.Features) and s holds flow
// matching's settings, of which the numeric paths' pool does not apply.
func NewMethod(p *fm.Problem, s *fm.Settings) (*Trainer, error) {
	f, ok := p.Target.(labeled.Features)
	if !ok {
		return nil, errors.New("class-conditional training needs a labelled target: a data file with a label column")
	}
	set := Defaults()
	if s != nil {
		act, err := nn.ParseActivation(s.Activation)
		if err != nil {
			return nil, fmt.Errorf("activation %q: want selu, silu, relu or tanh", s.Activation)
		}
		sched, err := noise.ParseSchedule(s.Pairs.Schedule)
		if err != nil {
			return nil, err
		}
		set.Hidden, set.Activation, set.Batch, set.Optim = slices.Clone(s.Hidden), act, s.Pairs.Batch, s.Optim
		set.Coupling, set.Epsilon, set.Sigma, set.Schedule = s.Pairs.Coupling, s.Pairs.Epsilon, s.Pairs.Sigma, sched
	}
	set.Seed, set.Threads = p.Seed, p.Threads
	return NewTrainer(p.Sys, p.Source, f.Set, &set)
}

// Losses is the loss of every iteration done.
func (tr *Trainer) Losses() []float64 { return tr.Loss }

// State encodes the class labels the model was trained on, then the
// network and the optimiser (fm.MarshalState).
func (tr *Trainer) State() ([]byte, error) {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(tr.tgt.Labels)))
	for _, v := range tr.tgt.Labels {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	m, err := fm.MarshalState(tr.Net, tr.Opt)
	return append(b, m...), err
}

// Restore puts back a state written by State after the given losses. The
// labelled data must have the classes the model was trained on.
func (tr *Trainer) Restore(losses []float64, state []byte) error {
	if len(state) < 4 {
		return errors.New("the state is truncated")
	}
	c := binary.LittleEndian.Uint32(state)
	if uint64(c) > labeled.MaxClasses || len(state) < 4+8*int(c) {
		return errors.New("the state's class labels are truncated or damaged")
	}
	labels := make([]float64, c)
	for k := range labels {
		labels[k] = math.Float64frombits(binary.LittleEndian.Uint64(state[4+8*k:]))
	}
	if !slices.Equal(labels, tr.tgt.Labels) {
		return fmt.Errorf("%w: the model's are %v, the data's %v", ErrOtherClasses, labels, tr.tgt.Labels)
	}
	if err := fm.UnmarshalState(state[4+8*c:], tr.Net, tr.Opt); err != nil {
		return err
	}
	tr.Loss = slices.Clone(losses)
	return nil
}

// Classes is the number of classes the field is conditioned on.
func (tr *Trainer) Classes() int { return tr.c }

// ClassTransport carries source points to t = 1 along the field of class
// index k, with the averaged weights or, when raw, the raw ones.
func (tr *Trainer) ClassTransport(raw bool, k int) (fm.Transport, error) {
	if k < 0 || k >= tr.c {
		return nil, fmt.Errorf("class index %d: the model has classes 0..%d", k, tr.c-1)
	}
	net := tr.model(raw)
	return func(x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
		return Sample(net, k, x0, n, s)
	}, nil
}

// Transport carries source points along the class-mixture of the fields:
// the marginal the model learnt. The n points are split among the classes
// in proportion to the training labels' frequencies (deterministically, so
// that the same points give the same samples), each part along its
// class's field.
func (tr *Trainer) Transport(raw bool) (fm.Transport, error) {
	net := tr.model(raw)
	counts := make([]int, tr.c)
	for _, k := range tr.tgt.Class {
		counts[k]++
	}
	total := len(tr.tgt.Class)
	d := tr.d
	return func(x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
		out := &fm.SampleResult{X: make([]float64, n*d)}
		// Point i goes to the class whose cumulative share covers
		// (i+½)/n: class k gets its share of the n points, to rounding.
		start, cum := 0, 0
		for k := range tr.c {
			cum += counts[k]
			end := int((float64(cum)*float64(n) + float64(total)/2) / float64(total))
			end = min(max(end, start), n)
			if end == start {
				continue
			}
			m := end - start
			res, err := Sample(net, k, x0[start*d:end*d], m, s)
			if err != nil {
				return nil, err
			}
			copy(out.X[start*d:end*d], res.X)
			out.NFE = max(out.NFE, res.NFE)
			// Every class's solve snapshots at the same times (adaptive
			// steps aside, whose snapshot times are the requested ones).
			if out.Traj == nil && len(res.Traj) > 0 {
				out.TrajT = res.TrajT
				out.Traj = make([][]float64, len(res.Traj))
				for j := range out.Traj {
					out.Traj[j] = make([]float64, n*d)
				}
			}
			for j := range min(len(out.Traj), len(res.Traj)) {
				copy(out.Traj[j][start*d:end*d], res.Traj[j])
			}
			start = end
		}
		return out, nil
	}, nil
}
