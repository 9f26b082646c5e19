package main

import (
	"fmt"
	"strings"

	"github.com/lagc-dev/lagc/internal/atomicfile"
	"github.com/lagc-dev/lagc/runtime/modelio"
	lagrun "github.com/lagc-dev/lagc/runtime/run"
)

func init() {
	register(&command{name: "export", summary: "export a trained model as .npz for PyTorch (lagc_torch.load_model)", run: runExport})
}

func runExport(e *env, args []string) error {
	fs := newFlags(e, "export", "CHECKPOINT -o model.npz [--raw] [--force]",
		`Writes the velocity network of a flow-matching checkpoint as a NumPy .npz
archive: its weights in PyTorch's layout and its architecture and run as JSON
(see runtime/modelio). python/lagc_torch.load_model reads it; lagc sample and
lagc eval accept it in place of a checkpoint.`)
	out := fs.String("o", "", "output .npz file (required)")
	raw := fs.Bool("raw", false, "export the raw weights instead of their EMA")
	force := fs.Bool("force", false, "overwrite an existing output file (also -f)")
	fs.BoolVar(force, "f", false, "same as --force")
	arg, err := parseOne(fs, args, "CHECKPOINT")
	if err != nil {
		return err
	}
	if *out == "" || !strings.HasSuffix(*out, ".npz") {
		return usagef("-o: want an output file ending in .npz")
	}
	path := modelio.CheckpointPath(arg)
	if err := atomicfile.CheckAll([]string{*out}, &atomicfile.Output{Overwrite: *force, Inputs: []string{path}}); err != nil {
		return outputError(err)
	}
	r, err := lagrun.Open(path, nil)
	if err != nil {
		return err
	}
	net, spec, err := modelio.FromRun(r, *raw)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return modelio.Write(*out, net, spec)
}
