// Package ot solves discrete optimal transport problems between point
// clouds: which source sample goes to which target sample so that the total
// cost of moving them is least.
//
// Flow matching pairs each minibatch of source samples with target samples
// by such a plan, so the solvers here are built to be called every training
// iteration:
//
//   - Assign (and the reusable, allocation-free Assigner) finds an exact
//     optimal assignment between n rows and n columns. An ε-scaling
//     auction, warm-started from the half-size problem, supplies prices;
//     Jonker–Volgenant shortest augmenting paths make the answer exact, and
//     their dual potentials (Assigner.Duals) certify it.
//   - Plan finds an exact optimal plan between weighted point sets of
//     different sizes (the earth mover's distance) by successive shortest
//     paths, returning the few nonzero entries of the plan.
//   - Sinkhorn solves the entropy-regularised problem with log-domain
//     potentials and a stabilised kernel, fast and stable down to small
//     regularisation, and returns the dense plan and its potentials.
//   - W1 and W2 are the exact Wasserstein distances between two clouds of
//     equally weighted points; SqDist and Dist build the cost matrices.
//
// Assign and Plan share one shortest augmenting path core:
// Dijkstra's algorithm on reduced costs over per-row shortlists, with the
// column potentials that certify optimality; they differ only in what a
// column leads to (its one holder, or every row sending it flow) and when
// a path may end (a free column, or one with demand left). Whole rows are
// scanned by AVX2 kernels where the CPU has them (build tag purego turns
// them off); the optimum is the same either way, though where several
// permutations tie the one returned may differ between the two builds.
// Within a build every solve is deterministic.
//
// Cost matrices are flat row-major []float64 of n rows × m columns: entry
// (i, j) is cost[i*m+j]. Point sets are flat row-major []float64 of n rows ×
// d coordinates. A +Inf cost forbids a pairing in Assign, Plan and Sinkhorn;
// NaN and -Inf are rejected with an error, as are wrong lengths and empty
// problems. Nothing here panics on bad input.
//
// Exact means exact in float64: Assign's answer satisfies its optimality
// certificate to rounding (Settings.Verify checks it), and Plan's is the
// optimum of the same primal–dual method. The package-level functions are
// safe for concurrent use; an Assigner is not.
package ot
