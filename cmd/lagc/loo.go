package main

import (
	"os"

	"github.com/lagc-dev/lagc/internal/flagvalue"
	"github.com/lagc-dev/lagc/internal/strictjson"
	"github.com/lagc-dev/lagc/runtime/experiment"
	"github.com/lagc-dev/lagc/runtime/seriesfm"
)

func runLOO(e *env, args []string) error {
	fset := newFlags(e, "experiment loo", "--snapshots csv:PATH -L A.lag [-L B.lag ...] [--iters 0] [--json] [--plot DIR]",
		`Leave-one-out on a snapshot series: for every Lagrangian (in -L order) and
every interior time k, predicts snapshot k from snapshots k−1 and k+1 by the
least-action interpolation (exact OT with the Lagrangian cost, pairs moved
along least-action paths) and reports the exact W1 to the observed points.
With --iters N > 0 a model trained N iterations without time k (as
lagc train --snapshots --leave-out k with the default settings) is scored as
well: snapshot k−1 pushed to t_k, exact W1 to snapshot k.`)
	var snaps snapshotFlags
	snaps.register(fset)
	var lags flagvalue.Strings
	fset.Var(&lags, "L", "a Lagrangian file (repeatable)")
	iters := fset.Int("iters", 0, "training iterations of the leave-out models (0: interpolation only)")
	seed := fset.Uint64("seed", 1, "random seed of the models")
	asJSON := fset.Bool("json", false, "print one JSON object")
	plotDir := fset.String("plot", "", "draw each held-out snapshot with the predictions over it into this directory")
	if err := parseNone(fset, args, " (Lagrangians go after -L)"); err != nil {
		return err
	}
	if len(lags) == 0 {
		return usagef("name at least one Lagrangian with -L FILE")
	}
	if *iters < 0 {
		return usagef("--iters %d: must be 0 or more", *iters)
	}
	ser, err := snaps.load()
	if err != nil {
		return err
	}
	if *plotDir != "" {
		if err := os.MkdirAll(*plotDir, 0o755); err != nil {
			return err
		}
	}
	rep, err := experiment.LOO(ser, lags, seriesfm.LOOModel(ser, *iters, *seed, nil), nil)
	if err != nil {
		return err
	}
	if *plotDir != "" {
		if err := experiment.PlotLOO(*plotDir, ser, rep); err != nil {
			return err
		}
	}
	if *asJSON {
		return strictjson.Encode(e.stdout, rep)
	}
	return experiment.WriteLOOTable(e.stdout, rep)
}
