package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/internal/atomicfile"
	"github.com/lagc-dev/lagc/runtime/plot"
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
	name, rng, ok := strings.Cut(s, "=")
	lo, hi, ok2 := strings.Cut(rng, ":")
	if !ok || !ok2 || strings.TrimSpace(name) == "" {
		return fmt.Errorf("want NAME=LO:HI, got %q", s)
	}
	l, err1 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	h, err2 := strconv.ParseFloat(strings.TrimSpace(hi), 64)
	if err1 != nil || err2 != nil || math.IsNaN(l) || math.IsNaN(h) || l > h {
		return fmt.Errorf("bounds %q: want numbers LO ≤ HI (-Inf and Inf allowed)", rng)
	}
	b[strings.TrimSpace(name)] = [2]float64{l, h}
	return nil
}

// fitJSON is the object `lagc fit --json` prints; unidentifiable
// parameters are null.
type fitJSON struct {
	Params      map[string]*float64 `json:"params"`
	Loss        float64             `json:"loss"`
	InitialLoss float64             `json:"initial_loss"`
	Iterations  int                 `json:"iterations"`
	Seconds     float64             `json:"seconds"`
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
	params := paramFlags{}
	fset.Var(params, "p", "override a parameter: NAME=VALUE (repeatable)")
	bounds := boundFlags{}
	fset.Var(bounds, "bound", "bounds of a fitted parameter, overriding the file's: NAME=LO:HI (repeatable)")
	fitNames := fset.String("fit", "", "comma-separated parameters to fit")
	leaveOut := fset.Int("leave-out", 0, "0-based index of an interior time to leave out of the fit (0: none)")
	starts := fset.Int("starts", 3, "starting points (the file's values first)")
	iters := fset.Int("iters", 40, "optimizer iterations per start")
	seed := fset.Uint64("seed", 1, "seed of the extra starting points")
	out := fset.String("o", "", "write the .lag with the fitted values substituted to this file")
	force := fset.Bool("force", false, "overwrite the -o file if it exists")
	asJSON := fset.Bool("json", false, "print one JSON object")
	profile := fset.String("profile", "", "print the loss along one parameter: NAME=LO:HI:STEPS")
	plotFile := fset.String("plot", "", "with --profile: draw the profile to this .png or .svg")
	files, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usagef("want exactly one FILE, got %d", len(files))
	}
	var names []string
	if *fitNames != "" {
		for n := range strings.SplitSeq(*fitNames, ",") {
			names = append(names, strings.TrimSpace(n))
		}
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
	var prof struct {
		name   string
		lo, hi float64
		steps  int
	}
	if *profile != "" {
		name, rest, ok := strings.Cut(*profile, "=")
		parts := strings.Split(rest, ":")
		if !ok || len(parts) != 3 {
			return usagef("--profile %q: want NAME=LO:HI:STEPS", *profile)
		}
		lo, err1 := strconv.ParseFloat(parts[0], 64)
		hi, err2 := strconv.ParseFloat(parts[1], 64)
		steps, err3 := strconv.Atoi(parts[2])
		if err1 != nil || err2 != nil || err3 != nil || !(lo <= hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || steps < 1 || steps > 10000 {
			return usagef("--profile %q: want finite LO ≤ HI and 1 ≤ STEPS ≤ 10000", *profile)
		}
		prof.name, prof.lo, prof.hi, prof.steps = strings.TrimSpace(name), lo, hi, steps
	}
	if *out != "" && !*force {
		if _, err := os.Stat(*out); err == nil {
			return fmt.Errorf("%s exists; use --force to overwrite it", *out)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if *out != "" && len(names) == 0 {
		return usagef("-o writes fitted values; name them with --fit")
	}
	ser, err := snaps.load()
	if err != nil {
		return err
	}
	src, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	sys, err := eulerlag.Load(files[0], src, params)
	if err != nil {
		return err
	}
	if sys.Dim > 0 && sys.Dim != ser.D {
		return fmt.Errorf("%s fixes the dimension to %d but the snapshots have %d feature columns", files[0], sys.Dim, ser.D)
	}
	if ser.D < sys.MinDim {
		return fmt.Errorf("%s needs dimension ≥ %d but the snapshots have %d feature columns", files[0], sys.MinDim, ser.D)
	}
	start := time.Now()
	var res *series.FitResult
	if len(names) > 0 {
		lo, hi := make([]float64, len(names)), make([]float64, len(names))
		for i, n := range names {
			lo[i], hi[i] = math.Inf(-1), math.Inf(1)
			for _, p := range sys.Params {
				if p.Name == n {
					lo[i], hi[i] = p.Lower, p.Upper // declared in the file, or ±Inf
				}
			}
			if b, ok := bounds[n]; ok {
				lo[i], hi[i] = b[0], b[1]
			}
		}
		for n := range bounds {
			if !contains(names, n) {
				return usagef("--bound %s: %s is not among the fitted parameters (--fit)", n, n)
			}
		}
		res, err = series.Fit(sys, ser, names, &series.FitSettings{Lower: lo, Upper: hi, Starts: *starts, MaxIter: *iters, LeaveOut: *leaveOut, Seed: *seed})
		if err != nil {
			return err
		}
	}
	secs := time.Since(start).Seconds()
	if prof.name != "" {
		if err := runProfile(e, sys, ser, names, res, prof.name, prof.lo, prof.hi, prof.steps, *leaveOut, *plotFile, *asJSON); err != nil {
			return err
		}
	}
	if res == nil {
		return nil
	}
	for _, n := range res.Unidentifiable {
		fmt.Fprintf(e.stderr, "lagc: %s cannot be identified from these snapshots: changing it (alone or with the others) moves no predicted point; it keeps its value %g\n", n, valueOf(res, n))
	}
	if snaps.standardize {
		fmt.Fprintln(e.stderr, "lagc: the snapshots were standardized: the fitted parameters are in standardized units")
	}
	if *out != "" {
		vals := map[string]float64{}
		for i, n := range res.Names {
			if !contains(res.Unidentifiable, n) {
				vals[n] = res.Values[i]
			}
		}
		text, err := substituteParams(files[0], src, vals)
		if err != nil {
			return err
		}
		if err := atomicfile.WriteFile(*out, text); err != nil {
			return err
		}
	}
	if *asJSON {
		j := fitJSON{Params: map[string]*float64{}, Loss: res.Loss, InitialLoss: res.InitialLoss, Iterations: res.Iterations, Seconds: secs}
		for i, n := range res.Names {
			v := res.Values[i]
			if contains(res.Unidentifiable, n) {
				j.Params[n] = nil
			} else {
				j.Params[n] = &v
			}
		}
		b, err := json.Marshal(j)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, string(b))
		return nil
	}
	for i, n := range res.Names {
		note := ""
		if contains(res.Unidentifiable, n) {
			note = "  (not identifiable: kept)"
		}
		fmt.Fprintf(e.stdout, "%s = %.6g  (initial %.6g)%s\n", n, res.Values[i], res.Initial[i], note)
	}
	fmt.Fprintf(e.stdout, "loss %.6g (initial %.6g), %d iterations, %d evaluations, %.1f s\n", res.Loss, res.InitialLoss, res.Iterations, res.Evaluations, secs)
	return nil
}

func runProfile(e *env, sys *eulerlag.System, ser *series.Series, names []string, res *series.FitResult, name string, lo, hi float64, steps, leaveOut int, plotFile string, asJSON bool) error {
	pnames := append([]string(nil), names...)
	if !contains(pnames, name) {
		pnames = append(pnames, name)
	}
	obj, err := series.NewObjective(sys, ser, pnames, leaveOut, nil)
	if err != nil {
		return err
	}
	theta := obj.Initial()
	if res != nil {
		copy(theta, res.Values)
	}
	idx := len(pnames) - 1
	for i, n := range pnames {
		if n == name {
			idx = i
		}
	}
	xs := make([]float64, steps)
	for k := range xs {
		if steps == 1 {
			xs[k] = lo
		} else {
			xs[k] = lo + (hi-lo)*float64(k)/float64(steps-1)
		}
	}
	ys, err := series.Profile(obj, theta, idx, xs)
	if err != nil {
		return err
	}
	if asJSON {
		b, err := json.Marshal(map[string]any{"param": name, "values": xs, "loss": ys})
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, string(b))
	} else {
		fmt.Fprintf(e.stdout, "%-12s %s\n", name, "loss")
		for k := range xs {
			fmt.Fprintf(e.stdout, "%-12.6g %.6g\n", xs[k], ys[k])
		}
	}
	if plotFile != "" {
		return plot.Curve(plotFile, xs, ys, name, "loss", &plot.Settings{Title: "fitting loss along " + name})
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func valueOf(res *series.FitResult, name string) float64 {
	for i, n := range res.Names {
		if n == name {
			return res.Values[i]
		}
	}
	return math.NaN()
}

// paramLine matches a parameter declaration: its name, the value
// expression, and what may follow (bounds "in [lo, hi]", a comment).
var paramLine = regexp.MustCompile(`^(\s*param\s+)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*?)(\s+in\s*\[[^\]]*\])?(\s*#.*)?$`)

// substituteParams rewrites the value of each named parameter declaration
// in a .lag source and checks the result by loading it again.
func substituteParams(filename string, src []byte, vals map[string]float64) ([]byte, error) {
	lines := strings.Split(string(src), "\n")
	done := map[string]bool{}
	for i, line := range lines {
		m := paramLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		v, ok := vals[m[2]]
		if !ok {
			continue
		}
		lines[i] = m[1] + m[2] + m[3] + strconv.FormatFloat(v, 'g', -1, 64) + m[5] + m[6]
		done[m[2]] = true
	}
	for n := range vals {
		if !done[n] {
			return nil, fmt.Errorf("%s: cannot find the line `param %s = …` to substitute the fitted value", filename, n)
		}
	}
	out := []byte(strings.Join(lines, "\n"))
	sys, err := eulerlag.Load(filename, out, nil)
	if err != nil {
		return nil, fmt.Errorf("%s with the fitted values does not load: %w", filename, err)
	}
	for _, p := range sys.Params {
		if v, ok := vals[p.Name]; ok && p.Value != v {
			return nil, fmt.Errorf("%s: parameter %s reads back as %g, not the fitted %g", filename, p.Name, p.Value, v)
		}
	}
	return out, nil
}
