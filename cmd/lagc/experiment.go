package main

import (
	"fmt"
	"strings"

	"github.com/lagc-dev/lagc/internal/atomicfile"
	"github.com/lagc-dev/lagc/internal/flagvalue"
	"github.com/lagc-dev/lagc/internal/strictjson"
	"github.com/lagc-dev/lagc/runtime/experiment"
)

func init() {
	register(&command{name: "experiment", summary: "run a reproducible experiment and print its table (fm2d, equivalence, loo)", run: runExperiment})
}

func runExperiment(e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprint(e.stderr, "usage: lagc experiment NAME [flags]\n\nExperiments:\n")
			for _, a := range experiment.Catalog {
				fmt.Fprintf(e.stderr, "\t%-12s %s\n", a.Name, a.Summary)
			}
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

// printResult prints v as JSON or as its table, then reports writeErr (a
// failed output file) so that the table is never lost to it.
func printResult(e *env, asJSON bool, v any, table func() error, writeErr error) error {
	var err error
	if asJSON {
		var b []byte
		if b, err = strictjson.MarshalIndent(v, "", "  "); err == nil {
			_, err = e.stdout.Write(append(b, '\n'))
		}
	} else {
		err = table()
	}
	if writeErr != nil {
		return writeErr
	}
	return err
}

func runFM2D(e *env, args []string) error {
	def := experiment.DefaultFM2D()
	fs := newFlags(e, "experiment fm2d", "[--seeds 3] [--iters 20000] [--json]", experiment.Describe("fm2d").Description)
	set := def
	fs.IntVar(&set.Seeds, "seeds", def.Seeds, "seeds per configuration")
	fs.IntVar(&set.Iters, "iters", def.Iters, "training iterations per model")
	fs.Var((*flagvalue.Names)(&set.Lagrangians), "L", "comma-separated Lagrangian files")
	fs.Var((*flagvalue.Names)(&set.Sources), "sources", "comma-separated sources")
	fs.StringVar(&set.Target, "target", def.Target, "target data")
	fs.StringVar(&set.Coupling, "coupling", def.Coupling, "coupling: ot or independent")
	asJSON := fs.Bool("json", false, "print the cells as JSON instead of the table")
	fs.IntVar(&set.N, "n", def.N, "evaluation samples")
	outFile := fs.String("out", "", "also write the cells as JSON to this file (after every model)")
	force := fs.Bool("force", false, "replace an existing --out file")
	if err := parseNone(fs, args, ""); err != nil {
		return err
	}
	if err := set.Validate(); err != nil {
		return usagef("%v (--seeds, --iters, -n)", err)
	}
	// The output is checked now, not after the first model has trained
	// for minutes.
	if err := atomicfile.CheckAll([]string{*outFile}, &atomicfile.Output{Overwrite: *force}); err != nil {
		return outputError(err)
	}
	set.Log = e.stderr
	var writeErr error
	if *outFile != "" {
		set.Done = func(cells []experiment.FM2DCell) {
			if err := strictjson.WriteFile(*outFile, cells); err != nil && writeErr == nil {
				writeErr = fmt.Errorf("writing the cells: %w", err)
			}
		}
	}
	cells, err := experiment.FM2D(&set)
	if err != nil {
		return err
	}
	return printResult(e, *asJSON, cells, func() error { return experiment.WriteFM2DTable(e.stdout, cells) }, writeErr)
}

func runEquivalence(e *env, args []string) error {
	fs := newFlags(e, "experiment equivalence", "[--dims 2,8,32] [--seeds 3] [--json]", experiment.Describe("equivalence").Description)
	o := experiment.DefaultEquivalence()
	fs.Var((*flagvalue.Ints)(&o.Dims), "dims", "comma-separated dimensions")
	fs.IntVar(&o.Seeds, "seeds", o.Seeds, "seeds (random problems and initialisations) per dimension")
	asJSON := fs.Bool("json", false, "print one JSON object instead of the table")
	fs.IntVar(&o.ItersFlow, "iters", o.ItersFlow, "training iterations of the FM and AM models")
	fs.IntVar(&o.ItersOpt, "iters-opt", o.ItersOpt, "training iterations of the OFM and AM-optimal models")
	fs.IntVar(&o.Batch, "batch", o.Batch, "minibatch size")
	fs.IntVar(&o.N, "n", o.N, "fresh source samples for L2-UVP")
	fs.Var((*flagvalue.Ints)(&o.Hidden), "hidden", "hidden widths of the FM and AM networks")
	fs.Var((*flagvalue.Ints)(&o.ICNNHidden), "icnn-hidden", "hidden widths of the input-convex potential")
	fs.Float64Var(&o.LRFlow, "lr", o.LRFlow, "Adam learning rate of FM and AM")
	fs.Float64Var(&o.LROpt, "lr-opt", o.LROpt, "Adam learning rate of OFM and AM-optimal")
	fs.BoolVar(&o.Mixture, "mixture", o.Mixture, "also run the 2-D Gaussian → mixture case")
	fs.Var((*flagvalue.Names)(&o.Methods), "methods", "comma-separated columns to train")
	fs.StringVar(&o.PlotDir, "plot", "", "write the mixture case's trajectory plots into this `dir`ectory")
	if err := parseNone(fs, args, ""); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return usagef("%v (--seeds, --iters, --iters-opt, --batch, -n, --lr, --lr-opt, --dims, --methods)", err)
	}
	if o.PlotDir != "" {
		if err := atomicfile.CheckDir(o.PlotDir); err != nil {
			return fmt.Errorf("plot directory: %v", err)
		}
	}
	o.Log = e.stderr
	rep, err := experiment.Equivalence(&o)
	if err != nil {
		return err
	}
	return printResult(e, *asJSON, rep, func() error { return experiment.WriteEquivalenceTable(e.stdout, rep) }, nil)
}
