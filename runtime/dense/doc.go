// Package dense factorises small dense matrices once and solves with the
// factors many times: Cholesky for symmetric positive-definite matrices
// (mass matrices, Newton Hessians, covariances) and LU with partial
// pivoting for general square ones (shooting and collocation Jacobians,
// the boundary block of a matrix exponential).
//
// Matrices are row-major []float64 of n×n values, the layout every caller
// in lagc assembles them in, so nothing is converted on the way in. A
// Cholesky or LU value keeps its storage and reuses it on the next
// Factorize of the same or a smaller size: after the first call, factorising
// and solving do not allocate, which is what Euler–Lagrange accelerations
// evaluated millions of times need. Generated code imports this package
// instead of carrying its own factorisation.
//
// The sizes involved are small (d = 2..64, collocation systems of a few
// hundred): straight loops over contiguous rows, with gonum's floats
// kernels for the longer ones, beat gonum/mat there — factorise-and-solve
// in 8–23× less CPU time at n ≤ 8, where gonum/mat's checks and
// allocations dominate, and 1.7–3.6× less at n = 64 and 256 (measured with
// BenchmarkCholesky and BenchmarkLU, which run both).
//
// Failures are reported, never panicked on: Cholesky.Factorize says
// whether a pivot was positive enough and Err names the pivot that was
// not; LU.Factorize returns the ratio of the smallest to the largest pivot
// magnitude, 0 for an exactly singular or non-finite matrix, which each
// caller compares with the tolerance its problem needs.
package dense
