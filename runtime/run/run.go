package run

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"

	"github.com/lagc-dev/lagc/runtime/condflow"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/nn"
	"github.com/lagc-dev/lagc/runtime/seriesfm"
)

// Run is a training run: its Spec, its method's settings and trainer, and
// the data it trains on.
type Run struct {
	Spec     Spec
	Settings fm.Settings
	Method   Method
	// Reg is the registration of Spec.Method.
	Reg  Registration
	Data *Data
}

// Options are the parts of opening a run that do not belong to it.
type Options struct {
	// Threads bounds the goroutines (0: GOMAXPROCS); see fm.Problem for
	// when results depend on it.
	Threads int
	// Target, when not empty, replaces the Spec's target data: evaluating
	// a model on other data.
	Target string
}

// New starts a run of spec; nil s means the method's defaults.
func New(spec Spec, s *fm.Settings, o *Options) (*Run, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	reg, _ := lookup(spec.Method)
	spec.Method = reg.Name
	if spec.Snapshots != "" {
		// A series run has no source or target; the checkpoint says so.
		spec.Source, spec.Target, spec.Dim = "", "", 0
	}
	set := reg.Defaults()
	if s != nil {
		set = *s
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	var opt Options
	if o != nil {
		opt = *o
	}
	build := spec
	if opt.Target != "" {
		build.Target = opt.Target
	}
	dt, err := build.Build()
	if err != nil {
		return nil, err
	}
	var m Method
	if dt.Series != nil {
		lo := 0
		if spec.LeaveOut != nil {
			lo = *spec.LeaveOut
		}
		m, err = reg.OnSeries(&seriesfm.Problem{Sys: dt.Sys, Series: dt.Series, LeaveOut: lo, Seed: spec.Seed, Threads: opt.Threads}, &set)
	} else {
		m, err = reg.New(&fm.Problem{Sys: dt.Sys, Source: dt.Src, Target: dt.Tgt, Seed: spec.Seed, Iters: spec.Iters, Threads: opt.Threads}, &set)
	}
	if err != nil {
		return nil, err
	}
	return &Run{Spec: spec, Settings: set, Method: m, Reg: reg, Data: dt}, nil
}

// Open rebuilds the run of a checkpoint file with its state restored.
func Open(path string, o *Options) (*Run, error) { return Resume(path, 0, o) }

// Resume is Open with the run's iterations set to iters (when positive):
// continuing a run to a new total.
func Resume(path string, iters int, o *Options) (*Run, error) {
	ck, err := ReadCheckpoint(path)
	if err != nil {
		return nil, err
	}
	spec := ck.Spec
	if iters > 0 {
		spec.Iters = iters
	}
	r, err := New(spec, &ck.Settings, o)
	if err != nil {
		return nil, fmt.Errorf("rebuilding the run of %s: %w", path, err)
	}
	if err := r.Method.Restore(ck.Losses, ck.State); errors.Is(err, condflow.ErrOtherClasses) {
		return nil, fmt.Errorf("%s: %w", path, err)
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrCorrupt, err)
	}
	return r, nil
}

// Step is the number of iterations done.
func (r *Run) Step() int { return len(r.Method.Losses()) }

// Checkpoint returns the run's state as a checkpoint.
func (r *Run) Checkpoint() (*Checkpoint, error) {
	state, err := r.Method.State()
	if err != nil {
		return nil, err
	}
	return &Checkpoint{Spec: r.Spec, Settings: r.Settings, Losses: slices.Clone(r.Method.Losses()), State: state}, nil
}

// Save writes the run's checkpoint to path atomically.
func (r *Run) Save(path string) error {
	ck, err := r.Checkpoint()
	if err != nil {
		return err
	}
	return WriteCheckpoint(path, ck)
}

// DefaultDivergence is the factor of TrainSettings.Divergence: the loss
// may not exceed 1000 times its early level.
const DefaultDivergence = 1e3

// EarlyIterations is the number of first iterations whose mean absolute
// loss is the early level divergence is measured against; before that
// many are done, the level is the mean over those done. A method whose
// loss is signed and starts near 0 (Registration.SignedLoss) has a level
// of at least 1.
const EarlyIterations = 10

// TrainSettings steer Train; nil means defaults.
type TrainSettings struct {
	// Checkpoint is the file written every Every iterations and at the
	// end ("" for none). Every defaults to 1000.
	Checkpoint string
	Every      int
	// Divergence stops training when |loss| exceeds this factor times its
	// early level, the mean |loss| of the first EarlyIterations iterations
	// (a non-finite loss or gradient always stops it). 0 means DefaultDivergence; negative turns the
	// check off.
	Divergence float64
	// Progress, when not nil, is called after every iteration.
	Progress func(step int, loss float64)
}

// DivergedError reports training stopped by a diverging loss, before the
// weights changed.
type DivergedError struct {
	// Step is the iteration whose loss diverged.
	Step int
	Err  error
	// Checkpoint is the last checkpoint file written before it ("" when
	// there is none) and CheckpointStep its iteration.
	Checkpoint     string
	CheckpointStep int
}

func (e *DivergedError) Error() string {
	msg := e.Err.Error() + "; try a lower learning rate or gradient clipping, and check the data for huge values (standardizing helps with file data)"
	if e.Checkpoint != "" {
		return fmt.Sprintf("%s\nthe last checkpoint written before it is %s (iteration %d)", msg, e.Checkpoint, e.CheckpointStep)
	}
	return msg + "\nno checkpoint was written before it"
}

func (e *DivergedError) Unwrap() error { return e.Err }

// Train iterates until the Spec's iterations are done, writing
// checkpoints. A diverging loss stops it with a *DivergedError and the last
// checkpoint is left as it was; other errors are returned as they are.
func (r *Run) Train(s *TrainSettings) error {
	var set TrainSettings
	if s != nil {
		set = *s
	}
	if set.Every == 0 {
		set.Every = 1000
	}
	if set.Every < 0 {
		return fmt.Errorf("checkpoint interval %d: must be positive", set.Every)
	}
	factor := set.Divergence
	if factor == 0 {
		factor = DefaultDivergence
	}
	if math.IsNaN(factor) {
		return errors.New("divergence factor is NaN")
	}
	// The checkpoint a resumed run started from is the last good one
	// until another is written.
	saved, savedStep := "", 0
	if set.Checkpoint != "" && r.Step() > 0 {
		if _, err := os.Stat(set.Checkpoint); err == nil {
			saved, savedStep = set.Checkpoint, r.Step()
		}
	}
	check := func(loss float64) error {
		losses := r.Method.Losses()
		if factor < 0 || len(losses) == 0 {
			return nil
		}
		early := losses[:min(len(losses), EarlyIterations)]
		var level float64
		for _, l := range early {
			level += math.Abs(l) / float64(len(early))
		}
		if r.Reg.SignedLoss {
			level = max(level, 1)
		}
		if math.Abs(loss) > factor*level {
			return fmt.Errorf("the loss %.4g exceeds %g times its early level %.4g (mean |loss| of the first %d iterations): %w",
				loss, factor, level, len(early), nn.ErrDiverged)
		}
		return nil
	}
	for r.Step() < r.Spec.Iters {
		loss, err := r.Method.Iterate(check)
		if err != nil {
			if errors.Is(err, nn.ErrDiverged) {
				return &DivergedError{Step: r.Step(), Err: err, Checkpoint: saved, CheckpointStep: savedStep}
			}
			return err
		}
		step := r.Step()
		if set.Progress != nil {
			set.Progress(step, loss)
		}
		if set.Checkpoint != "" && (step%set.Every == 0 || step == r.Spec.Iters) {
			if err := r.Save(set.Checkpoint); err != nil {
				return err
			}
			saved, savedStep = set.Checkpoint, step
		}
	}
	if set.Checkpoint != "" && savedStep != r.Step() {
		if err := r.Save(set.Checkpoint); err != nil {
			return err
		}
	}
	return nil
}

// Evaluate carries n source points with the model (raw weights or their
// average) and compares them with target points (fm.EvaluateTransport).
func (r *Run) Evaluate(n int, s *fm.SampleSettings, raw bool, rng *rand.Rand) (*fm.Metrics, *fm.SampleResult, error) {
	if r.Data.Series != nil {
		return nil, nil, errors.New("a model of a snapshot series has no source and target to evaluate against; train it with a time left out for its leave-out W1, or push points between observed times")
	}
	tr, err := r.Method.Transport(raw)
	if err != nil {
		return nil, nil, err
	}
	m, res, err := fm.EvaluateTransport(tr, r.Data.Dim, r.Data.Src, r.Data.Tgt, r.Data.Holdout, n, s, rng)
	if err != nil {
		return nil, nil, err
	}
	if r.Reg.OneStep {
		m.Solver, m.Steps = "map ∇Ψ", 0
	}
	return m, res, nil
}

// FinalLoss is the mean loss of the last 100 iterations (of all when
// fewer), the figure summaries report: one iteration's loss is too noisy.
func FinalLoss(losses []float64) float64 {
	n := min(100, len(losses))
	if n == 0 {
		return 0
	}
	var s float64
	for _, v := range losses[len(losses)-n:] {
		s += v
	}
	return s / float64(n)
}
