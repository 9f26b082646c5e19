package main

import (
	"errors"
	"flag"
	"fmt"
	"github.com/lagc-dev/lagc/internal/atomicfile"
	"github.com/lagc-dev/lagc/internal/sizelimit"
	"github.com/lagc-dev/lagc/internal/strictjson"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lagc-dev/lagc/runtime/data"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/icnn"
	"github.com/lagc-dev/lagc/runtime/plot"
)

// evalResult is the JSON of lagc eval and of summary.json's "eval".
type evalResult = fm.Metrics

// resumeRun rebuilds the run of the checkpoint at path, of any method,
// with its state restored, and returns it with its problem and config.
func resumeRun(path string) (*methodRun, *problem, fm.Config, error) {
	ck, err := fm.ReadCheckpoint(path)
	if err != nil {
		return nil, nil, fm.Config{}, err
	}
	cfg := ck.Cfg
	pr, err := buildProblem(&cfg)
	if err != nil {
		return nil, nil, cfg, fmt.Errorf("rebuilding the run of %s: %w", path, err)
	}
	method := cfg.Method
	if method == "" {
		method = methodFM
	}
	r, err := newMethodRun(method, cfg, pr.sys, pr.src, pr.tgt)
	if err != nil {
		return nil, nil, cfg, err
	}
	if err := r.restore(ck); err != nil {
		return nil, nil, cfg, fmt.Errorf("%s: %w", path, err)
	}
	return r, pr, cfg, nil
}

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
	switch s.Solver {
	case fm.Euler, fm.Midpoint, fm.RK4, fm.Adaptive:
	default:
		return usagef("--solver %q: want euler, midpoint, rk4 or dopri5", s.Solver)
	}
	if s.Steps < 1 {
		return usagef("--steps %d: must be at least 1", s.Steps)
	}
	if !(s.RelTol > 0) || !(s.AbsTol > 0) || math.IsInf(s.RelTol, 0) || math.IsInf(s.AbsTol, 0) {
		return usagef("--rtol and --atol must be positive and finite")
	}
	if s.Solver == fm.Adaptive && s.RelTol < 1e-14 {
		return usagef("--rtol %g: below what float64 arithmetic can deliver; use 1e-14 or more", s.RelTol)
	}
	if s.Threads < 0 {
		return usagef("--threads %d: must be 0 (all cores) or positive", s.Threads)
	}
	return nil
}

// checkpointTransport returns how the checkpoint's model carries source
// points to t = 1, with the averaged (EMA) weights unless raw.
func checkpointTransport(ck *fm.Checkpoint, raw bool, threads int) (fm.Transport, error) {
	method := ck.Cfg.Method
	if net := ck.Model(!raw); net != nil {
		return transportFor(method, net, threads)
	}
	psi := new(icnn.Network)
	if err := psi.UnmarshalBinary(ck.NetBytes); err != nil {
		return nil, fmt.Errorf("%w: %v", fm.ErrCorrupt, err)
	}
	if len(ck.EMA.Params()) != psi.NumParams() {
		return nil, fmt.Errorf("%w: the EMA has %d weights, the network %d", fm.ErrCorrupt, len(ck.EMA.Params()), psi.NumParams())
	}
	if !raw {
		copy(psi.Params(), ck.EMA.Params())
		psi.Refresh()
	}
	return transportFor(method, psi, threads)
}

// loadModel reads a checkpoint, rebuilds its problem and returns how its
// model transports points (checkpointTransport); target, when not empty,
// replaces the run's target data.
func loadModel(path, target string, raw bool, threads int) (*fm.Checkpoint, *problem, fm.Transport, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, "model.ckpt")
	}
	ck, err := fm.ReadCheckpoint(path)
	if err != nil {
		return nil, nil, nil, err
	}
	cfg := ck.Cfg
	if target != "" {
		cfg.Target = target
	}
	pr, err := buildProblem(&cfg)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("rebuilding the run of %s: %w", path, err)
	}
	if ck.Net != nil && ck.Net.In() != pr.d+1 {
		return nil, nil, nil, fmt.Errorf("%s: the model has dimension %d but the target %q has %d", path, ck.Net.In()-1, cfg.Target, pr.d)
	}
	transport, err := checkpointTransport(ck, raw, threads)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return ck, pr, transport, nil
}

func runSample(e *env, args []string) error {
	fs := newFlags(e, "sample", "CHECKPOINT [-n N] [-o samples.csv|.npy] [--solver rk4 --steps 20]",
		"Transports N source samples along the learned velocity field (EMA weights) and\n"+
			"writes them as CSV (stdout by default) or .npy. Standardized file data are mapped\n"+
			"back to the data's units.\n\n"+
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
	force := fs.Bool("force", false, "replace existing output files")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one CHECKPOINT, got %d", len(pos))
	}
	if *n < 1 {
		return usagef("-n %d: must be at least 1", *n)
	}
	if err := checkSampler(set); err != nil {
		return err
	}
	ckPath := pos[0]
	if fi, err := os.Stat(ckPath); err == nil && fi.IsDir() {
		ckPath = filepath.Join(ckPath, "model.ckpt")
	}
	// Outputs are checked before any work: never the checkpoint itself,
	// never an existing file without --force, always a writable directory.
	for _, o := range []string{*out, *traj} {
		if o == "" || o == "-" {
			continue
		}
		if err := atomicfile.Check(o, &atomicfile.Output{Overwrite: *force, Inputs: []string{ckPath}}); err != nil {
			return outputError(err)
		}
	}
	if *out != "" && *out == *traj {
		return usagef("-o and --traj name the same file %s", *out)
	}
	_, pr, transport, err := loadModel(pos[0], "", *raw, set.Threads)
	if err != nil {
		return err
	}
	d := pr.d
	rng := rand.New(rand.NewPCG(*seed, 0))
	chunk := sampleChunk
	if *traj != "" {
		// Trajectories are written time-major, so they need every sample in
		// memory at once.
		if err := sizelimit.Floats(fmt.Sprintf("samples with trajectories of %d steps", set.Steps), *n, []int{set.Steps + 2, *n, d}, "write trajectories of fewer samples or steps, and the samples alone in a separate run"); err != nil {
			return usagef("-n and --steps: %v", err)
		}
		set.Trajectory = set.Steps + 1
		chunk = *n
	}
	var trajRes *fm.SampleResult
	keep := func(t fm.Transport) fm.Transport {
		return func(x0 []float64, m int, s *fm.SampleSettings) (*fm.SampleResult, error) {
			res, err := t(x0, m, s)
			trajRes = res
			return res, err
		}
	}
	write := func(w io.Writer, name string) error {
		sw := newSampleWriter(w, name, *n, d)
		nfe, err := sampleChunks(keep(transport), pr.src, pr.std, *n, d, chunk, set, rng, sw.rows)
		if err != nil {
			return err
		}
		if err := sw.close(); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "lagc sample: %d samples, NFE %d\n", *n, nfe)
		return nil
	}
	switch {
	case *out == "" || *out == "-":
		err = write(e.stdout, "stdout.csv")
	case *force:
		err = atomicfile.Write(*out, func(w io.Writer) error { return write(w, *out) })
	default:
		err = atomicfile.WriteNew(*out, func(w io.Writer) error { return write(w, *out) })
	}
	if err != nil {
		return outputError(err)
	}
	if *traj != "" && trajRes != nil {
		var all []float64
		for _, snap := range trajRes.Traj {
			if pr.std != nil {
				pr.std.Invert(snap, snap, *n)
			}
			all = append(all, snap...)
		}
		if err := data.WriteNPY(*traj, all, len(trajRes.Traj)**n, d); err != nil {
			return err
		}
	}
	return nil
}

// runDirOf is the run directory of a RUN_DIR or CHECKPOINT argument.
func runDirOf(arg string) string {
	if fi, err := os.Stat(arg); err == nil && !fi.IsDir() {
		return filepath.Dir(arg)
	}
	return arg
}

// sameDir reports whether a and b name one existing directory.
func sameDir(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// outputError words atomicfile's refusals for the command line.
func outputError(err error) error {
	var ee *atomicfile.ExistsError
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
			"∫|ẋ|²dt of the generated paths over W2(source, target)²).\n\n"+
			"Memory: W1 and W2 are exact and hold an n×n cost matrix (8·n² bytes), so\n"+
			"-n is limited to 16384 (2 GiB); above it, evaluate subsamples with several\n"+
			"--seed values.")
	set := samplerFlags(fs)
	n := fs.Int("n", 2048, "number of samples")
	target := fs.String("target", "", "target data to compare with (default: the run's)")
	seed := fs.Uint64("seed", 2, "random seed of the source and target samples")
	raw := fs.Bool("raw", false, "use the raw weights instead of their EMA")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one CHECKPOINT, got %d", len(pos))
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
	_, pr, transport, err := loadModel(pos[0], *target, *raw, set.Threads)
	if err != nil {
		return err
	}
	m, _, err := fm.EvaluateTransport(transport, pr.d, pr.src, pr.tgt, pr.holdout, *n, set, rand.New(rand.NewPCG(*seed, 0)))
	if err != nil {
		return err
	}
	b, err := strictjson.Marshal(m)
	if err != nil {
		return fmt.Errorf("evaluation: %v", err)
	}
	_, err = fmt.Fprintf(e.stdout, "%s\n", b)
	return err
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
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one RUN_DIR or CHECKPOINT, got %d", len(pos))
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
	if *outDir != "" && !sameDir(*outDir, runDirOf(pos[0])) {
		// Another directory's samples.png is not this run's plot: replace
		// it only when asked to.
		if err := atomicfile.CheckDir(*outDir); err != nil {
			return fmt.Errorf("output directory: %v", err)
		}
		for _, name := range []string{"samples", "trajectories", "loss"} {
			if err := atomicfile.Check(filepath.Join(*outDir, name+"."+*format), &atomicfile.Output{Overwrite: *force}); err != nil {
				return outputError(err)
			}
		}
	}
	ck, pr, transport, err := loadModel(pos[0], "", false, set.Threads)
	if err != nil {
		return err
	}
	dir := *outDir
	if dir == "" {
		dir = pos[0]
		if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
			dir = filepath.Dir(dir)
		}
	}
	if pr.d < 2 {
		return fmt.Errorf("plots need at least 2 dimensions; this model has %d", pr.d)
	}
	rng := rand.New(rand.NewPCG(ck.Cfg.Seed, 3))
	set.Trajectory = set.Steps + 1
	m, res, err := fm.EvaluateTransport(transport, pr.d, pr.src, pr.tgt, pr.holdout, *n, set, rng)
	if err != nil {
		return err
	}
	y := make([]float64, m.N*pr.d)
	pr.tgt.Sample(y, m.N, rng)
	title := fmt.Sprintf("%s: %s → %s, W2 %.3f", filepath.Base(ck.Cfg.LagrangianFile), ck.Cfg.Source, ck.Cfg.Target, m.W2)
	files := []string{"samples." + *format, "trajectories." + *format}
	if err := plot.Samples(filepath.Join(dir, files[0]), res.X, y, m.N, m.N, pr.d, &plot.Settings{Title: title}); err != nil {
		return err
	}
	if err := plot.Trajectories(filepath.Join(dir, files[1]), res.Traj, res.TrajT, m.N, pr.d, nil); err != nil {
		return err
	}
	// The loss axis is logarithmic; Action Matching losses go negative.
	if len(ck.Loss) > 0 && slices.Min(ck.Loss) > 0 {
		steps := make([]int, len(ck.Loss))
		for i := range steps {
			steps[i] = i + 1
		}
		files = append(files, "loss."+*format)
		if err := plot.Loss(filepath.Join(dir, files[2]), steps, ck.Loss, nil); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stderr, "lagc plot: wrote %s in %s\n", strings.Join(files, ", "), dir)
	return nil
}
