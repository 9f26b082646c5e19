package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"time"

	"github.com/lagc-dev/lagc/runtime/fm"
)

func init() {
	register(&command{name: "experiment", summary: "run a reproducible experiment and print its table (fm2d, equivalence)", run: runExperiment})
}

func runExperiment(e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprint(e.stderr, experimentHelp)
			return nil
		}
		return usagef("name an experiment: fm2d or equivalence")
	}
	switch args[0] {
	case "fm2d":
		return runFM2D(e, args[1:])
	case "equivalence":
		return runEquivalence(e, args[1:])
	case "loo":
		return runLOO(e, args[1:])
	}
	return usagef("unknown experiment %q: want fm2d, equivalence or loo", args[0])
}

const experimentHelp = `usage: lagc experiment NAME [flags]

Experiments:
	fm2d         flow matching on 2D benchmarks: W2 and NFE per Lagrangian, coupling and solver
	equivalence  FM, AM, OFM and AM-optimal against the closed-form Gaussian OT map (L2-UVP)
	loo          leave-one-out on a snapshot series: W1 of each held-out time per Lagrangian
`

// fm2dCell is one trained model's evaluation under one solver.
type fm2dCell struct {
	Source     string  `json:"source"`
	Target     string  `json:"target"`
	Lagrangian string  `json:"lagrangian"`
	Coupling   string  `json:"coupling"`
	Seed       uint64  `json:"seed"`
	Solver     string  `json:"solver"`
	Steps      int     `json:"steps,omitempty"`
	W2         float64 `json:"w2"`
	NFE        int     `json:"nfe"`
	TrainSecs  float64 `json:"train_seconds"`
}

func runFM2D(e *env, args []string) error {
	fs := newFlags(e, "experiment fm2d", "[--seeds 3] [--iters 20000] [--json]",
		"Trains MLP 3×64 SELU velocity fields (batch 256, Adam 1e-3, σ = 0.1) from\n"+
			"gaussian and 8gaussians to moons for each Lagrangian with minibatch OT, and\n"+
			"reports W2 (2048 samples vs 2048 fresh targets) and NFE for Euler 100 steps,\n"+
			"RK4 20 steps and dopri5, averaged over seeds.")
	seeds := fs.Int("seeds", 3, "seeds per configuration")
	iters := fs.Int("iters", 20000, "training iterations per model")
	lags := fs.String("L", "examples/lagrangians/kinetic.lag,examples/lagrangians/harmonic.lag,examples/lagrangians/bump.lag", "comma-separated Lagrangian files")
	sources := fs.String("sources", "gaussian,8gaussians", "comma-separated sources")
	target := fs.String("target", "moons", "target data")
	coupling := fs.String("coupling", fm.OT, "coupling: ot or independent")
	asJSON := fs.Bool("json", false, "print the cells as JSON instead of the table")
	n := fs.Int("n", 2048, "evaluation samples")
	outFile := fs.String("out", "", "also write the cells as JSON to this file")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *seeds < 1 || *iters < 1 || *n < 2 {
		return usagef("--seeds, --iters and -n must be positive")
	}
	solvers := []fm.SampleSettings{{Solver: fm.Euler, Steps: 100}, {Solver: fm.RK4, Steps: 20}, {Solver: fm.Adaptive}}
	var cells []fm2dCell
	for _, src := range strings.Split(*sources, ",") {
		for _, lag := range strings.Split(*lags, ",") {
			for s := 1; s <= *seeds; s++ {
				cfg := fm.DefaultConfig()
				cfg.Source, cfg.Target, cfg.Coupling, cfg.Iters, cfg.Seed = src, *target, *coupling, *iters, uint64(s)
				if err := readLagrangian(&cfg, lag); err != nil {
					return err
				}
				pr, err := buildProblem(&cfg)
				if err != nil {
					return err
				}
				tr, err := fm.NewTrainer(cfg, pr.sys, pr.src, pr.tgt)
				if err != nil {
					return err
				}
				start := time.Now()
				for tr.Step < cfg.Iters {
					if _, err := tr.Iterate(); err != nil {
						return fmt.Errorf("%s %s seed %d: %w", src, lag, s, err)
					}
				}
				secs := time.Since(start).Seconds()
				net := tr.Net.Clone()
				copy(net.Params(), tr.EMA.Params())
				for _, set := range solvers {
					rng := rand.New(rand.NewPCG(uint64(s), 99))
					m, _, err := fm.Evaluate(net, pr.src, pr.tgt, nil, *n, &set, rng)
					if err != nil {
						return err
					}
					cells = append(cells, fm2dCell{Source: src, Target: *target, Lagrangian: filepath.Base(lag), Coupling: *coupling,
						Seed: uint64(s), Solver: set.Solver, Steps: set.Steps, W2: m.W2, NFE: m.NFE, TrainSecs: secs})
				}
				fmt.Fprintf(e.stderr, "%s → %s, %s, seed %d: %.0fs, %.0f it/s\n", src, *target, filepath.Base(lag), s, secs, float64(cfg.Iters)/secs)
				// Write after every model, so an interrupted experiment keeps
				// what it finished.
				if *outFile != "" {
					if err := writeJSON(*outFile, cells); err != nil {
						return err
					}
				}
			}
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(cells)
	}
	return writeFM2DTable(e.stdout, cells)
}

// writeFM2DTable prints mean ± std over seeds of W2, and mean NFE, per
// source, Lagrangian and solver.
func writeFM2DTable(w io.Writer, cells []fm2dCell) error {
	type key struct{ src, lag, solver string }
	var order []key
	groups := map[key][]fm2dCell{}
	for _, c := range cells {
		k := key{c.Source, c.Lagrangian, c.Solver}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	fmt.Fprintln(w, "| source → target | Lagrangian | solver | W2 (mean ± std) | NFE | seeds | train s |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- |")
	for _, k := range order {
		g := groups[k]
		var mean, nfe, secs float64
		for _, c := range g {
			mean += c.W2 / float64(len(g))
			nfe += float64(c.NFE) / float64(len(g))
			secs += c.TrainSecs / float64(len(g))
		}
		var v float64
		for _, c := range g {
			v += (c.W2 - mean) * (c.W2 - mean)
		}
		std := 0.0
		if len(g) > 1 {
			std = math.Sqrt(v / float64(len(g)-1))
		}
		solver := k.solver
		if g[0].Steps > 0 && solver != fm.Adaptive {
			solver = fmt.Sprintf("%s %d", solver, g[0].Steps)
		}
		fmt.Fprintf(w, "| %s → %s | %s | %s | %.3f ± %.3f | %.0f | %d | %.0f |\n", k.src, g[0].Target, k.lag, solver, mean, std, nfe, len(g), secs)
	}
	return nil
}
