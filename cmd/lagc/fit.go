package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/internal/atomicfile"
	"github.com/lagc-dev/lagc/internal/flagvalue"
	"github.com/lagc-dev/lagc/internal/strictjson"
	"github.com/lagc-dev/lagc/runtime/series"
)

func init() {
	register(&command{name: "fit", summary: "fit a Lagrangian's parameters to snapshots of a population", run: runFit})
}

// snapshotFlags are the flags that name a snapshot series.
type snapshotFlags struct {
	spec, timeCol, cols string
	standardize         bool
}

func (s *snapshotFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.spec, "snapshots", "", "the series: csv:PATH or npy:PATH, one row per observed point")
	fs.StringVar(&s.timeCol, "time-col", "0", "the column of observation times: an index, or a name from the CSV header row")
	fs.StringVar(&s.cols, "cols", "", "feature columns: indices, ranges (\"1:3\") or header names (\"x,y\"); default all but the time column")
	fs.BoolVar(&s.standardize, "standardize", false, "standardize the features (all times pooled) to mean 0, std 1; fitted parameters are then in standardized units")
}

func (s *snapshotFlags) load() (*series.Series, error) {
	if s.spec == "" {
		return nil, usagef("--snapshots is required")
	}
	ser, err := series.Load(s.spec, &series.LoadSettings{TimeColumn: s.timeCol, Columns: s.cols})
	if err != nil {
		return nil, err
	}
	if s.standardize {
		ser.Standardize()
	}
	return ser, nil
}

// boundFlags collects repeated --bound NAME=LO:HI flags.
type boundFlags map[string][2]float64

func (b boundFlags) String() string { return "" }

func (b boundFlags) Set(s string) error {
	name, lo, hi, err := series.ParseBound(s)
	if err == nil {
		b[name] = [2]float64{lo, hi}
	}
	return err
}

func runFit(e *env, args []string) error {
	fset := newFlags(e, "fit", "FILE --snapshots csv:PATH --fit NAME[,NAME...] [--leave-out K] [-o fitted.lag] [--json]",
		`Fits the named parameters of the Lagrangian in FILE to a series of snapshots
(points observed at several times, unpaired) by minimising the mean over
interior times k of W2²(least-action interpolation at t_k from the
neighbouring snapshots, snapshot k), with exact gradients and Gauss–Newton from
several starts. Parameters the data cannot identify (a flat direction, such
as a mass that only scales L) are reported and keep their values.

Bounds: those the file declares (param w = 0.5 in [0, 3]); --bound NAME=LO:HI
(repeatable) overrides them.
--profile NAME=LO:HI:STEPS prints the loss along one parameter (the others
at their fitted values, or the file's without --fit); --plot FILE draws it.
--json prints {"params": {...}, "loss": x, "initial_loss": x, "iterations": n, "seconds": s}.`)
	var snaps snapshotFlags
	snaps.register(fset)
	params := paramFlag(fset)
	bounds := boundFlags{}
	fset.Var(bounds, "bound", "bounds of a fitted parameter, overriding the file's: NAME=LO:HI (repeatable)")
	var names flagvalue.Names
	fset.Var(&names, "fit", "comma-separated parameters to fit")
	leaveOut := fset.Int("leave-out", 0, "0-based index of an interior time to leave out of the fit (0: none)")
	starts := fset.Int("starts", 3, "starting points (the file's values first)")
	iters := fset.Int("iters", 40, "optimizer iterations per start")
	seed := fset.Uint64("seed", 1, "seed of the extra starting points")
	out := fset.String("o", "", "write the .lag with the fitted values substituted to this file")
	force := fset.Bool("force", false, "overwrite the -o or --plot file if it exists")
	asJSON := fset.Bool("json", false, "print one JSON object")
	profile := fset.String("profile", "", "print the loss along one parameter: NAME=LO:HI:STEPS")
	plotFile := fset.String("plot", "", "with --profile: draw the profile to this .png or .svg")
	arg, err := parseOne(fset, args, "FILE")
	if err != nil {
		return err
	}
	if len(names) == 0 && *profile == "" {
		return usagef("name the parameters to fit with --fit NAME[,NAME...] (or ask for a --profile)")
	}
	if *starts < 1 || *iters < 1 {
		return usagef("--starts and --iters must be positive")
	}
	if *asJSON && *profile != "" && len(names) > 0 {
		return usagef("--json prints one object: ask for the fit (--fit) or the --profile, not both")
	}
	if *plotFile != "" && *profile == "" {
		return usagef("--plot draws a --profile; give one")
	}
	if *leaveOut < 0 {
		return usagef("--leave-out %d: want the index of an interior time", *leaveOut)
	}
	var profName string
	var profValues []float64
	if *profile != "" {
		if profName, profValues, err = series.ParseProfile(*profile); err != nil {
			return usagef("--profile %q: %v", *profile, err)
		}
	}
	if ext := strings.ToLower(filepath.Ext(*plotFile)); *plotFile != "" && ext != ".png" && ext != ".svg" {
		return usagef("--plot %s: name the file .png or .svg", *plotFile)
	}
	if err := atomicfile.CheckAll([]string{*out, *plotFile}, &atomicfile.Output{Overwrite: *force, Inputs: []string{arg}}); err != nil {
		return outputError(err)
	}
	if *out != "" && len(names) == 0 {
		return usagef("-o writes fitted values; name them with --fit")
	}
	ser, err := snaps.load()
	if err != nil {
		return err
	}
	src, err := os.ReadFile(arg)
	if err != nil {
		return err
	}
	sys, err := eulerlag.Load(arg, src, params)
	if err != nil {
		return err
	}
	if err := series.CheckDim(arg, sys, ser); err != nil {
		return err
	}
	start := time.Now()
	var res *series.FitResult
	if len(names) > 0 {
		for n := range bounds {
			if !slices.Contains(names, n) {
				return usagef("--bound %s: %s is not among the fitted parameters (--fit)", n, n)
			}
		}
		lo, hi := series.FitBounds(sys, names, bounds)
		res, err = series.Fit(sys, ser, names, &series.FitSettings{Lower: lo, Upper: hi, Starts: *starts, MaxIter: *iters, LeaveOut: *leaveOut, Seed: *seed})
		if err != nil {
			return err
		}
	}
	secs := time.Since(start).Seconds()
	if profName != "" {
		prof, err := series.FitProfile(sys, ser, names, res, profName, profValues, *leaveOut)
		if err == nil && *asJSON {
			err = strictjson.Encode(e.stdout, prof)
		} else if err == nil {
			err = prof.WriteTable(e.stdout)
		}
		if err == nil && *plotFile != "" {
			err = prof.Plot(*plotFile)
		}
		if err != nil {
			return err
		}
	}
	if res == nil {
		return nil
	}
	for _, n := range res.Unidentifiable {
		fmt.Fprintf(e.stderr, "lagc: %s cannot be identified from these snapshots: changing it (alone or with the others) moves no predicted point; it keeps its value %g\n", n, res.Value(n))
	}
	if snaps.standardize {
		fmt.Fprintln(e.stderr, "lagc: the snapshots were standardized: the fitted parameters are in standardized units")
	}
	if *out != "" {
		text, err := eulerlag.SubstituteParams(arg, src, res.Identified())
		if err != nil {
			return err
		}
		if err := atomicfile.WriteFile(*out, text); err != nil {
			return err
		}
	}
	if *asJSON {
		return strictjson.Encode(e.stdout, res.Report(secs))
	}
	return res.WriteTable(e.stdout, secs)
}
