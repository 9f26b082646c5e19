package main

import (
	"fmt"

	"github.com/lagc-dev/lagc/internal/sizelimit"
)

// trainSizes are the sizes of a training run that the user controls.
type trainSizes struct {
	Dim, Batch, Pool, EvalN int
	Hidden                  []int
	ExactOT                 bool // minibatches paired by exact optimal transport
}

// checkTrainSizes refuses, before anything is trained, sizes whose memory
// is above sizelimit's documented limits (see lagc help train).
func checkTrainSizes(s trainSizes) error {
	if s.ExactOT {
		if err := sizelimit.ExactOT("minibatch points paired by exact optimal transport", s.Batch, s.Batch, "use a smaller minibatch, or the independent coupling"); err != nil {
			return usagef("--batch: %v", err)
		}
	}
	d := max(s.Dim, 2)
	width := d + 1
	for _, h := range s.Hidden {
		width += h
	}
	// The network keeps activations and their gradients for every point of
	// the minibatch: about 4 floats per unit.
	if err := sizelimit.Floats(fmt.Sprintf("minibatch points through layers of %d units in all", width), s.Batch, []int{s.Batch, 4 * width}, "use a smaller minibatch or narrower layers"); err != nil {
		return usagef("--batch and --hidden: %v", err)
	}
	// A pooled numeric path keeps (x, v) at its interpolation nodes: about
	// 33 of them for smooth paths, plus its endpoints and bookkeeping.
	if err := sizelimit.Floats("pooled minibatches of numeric paths", s.Pool, []int{s.Pool, s.Batch, 33*2*d + 2*d + 25}, "pool fewer minibatches (they are cycled, so a small pool only repeats paths more often)"); err != nil {
		return usagef("--pool: %v", err)
	}
	if err := sizelimit.ExactOT("evaluation samples", s.EvalN, s.EvalN, "evaluate fewer samples at the end (0: none), then run eval on subsamples"); err != nil {
		return usagef("--eval-n: %v", err)
	}
	return nil
}
