// Package modelio is the exchange format of trained models between lagc and
// PyTorch: a NumPy .npz archive holding the weights of a multilayer
// perceptron v_θ(x, t) in PyTorch's layout and its architecture as JSON.
//
// An archive has exactly these members, each a little-endian float64 (or
// float32) .npy array in C order, except the first:
//
//	architecture.npy      uint8 [n]: the Architecture as UTF-8 JSON
//	layers.L.weight.npy   [sizes[L+1], sizes[L]]: row j holds the weights into output j
//	layers.L.bias.npy     [sizes[L+1]]
//
// for L = 0 … len(sizes)−2. The network's input is x followed by t (sizes[0]
// = d+1) and its output the velocity (d values); hidden layers apply the
// activation, the last layer none — runtime/nn's MLP. The PyTorch side,
// lagc_torch.save_model and load_model in the repository's python/
// directory, writes and reads the same archives.
//
// Decoding is strict, since archives come from elsewhere: unknown or
// missing members, unknown JSON fields, shapes that disagree with the
// architecture, non-finite weights and truncated data are errors, and sizes
// are checked before anything is allocated.
package modelio
