package main

import (
	"flag"
	"fmt"
	"github.com/lagc-dev/lagc/internal/runlock"
	"github.com/lagc-dev/lagc/internal/strictjson"
	"github.com/lagc-dev/lagc/runtime/nn"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/lagc-dev/lagc/internal/atomicfile"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/plot"
)

func init() {
	register(&command{name: "train", summary: "train a flow-matching model on least-action paths", run: runTrain})
}

// intList is a flag of comma-separated positive integers ("64,64,64").
type intList []int

func (l *intList) String() string {
	s := make([]string, len(*l))
	for i, v := range *l {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ",")
}

func (l *intList) Set(s string) error {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 1 {
			return fmt.Errorf("%q is not a positive integer", f)
		}
		out = append(out, v)
	}
	*l = out
	return nil
}

// trainFlags binds the Config fields to flags.
func trainFlags(fs *flag.FlagSet, cfg *fm.Config) (lagFile *string, params paramFlags) {
	params = paramFlags{}
	lagFile = fs.String("L", "", "the Lagrangian `file` (default: the kinetic Lagrangian ½|v|², OT flow matching)")
	fs.Var(params, "p", "override a parameter of the Lagrangian: NAME=VALUE (repeatable)")
	fs.StringVar(&cfg.Source, "source", cfg.Source, "source distribution: a built-in set or a data file (see --target)")
	fs.StringVar(&cfg.Target, "target", cfg.Target, "target data: gaussian, 8gaussians, moons, checkerboard, circles, scurve, csv:PATH, npy:PATH[:key]")
	fs.IntVar(&cfg.Dim, "dim", cfg.Dim, "dimension of any-dimension sets such as gaussian (default 2, or the target's)")
	fs.StringVar(&cfg.Columns, "cols", cfg.Columns, "columns of a file target: \"0:64\", \"0,3,5\"")
	fs.BoolVar(&cfg.Standardize, "standardize", cfg.Standardize, "standardize each column of a file target to mean 0, std 1")
	fs.Float64Var(&cfg.Holdout, "holdout", cfg.Holdout, "fraction of a file target held out for evaluation")
	fs.StringVar(&cfg.Coupling, "coupling", cfg.Coupling, "pairing of sources and targets in a minibatch: ot (exact, with the Lagrangian cost) or independent")
	fs.Float64Var(&cfg.Sigma, "sigma", cfg.Sigma, "standard deviation of the Gaussian noise around the paths")
	fs.Var((*intList)(&cfg.Hidden), "hidden", "hidden layer widths of the MLP")
	fs.StringVar(&cfg.Activation, "act", cfg.Activation, "activation: selu, silu, relu, tanh")
	fs.IntVar(&cfg.Batch, "batch", cfg.Batch, "minibatch size")
	fs.IntVar(&cfg.Iters, "iters", cfg.Iters, "training iterations (with --resume: the total to reach)")
	fs.Float64Var(&cfg.LR, "lr", cfg.LR, "Adam learning rate")
	fs.Float64Var(&cfg.WeightDecay, "wd", cfg.WeightDecay, "decoupled weight decay (AdamW) when > 0")
	fs.Float64Var(&cfg.ClipNorm, "clip", cfg.ClipNorm, "clip the gradient's global norm to this (0: no clipping)")
	fs.Float64Var(&cfg.EMADecay, "ema", cfg.EMADecay, "decay of the exponential moving average of the weights")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	fs.IntVar(&cfg.Pool, "pool", cfg.Pool, "minibatches of numerically solved paths cached and cycled (non-closed-form Lagrangians)")
	fs.IntVar(&cfg.Threads, "threads", cfg.Threads, "goroutines for the network and path solving (0: all cores); results do not depend on it")
	return lagFile, params
}

func runTrain(e *env, args []string) error {
	cfg := fm.DefaultConfig()
	fs := newFlags(e, "train", "[flags]",
		"Trains a velocity field by flow matching on the least-action paths of a Lagrangian\n"+
			"and writes, in the output directory, the checkpoint model.ckpt, summary.json and\n"+
			"plots (samples.png, trajectories.png, loss.png). With no flags it trains the\n"+
			"kinetic Lagrangian (OT flow matching) from a standard normal to moons.\n\n"+
			"Memory: the exact OT coupling holds a batch×batch cost matrix (8·batch² bytes)\n"+
			"and the final evaluation an eval-n×eval-n one, so --batch (with --coupling ot)\n"+
			"and --eval-n are limited to 16384 (2 GiB); use --coupling independent for\n"+
			"larger minibatches, and lagc eval on subsamples. The pool of numeric paths\n"+
			"(--pool × --batch paths of about 33 nodes each) and the network's activations\n"+
			"(--batch × the layer widths) are limited to 4 GiB each. One process at a time may\n"+
			"use an output directory (lock file lagc.lock; a killed run's lock is stale\n"+
			"and taken over).")
	lagFile, params := trainFlags(fs, &cfg)
	out := fs.String("o", "run", "output `dir`ectory")
	resume := fs.Bool("resume", false, "continue the run in the output directory from its checkpoint")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	every := fs.Int("ckpt-every", 1000, "write a checkpoint every N iterations (and at the end)")
	noPlot := fs.Bool("no-plot", false, "do not write plots")
	evalN := fs.Int("eval-n", 2048, "samples for the final evaluation in summary.json (0: none)")
	method := fs.String("method", methodFM, "training method: fm (flow matching), am (Action Matching), ofm (Optimal Flow Matching) or am-optimal (AM on optimal fields); all write checkpoints for sample, eval, plot and --resume")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q (flags only; the Lagrangian goes with -L)", rest[0])
	}
	if *every < 1 {
		return usagef("--ckpt-every %d: must be at least 1", *every)
	}
	if *lagFile != "" {
		if err := readLagrangian(&cfg, *lagFile); err != nil {
			return err
		}
	}
	if len(params) > 0 {
		cfg.Params = params
	}
	if err := checkMethod(*method); err != nil {
		return err
	}
	if *method != methodFM && !flagGiven(fs, "sigma") {
		// Noise around the paths would change p_t and break the identity
		// these methods rest on.
		cfg.Sigma = 0
	}
	if *method == methodAM && !flagGiven(fs, "act") {
		cfg.Activation = "silu"
	}
	if err := cfg.Validate(); err != nil {
		return usagef("%v", err)
	}
	if _, err := nn.ParseActivation(cfg.Activation); err != nil {
		return usagef("--act %q: want selu, silu, relu or tanh", cfg.Activation)
	}
	if cfg.Threads < 0 {
		return usagef("--threads %d: must be 0 (all cores) or positive", cfg.Threads)
	}
	if err := checkTrainSizes(trainSizes{Dim: cfg.Dim, Batch: cfg.Batch, Pool: cfg.Pool, EvalN: *evalN, Hidden: cfg.Hidden, ExactOT: cfg.Coupling == fm.OT}); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	lock, err := runlock.Acquire(*out)
	if err != nil {
		return err
	}
	defer lock.Release()
	ckpt := filepath.Join(*out, "model.ckpt")
	var r *methodRun
	var pr *problem
	if *resume {
		if flagGiven(fs, "method") {
			return usagef("--resume continues the run with its own method; drop --method")
		}
		iters := cfg.Iters
		r, pr, cfg, err = resumeRun(ckpt)
		if err != nil {
			return err
		}
		if flagGiven(fs, "iters") {
			cfg.Iters = iters
		}
	} else {
		if _, err := os.Stat(ckpt); err == nil {
			return fmt.Errorf("%s exists: use --resume to continue that run, or -o to choose another directory", ckpt)
		}
		pr, err = buildProblem(&cfg)
		if err != nil {
			return err
		}
		r, err = newMethodRun(*method, cfg, pr.sys, pr.src, pr.tgt)
		if err != nil {
			return err
		}
	}
	log := newProgress(e, r.step(), cfg.Iters, *quiet)
	start := time.Now()
	startStep := r.step()
	var trainErr error
	for r.step() < cfg.Iters {
		loss, err := r.iterate()
		if err != nil {
			trainErr = err
			break
		}
		log.update(r.step(), loss)
		if r.step()%*every == 0 && r.step() < cfg.Iters {
			if err := fm.WriteCheckpoint(ckpt, r.snapshot()); err != nil {
				return err
			}
		}
	}
	log.finish()
	wall := time.Since(start).Seconds()
	if trainErr != nil {
		// Keep the last good checkpoint: do not overwrite it with a
		// diverged model.
		return fmt.Errorf("%w\nthe last good checkpoint is %s (iteration %d)", trainErr, ckpt, lastCheckpointStep(r.step(), *every))
	}
	if err := fm.WriteCheckpoint(ckpt, r.snapshot()); err != nil {
		return err
	}
	sum := summary{
		Iterations: r.step(), WallSeconds: wall, Seed: cfg.Seed,
		Lagrangian: cfg.LagrangianFile, Coupling: cfg.Coupling, Source: cfg.Source, Target: cfg.Target,
		Checkpoint: ckpt, Method: r.method,
	}
	if done := r.step() - startStep; done > 0 && wall > 0 {
		sum.ItersPerSec = float64(done) / wall
	}
	if losses := r.loss(); len(losses) > 0 {
		sum.FinalLoss = meanTail(losses, 100)
	}
	if *evalN > 0 {
		if sum.Eval, err = evaluateMethod(r, pr, &cfg, *evalN, !*noPlot, *out); err != nil {
			return err
		}
	}
	// The loss axis is logarithmic; Action Matching losses go negative
	// (am-optimal's minimum is −W₂²/2), so they get no loss plot.
	if losses := r.loss(); !*noPlot && len(losses) > 0 && slices.Min(losses) > 0 {
		steps := make([]int, len(losses))
		for i := range steps {
			steps[i] = i + 1
		}
		if err := plot.Loss(filepath.Join(*out, "loss.png"), steps, losses, nil); err != nil {
			return err
		}
	}
	if err := writeJSON(filepath.Join(*out, "summary.json"), sum); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(e.stderr, "trained %s for %d iterations in %.1fs (%.0f it/s), final loss %.4g; wrote %s\n",
			methodTitle(r.method), r.step(), wall, sum.ItersPerSec, sum.FinalLoss, *out)
		if sum.Eval != nil {
			fmt.Fprintf(e.stderr, "W2 to fresh target samples: %.4f (%s)\n", sum.Eval.W2, solverLabel(sum.Eval))
		}
	}
	return nil
}

func solverLabel(m *evalResult) string {
	if m.Steps > 0 {
		return fmt.Sprintf("%s, %d steps", m.Solver, m.Steps)
	}
	return m.Solver
}

func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

func lastCheckpointStep(step, every int) int { return step / every * every }

func meanTail(x []float64, n int) float64 {
	n = min(n, len(x))
	var s float64
	for _, v := range x[len(x)-n:] {
		s += v
	}
	return s / float64(n)
}

// summary is written to summary.json beside the checkpoint.
type summary struct {
	Iterations  int         `json:"iterations"`
	WallSeconds float64     `json:"wall_seconds"`
	ItersPerSec float64     `json:"iterations_per_second"`
	FinalLoss   float64     `json:"final_loss"`
	Seed        uint64      `json:"seed"`
	Lagrangian  string      `json:"lagrangian"`
	Coupling    string      `json:"coupling"`
	Source      string      `json:"source"`
	Target      string      `json:"target"`
	Checkpoint  string      `json:"checkpoint"`
	Method      string      `json:"method,omitempty"`
	Eval        *evalResult `json:"eval,omitempty"`
}

func writeJSON(path string, v any) error {
	b, err := strictjson.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'))
}

// progress reports training progress: a bar on a terminal, a line every few
// seconds otherwise, nothing with --quiet.
type progress struct {
	bar   *progressbar.ProgressBar
	w     io.Writer
	last  time.Time
	total int
	start time.Time
	from  int
	loss  float64
}

func newProgress(e *env, from, total int, quiet bool) *progress {
	p := &progress{total: total, start: time.Now(), last: time.Now(), from: from}
	if quiet {
		return p
	}
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription("train"),
			progressbar.OptionShowIts(),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
		_ = p.bar.Set(from)
		return p
	}
	p.w = e.stderr
	return p
}

func (p *progress) update(step int, loss float64) {
	// A running mean smooths the per-batch noise of the displayed loss.
	if p.loss == 0 {
		p.loss = loss
	}
	p.loss = 0.98*p.loss + 0.02*loss
	switch {
	case p.bar != nil:
		p.bar.Describe(fmt.Sprintf("train loss %.4f", p.loss))
		_ = p.bar.Set(step)
	case p.w != nil && (time.Since(p.last) > 5*time.Second || step == p.total):
		p.last = time.Now()
		rate := float64(step-p.from) / time.Since(p.start).Seconds()
		fmt.Fprintf(p.w, "iter %d/%d  loss %.4f  %.0f it/s\n", step, p.total, p.loss, rate)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
