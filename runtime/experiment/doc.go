// Package experiment holds lagc's reproducible experiments as library code:
// fm2d (flow matching on 2-D benchmarks: W2 and NFE per Lagrangian and
// solver), equivalence (FM, AM, OFM and AM-optimal against the closed-form
// Gaussian OT map) and loo (leave-one-out on a snapshot series: W1 of each
// held-out time per Lagrangian). Each returns its cells and has a function
// that prints them as a table; cmd/lagc only parses flags and writes files.
// Example Lagrangians are embedded (examples/lagrangians), so experiments
// run from any directory.
package experiment
