package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// MLP is a fully connected network: sizes[0] inputs, hidden layers of
// widths sizes[1:len-1] each followed by one Activation, and a linear output
// layer of width sizes[len-1].
//
// All parameters live in one flat vector (see Params) so that optimisers,
// clipping, EMA and checkpoints treat them as a single []float64. Layer l
// occupies a weight block of sizes[l]×sizes[l+1] values stored row-major as
// W[i][j] (input i to output j, the transpose of PyTorch's layout), then
// sizes[l+1] biases.
//
// An MLP is not safe for concurrent modification; concurrent Forward calls
// on separate Workspaces are fine while the parameters are not changing.
type MLP struct {
	sizes  []int
	act    Activation
	params []float64
	wOff   []int // start of layer l's weights in params
	bOff   []int // start of layer l's biases in params
}

// maxParams bounds the network size (2 GiB of float64) and, with it, the
// buffers derived from it, so that a mistyped size or a corrupt checkpoint
// gives an error instead of exhausting memory.
const maxParams = 1 << 28

// NewMLP returns an MLP with the given layer sizes (at least input and
// output) and hidden activation, initialised like PyTorch's nn.Linear:
// Kaiming-uniform with a = √5, which for weights and biases alike means
// uniform on ±1/√fan_in. Draws come from rng in parameter order, so the same
// seed gives the same network.
func NewMLP(sizes []int, act Activation, rng *rand.Rand) (*MLP, error) {
	if rng == nil {
		return nil, errors.New("nn: NewMLP needs a *rand.Rand (rand.New(rand.NewPCG(seed, stream)))")
	}
	n, err := newMLPShape(sizes, act, nil)
	if err != nil {
		return nil, err
	}
	for l := 0; l < n.Layers(); l++ {
		w, b := n.Layer(l)
		bound := 1 / math.Sqrt(float64(n.sizes[l]))
		for i := range w {
			w[i] = bound * (2*rng.Float64() - 1)
		}
		for i := range b {
			b[i] = bound * (2*rng.Float64() - 1)
		}
	}
	return n, nil
}

// newMLPShape validates sizes and act and returns an MLP with the given
// parameters, or zero ones if params is nil. The count is checked before
// anything is allocated, so forged sizes cannot cause a huge allocation.
func newMLPShape(sizes []int, act Activation, params []float64) (*MLP, error) {
	if len(sizes) < 2 {
		return nil, fmt.Errorf("nn: need at least an input and an output size, got sizes %v", sizes)
	}
	if !act.valid() {
		return nil, fmt.Errorf("nn: unknown activation %v", act)
	}
	n := &MLP{sizes: slices.Clone(sizes), act: act}
	total := 0
	for l := 0; l+1 < len(sizes); l++ {
		in, out := sizes[l], sizes[l+1]
		if in <= 0 || out <= 0 || in > maxParams || out > maxParams {
			return nil, fmt.Errorf("nn: layer sizes must be positive, got sizes %v", sizes)
		}
		if in*out > maxParams-total-out {
			return nil, fmt.Errorf("nn: network with sizes %v has more than %d parameters", sizes, maxParams)
		}
		n.wOff = append(n.wOff, total)
		total += in * out
		n.bOff = append(n.bOff, total)
		total += out
	}
	switch {
	case params == nil:
		params = make([]float64, total)
	case len(params) != total:
		return nil, fmt.Errorf("nn: %d parameters given, sizes %v need %d", len(params), sizes, total)
	}
	n.params = params
	return n, nil
}

// Sizes returns a copy of the layer sizes, input first.
func (n *MLP) Sizes() []int { return slices.Clone(n.sizes) }

// Activation returns the hidden-layer activation.
func (n *MLP) Activation() Activation { return n.act }

// In is the input width.
func (n *MLP) In() int { return n.sizes[0] }

// Out is the output width.
func (n *MLP) Out() int { return n.sizes[len(n.sizes)-1] }

// Layers is the number of affine layers, len(Sizes())-1.
func (n *MLP) Layers() int { return len(n.sizes) - 1 }

// Params returns the parameter vector itself, not a copy: optimisers update
// it in place. Its length is fixed for the life of the MLP.
func (n *MLP) Params() []float64 { return n.params }

// NumParams is len(Params()).
func (n *MLP) NumParams() int { return len(n.params) }

// Layer returns views of layer l's weights (sizes[l]×sizes[l+1], row-major,
// W[i*sizes[l+1]+j] connects input i to output j) and biases.
func (n *MLP) Layer(l int) (w, b []float64) {
	in, out := n.sizes[l], n.sizes[l+1]
	return n.params[n.wOff[l] : n.wOff[l]+in*out], n.params[n.bOff[l] : n.bOff[l]+out]
}

// Clone returns a deep copy, for instance to hold EMA weights for evaluation.
func (n *MLP) Clone() *MLP {
	c := *n
	c.sizes = slices.Clone(n.sizes)
	c.params = slices.Clone(n.params)
	c.wOff = slices.Clone(n.wOff)
	c.bOff = slices.Clone(n.bOff)
	return &c
}

// sameShape reports whether n and m have the same sizes and activation.
func (n *MLP) sameShape(sizes []int, act Activation) bool {
	return n.act == act && slices.Equal(n.sizes, sizes)
}

func (n *MLP) describe() string {
	return fmt.Sprintf("sizes %v, %v", n.sizes, n.act)
}
