package main

import (
	"fmt"
	"io"
	"math"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/internal/flagvalue"
	"github.com/lagc-dev/lagc/internal/strictjson"
	"github.com/lagc-dev/lagc/runtime/bvp"
)

func init() {
	register(&command{name: "path", summary: "solve the least-action path between two points (JSON)", run: runPath})
}

func runPath(e *env, args []string) error {
	fs := newFlags(e, "path", "FILE --x0 1,2 --x1 -0.5,3 [--t0 0 --t1 1] [--t 0,0.25,0.5,1] [-p NAME=VALUE]",
		`Solves the least-action path of the Lagrangian in FILE from x0 (t = t0) to x1
(t = t1, default [0, 1]) and prints one JSON object:
{"t":[...], "x":[[...]...], "v":[[...]...], "action": S, "method": "closed-form|shooting|multiple-shooting", "iterations": n}
Times and velocities are physical (dx/dt on [t0, t1]); time-dependent
Lagrangians see absolute time.`)
	params := paramFlag(fs)
	var x0, x1, ts flagvalue.Floats
	fs.Var(&x0, "x0", "start point, comma-separated")
	fs.Var(&x1, "x1", "end point, comma-separated")
	fs.Var(&ts, "t", "times in [t0, t1] at which to report the path (default 11 evenly spaced)")
	t0 := fs.Float64("t0", 0, "time of x0")
	t1 := fs.Float64("t1", 1, "time of x1 (after t0)")
	tol := fs.Float64("tol", 1e-10, "boundary residual tolerance of the numeric solver")
	method := fs.String("method", "", "force a method: closed-form, shooting or multiple-shooting (default: the best available)")
	arg, err := parseOne(fs, args, "FILE")
	if err != nil {
		return err
	}
	if len(x0) == 0 || len(x1) == 0 {
		return usagef("--x0 and --x1 are required")
	}
	if len(x0) != len(x1) {
		return usagef("--x0 has %d components and --x1 has %d", len(x0), len(x1))
	}
	if err := eulerlag.CheckState(0, x0, x1); err != nil {
		return usagef("endpoints: %v", err)
	}
	if err := eulerlag.CheckState(0, []float64{*t0, *t1}); err != nil || !(*t1 > *t0) || math.IsInf(*t1-*t0, 0) {
		return usagef("--t0 %v --t1 %v: want finite times with t0 < t1 and a finite t1 − t0", *t0, *t1)
	}
	if len(ts) == 0 {
		for i := 0; i <= 10; i++ {
			ts = append(ts, *t0+(*t1-*t0)*float64(i)/10)
		}
		ts[10] = *t1
	}
	for _, t := range ts {
		if !(t >= *t0 && t <= *t1) {
			return usagef("--t %v: times must lie in [%v, %v]", t, *t0, *t1)
		}
	}
	switch *method {
	case "", "closed-form", "collocation", "shooting", "multiple-shooting":
	default:
		return usagef("--method %q: want closed-form, collocation, shooting or multiple-shooting", *method)
	}
	if !(*tol > 0) {
		return usagef("--tol %v: must be positive", *tol)
	}
	sys, err := loadSystem(e, arg, params)
	if err != nil {
		return err
	}
	ev, err := sys.Instantiate(sys.DimFor(0, len(x0)))
	if err != nil {
		return err
	}
	if ev.Dim() != len(x0) {
		return fmt.Errorf("the endpoints have %d components but %s fixes the dimension to %d", len(x0), arg, ev.Dim())
	}
	p, err := bvp.SolveOn(ev, *t0, *t1, x0, x1, &bvp.Settings{Tol: *tol, Method: *method})
	if err != nil {
		return err
	}
	return writePathJSON(e.stdout, p, ts, *t0, *t1)
}

// writePathJSON prints the path at the physical times ts.
func writePathJSON(w io.Writer, p *bvp.Path, ts []float64, t0, t1 float64) error {
	tab, err := p.Tabulate(ts, t0, t1)
	if err != nil {
		return err
	}
	// JSON cannot carry NaN or ±Inf; a non-finite path is a failed computation.
	if err := strictjson.CheckFinite(tab); err != nil {
		return fmt.Errorf("the %s path is not finite: %v; the endpoints or parameters may be too large for float64", p.Method, err)
	}
	return strictjson.Encode(w, tab)
}
