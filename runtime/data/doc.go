// Package data provides the point sets lagc trains on and evaluates against:
// the built-in benchmark distributions (moons, 8gaussians, ...) as samplers,
// and user data read from CSV, .npy and .npz files as tables.
//
// Point sets are flat row-major []float64 slices of n rows × d columns, with
// n and d passed explicitly. Randomness comes from a caller-owned
// *rand.Rand (math/rand/v2), never from the global source, so every draw is
// reproducible from a seed.
//
// # Built-in sets
//
// The 2D sets are the same distributions that published flow-matching
// results use (the torchcfm tutorials for moons and 8gaussians, the FFJORD
// toy sets for checkerboard and circles, scikit-learn for the S curve).
// Each sampler's documentation gives its exact definition and its origin.
//
// # Sources
//
// Open turns a command-line spec ("moons", "csv:digits.csv.gz",
// "npy:x.npz:train") into a Source: something with a dimension that can fill
// a minibatch. Built-ins draw fresh points; tables draw rows with
// replacement (a bootstrap).
package data
