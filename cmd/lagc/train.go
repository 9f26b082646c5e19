package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/lagc-dev/lagc/internal/flagvalue"
	"github.com/lagc-dev/lagc/internal/progress"
	"github.com/lagc-dev/lagc/internal/sizelimit"
	"github.com/lagc-dev/lagc/runtime/fm"
	lagrun "github.com/lagc-dev/lagc/runtime/run"
	"github.com/lagc-dev/lagc/runtime/seriesfm"
)

func init() {
	register(&command{name: "train", summary: "train a flow-matching model on least-action paths", run: runTrain})
}

// trainFlags binds the Spec and the method settings to flags, with the
// values they hold as defaults.
func trainFlags(fs *flag.FlagSet, spec *lagrun.Spec, set *fm.Settings) (lagFile *string, params flagvalue.Params, threads *int) {
	params = flagvalue.Params{}
	lagFile = fs.String("L", "", "the Lagrangian `file` (default: the kinetic Lagrangian ½|v|², OT flow matching)")
	fs.Var(params, "p", "override a parameter of the Lagrangian: NAME=VALUE (repeatable)")
	fs.StringVar(&spec.Source, "source", spec.Source, "source distribution: a built-in set or a data file (see --target)")
	fs.StringVar(&spec.Target, "target", spec.Target, "target data: gaussian, 8gaussians, moons, checkerboard, circles, scurve, csv:PATH, npy:PATH[:key]")
	fs.IntVar(&spec.Dim, "dim", spec.Dim, "dimension of any-dimension sets such as gaussian (default 2, or the target's)")
	fs.StringVar(&spec.Columns, "cols", spec.Columns, "columns of a file target or the series' features: \"0:64\", \"0,3,5\" (series: header names too)")
	fs.BoolVar(&spec.Standardize, "standardize", spec.Standardize, "standardize each column of a file target (or the series' features) to mean 0, std 1")
	fs.Float64Var(&spec.Holdout, "holdout", spec.Holdout, "fraction of a file target held out for evaluation")
	fs.StringVar(&spec.Snapshots, "snapshots", spec.Snapshots, "train on a snapshot series instead of --source/--target: csv:PATH or npy:PATH, one row per observed point")
	fs.StringVar(&spec.TimeColumn, "time-col", spec.TimeColumn, "the series' column of observation times: an index or a CSV header name (default 0)")
	fs.Var(flagvalue.OptionalInt{P: &spec.LeaveOut}, "leave-out", "leave the series' interior time K (0-based) out of training; summary.json then reports loo_w1")
	fs.IntVar(&spec.Iters, "iters", spec.Iters, "training iterations (with --resume: the total to reach)")
	fs.Uint64Var(&spec.Seed, "seed", spec.Seed, "random seed")
	fs.StringVar(&spec.Method, "method", spec.Method, "training method: "+lagrun.MethodList()+"; all write checkpoints for sample, eval, plot and --resume")
	fs.StringVar(&set.Pairs.Coupling, "coupling", set.Pairs.Coupling, "pairing of sources and targets in a minibatch: ot (exact, with the Lagrangian cost), sinkhorn (drawn from the entropic plan) or independent")
	fs.Float64Var(&set.Pairs.Epsilon, "epsilon", set.Pairs.Epsilon, "entropic regularisation of --coupling sinkhorn, in units of the Lagrangian cost (0: sigma², the Schrödinger bridge's)")
	fs.Float64Var(&set.Pairs.Sigma, "sigma", set.Pairs.Sigma, "standard deviation of the Gaussian noise around the paths (default 0 for methods other than fm)")
	fs.StringVar(&set.Pairs.Schedule, "sigma-schedule", "constant", "noise around the paths: constant (sigma) or bridge (sigma·sqrt(t(1−t)) with its target; with --coupling sinkhorn: SB-CFM)")
	fs.Var((*flagvalue.Ints)(&set.Hidden), "hidden", "hidden layer widths of the network")
	fs.StringVar(&set.Activation, "act", set.Activation, "activation: selu, silu, relu, tanh (default silu for am)")
	fs.IntVar(&set.Pairs.Batch, "batch", set.Pairs.Batch, "minibatch size")
	fs.Float64Var(&set.Optim.LR, "lr", set.Optim.LR, "Adam learning rate")
	fs.Float64Var(&set.Optim.WeightDecay, "wd", set.Optim.WeightDecay, "decoupled weight decay (AdamW) when > 0")
	fs.Float64Var(&set.Optim.ClipNorm, "clip", set.Optim.ClipNorm, "clip the gradient's global norm to this (0: no clipping)")
	fs.Float64Var(&set.Optim.EMADecay, "ema", set.Optim.EMADecay, "decay of the exponential moving average of the weights")
	fs.IntVar(&set.Pairs.Pool, "pool", set.Pairs.Pool, "minibatches of numerically solved paths cached and cycled (non-closed-form Lagrangians)")
	threads = fs.Int("threads", 0, "goroutines for the network and path solving (0: all cores); results do not depend on it")
	return lagFile, params, threads
}

func runTrain(e *env, args []string) error { return trainWith(e, args, fm.DefaultSettings(), true) }

// trainWith is runTrain with the settings' defaults in set; first is the
// parse with flow matching's defaults, which parses again with the
// defaults of another method when --method names one.
func trainWith(e *env, args []string, set fm.Settings, first bool) error {
	spec := lagrun.DefaultSpec()
	fs := newFlags(e, "train", "[flags]",
		"Trains a velocity field by flow matching on the least-action paths of a Lagrangian\n"+
			"and writes, in the output directory, the checkpoint model.ckpt, summary.json and\n"+
			"plots (samples.png, trajectories.png, loss.png). With no flags it trains the\n"+
			"kinetic Lagrangian (OT flow matching) from a standard normal to moons. With\n"+
			"--snapshots it trains one field v(x, t) over the observed times of a series\n"+
			"(least-action paths between the c_L-optimally coupled snapshots of consecutive\n"+
			"times); --leave-out K leaves time K out and reports its W1 in summary.json.\n"+
			"Training stops, keeping the last checkpoint, when the loss is not finite or\n"+
			fmt.Sprintf("exceeds --diverge times its early level (the mean |loss| of the first %d iterations).\n\n", lagrun.EarlyIterations)+
			"Memory: the exact OT coupling needs 15·batch² bytes (costs and their working\n"+
			"copies) and the final evaluation 15·eval-n², so --batch (with --coupling ot)\n"+
			"and --eval-n are limited to 16384 (3.75 GiB); use --coupling independent for\n"+
			"larger minibatches, and lagc eval on subsamples. The pool of numeric paths\n"+
			"(--pool × --batch paths of about 33 nodes each) and the network's activations\n"+
			"(--batch × the layer widths) are limited to 4 GiB each. One process at a time may\n"+
			"use an output directory (lock file lagc.lock; a killed run's lock is stale\n"+
			"and taken over).")
	lagFile, params, threads := trainFlags(fs, &spec, &set)
	out := fs.String("o", "run", "output `dir`ectory")
	resume := fs.Bool("resume", false, "continue the run in the output directory from its checkpoint")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	every := fs.Int("ckpt-every", 1000, "write a checkpoint every N iterations (and at the end)")
	noPlot := fs.Bool("no-plot", false, "do not write plots")
	evalN := fs.Int("eval-n", 2048, "samples for the final evaluation in summary.json (0: none)")
	diverge := fs.Float64("diverge", lagrun.DefaultDivergence, "stop when |loss| exceeds this factor of its early level (0: no check)")
	condCol := fs.Int("cond-col", 0, "train a class-conditional field (--method cond) on a file target whose `column` COL (among --cols; negative counts from the end) holds integer class labels; sample a class with lagc sample --class")
	if err := parseNone(fs, args, " (flags only; the Lagrangian goes with -L)"); err != nil {
		return err
	}
	if *every < 1 {
		return usagef("--ckpt-every %d: must be at least 1", *every)
	}
	if !(*diverge >= 0) {
		return usagef("--diverge %v: must be ≥ 0 (0 turns the check off)", *diverge)
	}
	if *lagFile != "" {
		if err := spec.ReadLagrangian(*lagFile); err != nil {
			return err
		}
	}
	spec.Params = params
	if *threads < 0 {
		return usagef("--threads %d: must be ≥ 0 (0: all cores)", *threads)
	}
	if err := condFlags(fs, &spec, *condCol, *resume, set.Pairs.Coupling); err != nil {
		return err
	}
	if reg, err := lagrun.Lookup(spec.Method); err == nil && reg.Name != "fm" && first && !*resume {
		// The flags not given take the method's defaults.
		return trainWith(e, args, reg.Defaults(), false)
	}
	if err := errors.Join(spec.Validate(), set.Validate()); err != nil {
		return flagError(err)
	}
	sizes := sizelimit.Training{Dim: spec.Dim, Batch: set.Pairs.Batch, Pool: set.Pairs.Pool, EvalN: *evalN, Hidden: set.Hidden, ExactOT: set.Pairs.Coupling == fm.OT}
	if err := sizes.Check(); err != nil {
		return flagError(err)
	}
	if *resume && flagGiven(fs, "method") {
		return usagef("--resume continues the run with its own method; drop --method")
	}
	st := &lagrun.StartSettings{Dir: *out, Resume: *resume, Options: lagrun.Options{Threads: *threads}}
	if flagGiven(fs, "iters") {
		st.Iters = spec.Iters
	}
	for _, f := range resumeFlags {
		if flagGiven(fs, f.flag) {
			st.Asked = append(st.Asked, f.concept)
		}
	}
	r, ckpt, release, err := lagrun.Start(spec, &set, st)
	var exists *lagrun.ExistsError
	var differ *lagrun.MismatchError
	switch {
	case errors.As(err, &differ):
		return fmt.Errorf("--resume continues %s as it was trained, but these differ from it: %s\ndrop those flags, or train a new run into another directory (-o)", differ.Checkpoint, strings.Join(differ.Diffs, "; "))
	case errors.As(err, &exists):
		return fmt.Errorf("%s exists: use --resume to continue that run, or -o to choose another directory", exists.Checkpoint)
	case !*resume && errors.Is(err, seriesfm.ErrLeaveOut):
		return flagError(err)
	case err != nil:
		return err
	}
	defer release()
	var logTo io.Writer
	if !*quiet {
		logTo = e.stderr
	}
	log := progress.New(logTo, "train", r.Step(), r.Spec.Iters)
	start, startStep := time.Now(), r.Step()
	factor := *diverge
	if factor == 0 {
		factor = -1
	}
	err = r.Train(&lagrun.TrainSettings{Checkpoint: ckpt, Every: *every, Divergence: factor, Progress: log.Update})
	log.Finish()
	wall := time.Since(start).Seconds()
	if err != nil {
		return trainError(err)
	}
	sum, err := r.Report(&lagrun.ReportSettings{Dir: *out, Checkpoint: ckpt, EvalN: *evalN, Plots: !*noPlot, WallSeconds: wall, Trained: r.Step() - startStep})
	if err != nil {
		return err
	}
	if !*quiet {
		return sum.WriteText(e.stderr, r.Reg.Title, *out)
	}
	return nil
}

// condFlags refuses flags that do not apply together and sets the spec's
// label column from --cond-col, which selects the class-conditional method.
func condFlags(fs *flag.FlagSet, spec *lagrun.Spec, col int, resume bool, coupling string) error {
	reg, err := lagrun.Lookup(spec.Method)
	switch given := flagGiven(fs, "cond-col"); {
	case spec.Snapshots != "" && (flagGiven(fs, "source") || flagGiven(fs, "target")):
		return usagef("--snapshots trains on the series alone; drop --source and --target")
	case flagGiven(fs, "epsilon") && coupling != fm.Sinkhorn:
		return usagef("--epsilon is the regularisation of --coupling sinkhorn; drop it or add --coupling sinkhorn")
	case given && resume:
		return usagef("--resume continues the run with its own label column; drop --cond-col")
	case given && spec.Snapshots != "":
		return usagef("--cond-col applies to a labelled --target file, not to --snapshots")
	case given && flagGiven(fs, "method") && (err != nil || !reg.Labelled):
		return usagef("--cond-col trains the class-conditional method; drop --method %s", spec.Method)
	case given:
		spec.Method, spec.LabelColumn = "cond", col
	case !resume && err == nil && reg.Labelled:
		return usagef("--method %s needs the label column: --cond-col COL", spec.Method)
	}
	return nil
}

// resumeFlags are the flags of settings a resumed run keeps from its
// checkpoint, with the concepts run.Run.Mismatches knows them by.
var resumeFlags = []struct{ flag, concept string }{
	{"L", "Lagrangian"}, {"p", "Lagrangian parameters"}, {"source", "source data"}, {"target", "target data"},
	{"dim", "dimension"}, {"cols", "columns"}, {"standardize", "standardizing"}, {"holdout", "holdout"}, {"seed", "seed"},
	{"coupling", "coupling"}, {"sigma", "path noise"}, {"batch", "batch size"}, {"pool", "pool of path batches"},
	{"hidden", "hidden layer widths"}, {"act", "activation"}, {"lr", "learning rate"}, {"wd", "weight decay"},
	{"clip", "gradient clipping"}, {"ema", "EMA decay"},
}

// flagNames maps the concepts library errors name to the flags that set
// them, so that the user learns which flag to change.
var flagNames = []struct{ concept, flag string }{
	{"learning rate", "--lr"}, {"activation", "--act"}, {"training method", "--method"}, {"batch size", "--batch"},
	{"path noise", "--sigma"}, {"pool of path batches", "--pool"}, {"coupling", "--coupling"}, {"entropic regularisation", "--epsilon"}, {"noise schedule", "--sigma-schedule"}, {"hidden layer", "--hidden"},
	{"weight decay", "--wd"}, {"gradient clipping", "--clip"}, {"EMA decay", "--ema"}, {"holdout", "--holdout"},
	{"iterations", "--iters"}, {"dimension", "--dim"}, {"standardizing", "--standardize"}, {"leave-out time", "--leave-out"},
	{"final evaluation", "--eval-n"}, {"ODE solver", "--solver"}, {"solver steps", "--steps"}, {"solver tolerance", "--rtol, --atol"},
	{"network threads", "--threads"}, {"label column", "--cond-col"},
}

// flagsOf returns the flags of the concepts an error names.
func flagsOf(err error) string {
	var flags []string
	for _, f := range flagNames {
		if strings.Contains(err.Error(), f.concept) && !slices.Contains(flags, f.flag) {
			flags = append(flags, f.flag)
		}
	}
	if len(flags) == 0 {
		return ""
	}
	return " (" + strings.Join(flags, ", ") + ")"
}

// flagError is a usage error for settings the library refused, naming
// their flags.
func flagError(err error) error { return usagef("%v%s", err, flagsOf(err)) }

// trainError adds to a diverged run's error the flags of what to try.
func trainError(err error) error {
	if errors.As(err, new(*lagrun.DivergedError)) {
		return fmt.Errorf("%w\nflags for what to try: --lr, --clip, --standardize; --diverge changes the check", err)
	}
	return err
}

func flagGiven(fs *flag.FlagSet, name string) (given bool) {
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
