// Package metric measures how far apart two point sets are without solving
// an optimal transport problem: the kernel maximum mean discrepancy (MMD)
// with a Gaussian (RBF) kernel. Wasserstein distances, which need exact OT,
// are in package runtime/ot.
//
// Point sets are flat row-major []float64 slices of n rows × d columns.
package metric
