package main

import (
	"fmt"

	"github.com/lagc-dev/lagc/internal/sizelimit"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/nn"
)

// checkTrainSizes refuses, before anything is trained, flag values that
// cannot work: an unknown activation, negative threads, and sizes whose
// memory is above sizelimit's documented limits.
func checkTrainSizes(cfg *fm.Config, evalN int) error {
	if _, err := nn.ParseActivation(cfg.Activation); err != nil {
		return usagef("--act %q: want selu, silu, relu or tanh", cfg.Activation)
	}
	if cfg.Threads < 0 {
		return usagef("--threads %d: must be 0 (all cores) or positive", cfg.Threads)
	}
	if cfg.Coupling == fm.OT {
		if err := sizelimit.ExactOT("minibatch points paired by exact optimal transport", cfg.Batch, cfg.Batch, "use a smaller minibatch, or the independent coupling"); err != nil {
			return usagef("--batch: %v", err)
		}
	}
	d := max(cfg.Dim, 2)
	width := d + 1
	for _, h := range cfg.Hidden {
		width += h
	}
	// The network keeps activations and their gradients for every point of
	// the minibatch: about 4 floats per unit.
	if err := sizelimit.Floats(fmt.Sprintf("minibatch points through layers of %d units in all", width), cfg.Batch, []int{cfg.Batch, 4 * width}, "use a smaller minibatch or narrower layers"); err != nil {
		return usagef("--batch and --hidden: %v", err)
	}
	// A pooled numeric path keeps (x, v) at its interpolation nodes: about
	// 33 of them for smooth paths, plus its endpoints and bookkeeping.
	if err := sizelimit.Floats("pooled minibatches of numeric paths", cfg.Pool, []int{cfg.Pool, cfg.Batch, 33*2*d + 2*d + 25}, "pool fewer minibatches (they are cycled, so a small pool only repeats paths more often)"); err != nil {
		return usagef("--pool: %v", err)
	}
	if err := sizelimit.ExactOT("evaluation samples", evalN, evalN, "evaluate fewer samples at the end (0: none), then run eval on subsamples"); err != nil {
		return usagef("--eval-n: %v", err)
	}
	return nil
}
