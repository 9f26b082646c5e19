package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lagc-dev/lagc/internal/atomicfile"
	"github.com/lagc-dev/lagc/internal/flagvalue"
	"github.com/lagc-dev/lagc/internal/sizelimit"
	"github.com/lagc-dev/lagc/internal/strictjson"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/modelio"
	lagrun "github.com/lagc-dev/lagc/runtime/run"
)

func init() {
	register(&command{name: "sample", summary: "generate samples from a trained model", run: runSample})
	register(&command{name: "eval", summary: "evaluate a trained model: W2, W1, MMD, NFE, path energy (JSON)", run: runEval})
	register(&command{name: "plot", summary: "plot a run: samples over data, trajectories, loss curve", run: runPlot})
}

// samplerFlags binds the ODE solver flags shared by sample, eval and plot.
func samplerFlags(fs *flag.FlagSet) *fm.SampleSettings {
	s := &fm.SampleSettings{}
	fs.StringVar(&s.Solver, "solver", fm.RK4, "ODE solver: euler, midpoint, rk4 or dopri5 (adaptive)")
	fs.IntVar(&s.Steps, "steps", 20, "steps of a fixed-step solver")
	fs.Float64Var(&s.RelTol, "rtol", 1e-5, "relative tolerance of dopri5")
	fs.Float64Var(&s.AbsTol, "atol", 1e-5, "absolute tolerance of dopri5")
	fs.IntVar(&s.Threads, "threads", 0, "goroutines of the network (0: all cores)")
	return s
}

func checkSampler(s *fm.SampleSettings) error {
	if s.Steps < 1 {
		return usagef("--steps %d: must be at least 1", s.Steps)
	}
	if !(s.RelTol > 0) || !(s.AbsTol > 0) {
		return usagef("--rtol and --atol must be positive")
	}
	if err := s.Validate(); err != nil {
		return flagError(err)
	}
	return nil
}

func runSample(e *env, args []string) error {
	fs := newFlags(e, "sample", "CHECKPOINT [-n N] [-o samples.csv|.npy] [--solver rk4 --steps 20] [--from T0 --to T1 [--points csv:PATH]] [--class K]",
		"Transports N source samples along the learned velocity field (EMA weights) and\n"+
			"writes them as CSV (stdout by default) or .npy. Standardized file data are mapped\n"+
			"back to the data's units. A model of a snapshot series pushes points from time\n"+
			"--from to time --to (default: the first and last observed times), both within\n"+
			"the observed span (--to < --from runs backwards): the --points file, in the\n"+
			"data's units, or else the snapshot observed at --from.\n\n"+
			"Memory: samples are transported 65536 at a time and written as they come, so\n"+
			"-n is bounded by disk, not memory (beyond one chunk, dopri5 picks its steps\n"+
			"per chunk). --traj keeps all (steps+1)·n·d values in memory: at most 4 GiB.\n"+
			"Existing output files are replaced only with --force; never the checkpoint.")
	set := samplerFlags(fs)
	n := fs.Int("n", 2048, "number of samples")
	out := fs.String("o", "", "output file (.csv, .csv.gz or .npy); default CSV on stdout")
	traj := fs.String("traj", "", "also write trajectories to this .npy file: (times × n × d) flattened to (times·n) × d")
	seed := fs.Uint64("seed", 1, "random seed of the source samples")
	raw := fs.Bool("raw", false, "use the raw weights instead of their EMA")
	from := fs.Float64("from", 0, "snapshot series: the time the points are at")
	to := fs.Float64("to", 0, "snapshot series: the time to push them to")
	points := fs.String("points", "", "snapshot series: the points to push (csv:PATH or npy:PATH)")
	var class *float64
	fs.Var(flagvalue.Label{P: &class}, "class", "the class `label` to sample, for a class-conditional run (default: all classes in the proportions of the training data)")
	force := fs.Bool("force", false, "replace existing output files")
	arg, err := parseOne(fs, args, "CHECKPOINT")
	if err != nil {
		return err
	}
	if *n < 1 {
		return usagef("-n %d: must be at least 1", *n)
	}
	if err := checkSampler(set); err != nil {
		return err
	}
	// Outputs are checked before any work: never the checkpoint itself,
	// never an existing file without --force, always a writable directory.
	if err := atomicfile.CheckAll([]string{*out, *traj}, &atomicfile.Output{Overwrite: *force, Inputs: []string{modelio.CheckpointPath(arg)}}); err != nil {
		return outputError(err)
	}
	if *out != "" && *out == *traj {
		return usagef("-o and --traj name the same file %s", *out)
	}
	r, err := modelio.Open(arg, &lagrun.Options{Threads: set.Threads})
	if err != nil {
		return err
	}
	d := r.Data.Dim
	if *traj != "" {
		// Trajectories are time-major, so they need every sample at once.
		if err := sizelimit.Floats(fmt.Sprintf("samples with trajectories of %d steps", set.Steps), *n, []int{set.Steps + 2, *n, d}, "write trajectories of fewer samples or steps, and the samples alone in a separate run"); err != nil {
			return usagef("-n and --steps: %v", err)
		}
		set.Trajectory = set.Steps + 1
	}
	req := &lagrun.SampleRequest{N: *n, Settings: set, Raw: *raw, Seed: *seed, Class: class, Points: *points}
	if flagGiven(fs, "from") {
		req.From = from
	}
	if flagGiven(fs, "to") {
		req.To = to
	}
	count, sample, err := r.Sampler(req)
	*n = count
	switch {
	case errors.Is(err, lagrun.ErrNotObserved):
		return usagef("--from %g is not an observed time (%v); give the points to push with --points", *from, r.Data.Series.Times)
	case errors.Is(err, lagrun.ErrNotSeries):
		return usagef("--from, --to and --points apply to models of snapshot series (trained with --snapshots)")
	case err != nil:
		return err
	}
	var paths [][]float64
	write := func(w io.Writer, name string) error {
		rw := data.NewRowWriter(w, name, *n, d)
		nfe, tr, err := sample(rw.Write)
		if err != nil {
			return err
		}
		paths = tr
		fmt.Fprintf(e.stderr, "lagc sample: %d samples, NFE %d\n", *n, nfe)
		return rw.Close()
	}
	switch {
	case *out == "" || *out == "-":
		err = write(e.stdout, "stdout.csv")
	case *force:
		err = atomicfile.Write(*out, func(w io.Writer) error { return write(w, *out) })
	default:
		err = atomicfile.WriteNew(*out, func(w io.Writer) error { return write(w, *out) })
	}
	if err != nil || *traj == "" {
		return outputError(err)
	}
	return data.WriteNPY(*traj, slices.Concat(paths...), len(paths)**n, d)
}

// outputError words atomicfile's refusals for the command line.
func outputError(err error) error {
	var ee *atomicfile.ExistsError
	if err == nil {
		return nil
	}
	if errors.As(err, &ee) {
		return fmt.Errorf("%s exists; pass --force to replace it, or choose another name", ee.Path)
	}
	return err
}

func runEval(e *env, args []string) error {
	fs := newFlags(e, "eval", "CHECKPOINT [--target SPEC] [-n 2048] [--solver rk4 --steps 20]",
		"Samples N points from the model and prints one JSON object comparing them with N\n"+
			"fresh target samples (or the held-out rows of a file target): w2 and w1 (exact\n"+
			"optimal transport), mmd (RBF MMD², median bandwidth), nfe and path_energy (mean\n"+
			"∫|ẋ|²dt of the generated paths over W2(source, target)²). For a class-conditional\n"+
			"run, \"classes\" holds each class's W2 to its held-out points (w2) and to the next\n"+
			"class's (w2_other), in the data's units (also for standardized runs, as nll).\n\n"+
			"Memory: W1 and W2 are exact and need 15·n² bytes (costs and their working\n"+
			"copies), so -n is limited to 16384 (3.75 GiB); above it, evaluate subsamples with several\n"+
			"--seed values.")
	set := samplerFlags(fs)
	n := fs.Int("n", 2048, "number of samples")
	target := fs.String("target", "", "target data to compare with (default: the run's)")
	seed := fs.Uint64("seed", 2, "random seed of the source and target samples")
	raw := fs.Bool("raw", false, "use the raw weights instead of their EMA")
	nll := fs.Bool("nll", false, "also report \"nll\": the negative log-likelihood (nats, bits/dim = nats/(d ln 2), data units) of the target points under the flow, by the change of variables integrated backwards with dopri5 (--rtol, --atol); exact divergence up to d = 16, Hutchinson (4 probes, with its standard error) above")
	arg, err := parseOne(fs, args, "CHECKPOINT")
	if err != nil {
		return err
	}
	if *n < 2 {
		return usagef("-n %d: must be at least 2", *n)
	}
	if err := sizelimit.ExactOT("evaluation samples", *n, *n, "W1 and W2 are exact optimal transport; evaluate a subsample (smaller -n) and average over --seed values"); err != nil {
		return usagef("-n: %v", err)
	}
	if err := checkSampler(set); err != nil {
		return err
	}
	r, err := modelio.Open(arg, &lagrun.Options{Threads: set.Threads, Target: *target})
	if err != nil {
		return err
	}
	out, err := r.Assess(*n, set, *raw, *seed, *nll)
	if err != nil {
		return err
	}
	if err := strictjson.Encode(e.stdout, out); err != nil {
		return fmt.Errorf("evaluation: %v", err)
	}
	return nil
}

func runPlot(e *env, args []string) error {
	fs := newFlags(e, "plot", "RUN_DIR|CHECKPOINT [-o DIR] [--format png|svg]",
		"Draws samples over the target data, trajectories coloured by time and the loss\n"+
			"curve of a run into DIR (default: the run's directory).")
	set := samplerFlags(fs)
	n := fs.Int("n", 2048, "number of samples")
	outDir := fs.String("o", "", "output directory (default: the run's)")
	force := fs.Bool("force", false, "replace existing plots in the -o directory")
	format := fs.String("format", "png", "png or svg")
	arg, err := parseOne(fs, args, "RUN_DIR or CHECKPOINT")
	if err != nil {
		return err
	}
	if *n < 2 {
		return usagef("-n %d: must be at least 2", *n)
	}
	if err := sizelimit.ExactOT("plotted samples", *n, *n, "plot fewer samples"); err != nil {
		return usagef("-n: %v", err)
	}
	if *format != "png" && *format != "svg" {
		return usagef("--format %q: want png or svg", *format)
	}
	if err := checkSampler(set); err != nil {
		return err
	}
	if *outDir != "" {
		// Plots in another directory are replaced only when asked to.
		var outs []string
		for _, name := range lagrun.PlotFiles(*format) {
			outs = append(outs, filepath.Join(*outDir, name))
		}
		if err := atomicfile.CheckAll(outs, &atomicfile.Output{Overwrite: *force}); err != nil {
			return outputError(err)
		}
	}
	r, err := modelio.Open(arg, &lagrun.Options{Threads: set.Threads})
	if err != nil {
		return err
	}
	dir := *outDir
	if dir == "" {
		dir = filepath.Dir(modelio.CheckpointPath(arg)) // the run's directory
	}
	files, err := r.Plot(dir, *format, *n, set)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "lagc plot: wrote %s in %s\n", strings.Join(files, ", "), dir)
	return nil
}
