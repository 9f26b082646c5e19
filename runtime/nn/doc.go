// Package nn is the neural network behind flow matching: a multilayer
// perceptron v_θ(x, t) with batched forward, backward and forward-mode (JVP)
// passes, the Adam and AdamW optimisers, global-norm gradient clipping, an
// exponential moving average of the weights, and checksummed binary
// checkpoints of all of them.
//
// All parameters of a network live in one flat []float64, so an optimiser,
// a clipper, an EMA or a checkpoint sees a single vector. Point sets are
// row-major batch×features slices, as everywhere in the runtime.
//
// Speed comes from an AVX2/FMA matrix kernel in assembly (with a pure-Go
// fallback, also selected by the purego build tag) and from splitting a
// batch into a fixed number of shards processed on up to that many
// goroutines. Every output element is computed in the same order whatever
// the kernel or the split, so results are bit-identical across GOMAXPROCS
// and worker counts; parameter gradients are summed shard by shard in a fixed
// order. A Workspace owns all buffers, so a training step does not allocate.
//
// Derivatives with respect to the inputs come from BackwardInput (reverse
// mode, ∇ₓ of a scalar loss) and JVP (forward mode, J·u along one direction
// per row), both reusing the activation derivatives Forward caches. For
// objectives made of such derivatives, as in Action Matching, JVPBackward
// gives their gradient with respect to the parameters (a workspace made
// with SecondOrder keeps the extra state it needs).
package nn
