package main

import (
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// problem is a run's Lagrangian and data, rebuilt from its Config alone (so
// that resume, sample and eval need nothing but the checkpoint).
type problem struct {
	sys      lagrangian.System
	src, tgt data.Sampler
	// holdout is the held-out part of a file target (nil for built-ins,
	// whose fresh samples serve instead).
	holdout *data.Table
	// std maps standardized samples back to the data's units (nil when the
	// target is not standardized).
	std *data.Standardizer
	d   int
}

func buildProblem(cfg *fm.Config) (*problem, error) {
	pr := &problem{}
	tgt, err := data.Open(cfg.Target, &data.Settings{Dim: cfg.Dim, Columns: cfg.Columns})
	if err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	pr.d = tgt.Dim()
	pr.tgt = tgt
	if tab, ok := tgt.(*data.Table); ok {
		if cfg.Standardize {
			tab, pr.std = tab.Standardize()
		}
		if cfg.Holdout > 0 {
			train, test, err := tab.Split(cfg.Holdout, rand.New(rand.NewPCG(cfg.Seed, 7)))
			if err != nil {
				return nil, fmt.Errorf("target: holdout %g: %w", cfg.Holdout, err)
			}
			tab, pr.holdout = train, test
		}
		pr.tgt = tab
	} else if cfg.Standardize || cfg.Holdout > 0 {
		return nil, fmt.Errorf("--standardize and --holdout apply to file targets (csv:PATH, npy:PATH), not to the built-in %q", cfg.Target)
	}
	src, err := data.Open(cfg.Source, &data.Settings{Dim: pr.d})
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	if src.Dim() != pr.d {
		return nil, fmt.Errorf("the source %q has dimension %d but the target %q has %d", cfg.Source, src.Dim(), cfg.Target, pr.d)
	}
	pr.src = src
	sys, err := eulerlag.Load(cfg.LagrangianFile, []byte(cfg.Lagrangian), cfg.Params)
	if err != nil {
		return nil, err
	}
	pr.sys, err = instantiate(sys, pr.d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.LagrangianFile, err)
	}
	return pr, nil
}

// instantiate evaluates a derived system at dimension d, with its closed
// form when it has one.
func instantiate(sys *eulerlag.System, d int) (lagrangian.System, error) {
	return sys.Instantiate(d)
}

// readLagrangian fills the Lagrangian fields of cfg from a file.
func readLagrangian(cfg *fm.Config, path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	cfg.Lagrangian = string(src)
	cfg.LagrangianFile = path
	return nil
}
