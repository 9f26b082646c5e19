package experiment

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"time"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/run"
)

// FM2DCell is one trained model's evaluation under one solver.
type FM2DCell struct {
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

// FM2DSettings configure FM2D; nil means the defaults of DefaultFM2D.
type FM2DSettings struct {
	// Seeds per configuration, training iterations per model and
	// evaluation samples.
	Seeds, Iters, N int
	// Lagrangians are .lag files (ReadLagrangian: a file, else an
	// embedded example of that name).
	Lagrangians []string
	Sources     []string
	Target      string
	Coupling    string
	// Log, when not nil, gets a line per trained model.
	Log io.Writer
	// Done, when not nil, is called with all cells so far after every
	// model (to save partial results).
	Done func(cells []FM2DCell)
}

// DefaultFM2D is the published table: kinetic, harmonic and bump, from
// gaussian and 8gaussians to moons, minibatch OT, 3 seeds of 20,000
// iterations, 2048 evaluation samples.
func DefaultFM2D() FM2DSettings {
	return FM2DSettings{Seeds: 3, Iters: 20000, N: 2048,
		Lagrangians: []string{"kinetic.lag", "harmonic.lag", "bump.lag"},
		Sources:     []string{"gaussian", "8gaussians"}, Target: "moons", Coupling: fm.OT}
}

// FM2DSolvers are the solvers every model is evaluated with.
var FM2DSolvers = []fm.SampleSettings{{Solver: fm.Euler, Steps: 100}, {Solver: fm.RK4, Steps: 20}, {Solver: fm.Adaptive}}

// Validate checks the settings; its messages name concepts.
func (s *FM2DSettings) Validate() error {
	if s.Seeds < 1 || s.Iters < 1 {
		return errors.New("seeds and iterations must be at least 1")
	}
	if s.N < 2 {
		return fmt.Errorf("evaluation samples %d: must be at least 2", s.N)
	}
	return nil
}

// FM2D trains MLP 3×64 SELU velocity fields (flow matching's defaults)
// for every source, Lagrangian and seed, and evaluates each with every
// solver of FM2DSolvers: W2 of N samples against N fresh targets, and NFE.
func FM2D(s *FM2DSettings) ([]FM2DCell, error) {
	set := DefaultFM2D()
	if s != nil {
		set = *s
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	var cells []FM2DCell
	for _, src := range set.Sources {
		for _, lag := range set.Lagrangians {
			text, err := ReadLagrangian(lag)
			if err != nil {
				return cells, err
			}
			for seed := uint64(1); seed <= uint64(set.Seeds); seed++ {
				spec := run.DefaultSpec()
				spec.Lagrangian, spec.LagrangianFile = string(text), lag
				spec.Source, spec.Target, spec.Iters, spec.Seed = src, set.Target, set.Iters, seed
				hyper := fm.DefaultSettings()
				hyper.Pairs.Coupling = set.Coupling
				r, err := run.New(spec, &hyper, nil)
				if err != nil {
					return cells, err
				}
				start := time.Now()
				if err := r.Train(nil); err != nil {
					return cells, fmt.Errorf("%s %s seed %d: %w", src, lag, seed, err)
				}
				secs := time.Since(start).Seconds()
				for _, solver := range FM2DSolvers {
					rng := rand.New(rand.NewPCG(seed, 99))
					m, _, err := r.Evaluate(set.N, &solver, false, rng)
					if err != nil {
						return cells, err
					}
					cells = append(cells, FM2DCell{Source: src, Target: set.Target, Lagrangian: filepath.Base(lag), Coupling: set.Coupling,
						Seed: seed, Solver: solver.Solver, Steps: solver.Steps, W2: m.W2, NFE: m.NFE, TrainSecs: secs})
				}
				if set.Log != nil {
					fmt.Fprintf(set.Log, "%s → %s, %s, seed %d: %.0fs, %.0f it/s\n", src, set.Target, filepath.Base(lag), seed, secs, float64(set.Iters)/secs)
				}
				if set.Done != nil {
					set.Done(cells)
				}
			}
		}
	}
	return cells, nil
}

// WriteFM2DTable prints mean ± std over seeds of W2, and mean NFE, per
// source, Lagrangian and solver.
func WriteFM2DTable(w io.Writer, cells []FM2DCell) error {
	type key struct{ src, lag, solver string }
	var order []key
	groups := map[key][]FM2DCell{}
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
		w2 := make([]float64, len(g))
		var nfe, secs float64
		for i, c := range g {
			w2[i] = c.W2
			nfe += float64(c.NFE) / float64(len(g))
			secs += c.TrainSecs / float64(len(g))
		}
		mean, std := meanStd(w2)
		solver := k.solver
		if g[0].Steps > 0 && solver != fm.Adaptive {
			solver = fmt.Sprintf("%s %d", solver, g[0].Steps)
		}
		if _, err := fmt.Fprintf(w, "| %s → %s | %s | %s | %.3f ± %.3f | %.0f | %d | %.0f |\n", k.src, g[0].Target, k.lag, solver, mean, std, nfe, len(g), secs); err != nil {
			return err
		}
	}
	return nil
}

// meanStd returns the mean and the sample standard deviation (0 for fewer
// than two values).
func meanStd(x []float64) (mean, std float64) {
	for _, v := range x {
		mean += v / float64(len(x))
	}
	if len(x) < 2 {
		return mean, 0
	}
	for _, v := range x {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(x)-1))
}
