// Package ot solves discrete optimal transport problems between point
// clouds: which source sample goes to which target sample so that the total
// cost of moving them is least.
//
// Flow matching pairs each minibatch of source samples with target samples
// by such a plan, so the solvers here are built to be called every training
// iteration:
//
//   - Assign (and the reusable Assigner) finds an exact optimal assignment
//     between n rows and n columns by the Jonker–Volgenant shortest
//     augmenting path algorithm. Its dual potentials certify optimality.
//   - Plan finds an exact optimal plan between weighted point sets of
//     different sizes (the earth mover's distance) by successive shortest
//     paths, returning the few nonzero entries of the plan.
//   - Sinkhorn solves the entropy-regularised problem in the log domain,
//     stable down to small regularisation, and returns the dense plan and
//     its potentials.
//   - W1 and W2 are the exact Wasserstein distances between two clouds of
//     equally weighted points; SqDist and Dist build the cost matrices.
//
// Cost matrices are flat row-major []float64 of n rows × m columns: entry
// (i, j) is cost[i*m+j]. Point sets are flat row-major []float64 of n rows ×
// d coordinates. A +Inf cost forbids a pairing in Assign and Plan; NaN and
// -Inf are rejected with an error, as are wrong lengths and empty problems.
package ot
