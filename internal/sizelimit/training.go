package sizelimit

import "fmt"

// Training are the sizes of a training run that its user controls.
type Training struct {
	Dim, Batch, Pool, EvalN int
	Hidden                  []int
	ExactOT                 bool // minibatches paired by exact optimal transport
}

// Check refuses sizes whose memory is above the limits: the exact OT
// coupling's and the final evaluation's n×n cost matrices (MaxExactOT),
// the network's activations for a minibatch and the pool of numeric paths
// (Budget each). Each message starts with the concept it limits.
func (t Training) Check() error {
	if t.ExactOT {
		if err := ExactOT("minibatch points paired by exact optimal transport", t.Batch, t.Batch, "use a smaller minibatch, or the independent coupling"); err != nil {
			return fmt.Errorf("batch size: %w", err)
		}
	}
	d := max(t.Dim, 2)
	width := d + 1
	for _, h := range t.Hidden {
		width += h
	}
	// The network keeps activations and their gradients for every point of
	// the minibatch: about 4 floats per unit.
	if err := Floats(fmt.Sprintf("minibatch points through layers of %d units in all", width), t.Batch, []int{t.Batch, 4 * width}, "use a smaller minibatch or narrower layers"); err != nil {
		return fmt.Errorf("batch size and hidden layer widths: %w", err)
	}
	// A pooled numeric path keeps (x, v) at its interpolation nodes: about
	// 33 of them for smooth paths, plus its endpoints and bookkeeping.
	if err := Floats("pooled minibatches of numeric paths", t.Pool, []int{t.Pool, t.Batch, 33*2*d + 2*d + 25}, "pool fewer minibatches (they are cycled, so a small pool only repeats paths more often)"); err != nil {
		return fmt.Errorf("pool of path batches: %w", err)
	}
	if err := ExactOT("evaluation samples", t.EvalN, t.EvalN, "evaluate fewer samples at the end (0: none), then evaluate subsamples"); err != nil {
		return fmt.Errorf("final evaluation: %w", err)
	}
	return nil
}
