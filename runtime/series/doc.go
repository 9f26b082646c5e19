// Package series reconstructs how a population moves between the times it
// was observed. A Series is a set of snapshots — unpaired point clouds at
// increasing physical times, as in single-cell RNA measurements, where each
// individual is seen at most once.
//
// Between two observed times ta < tb, Couple pairs the snapshots by exact
// optimal transport with the Lagrangian cost c_L on [ta, tb] and moves each
// pair along its least-action path; the pairs' positions at ta < t < tb are
// the prediction at t (a Bridge). LeaveOneOut drops each interior time in
// turn, predicts it from its neighbours and reports the exact W1 to the
// held-out points: the evaluation protocol of trajectory-inference papers.
//
// Fit adjusts named parameters of a Lagrangian so that these predictions
// match the observed snapshots (mean W2² over interior times), with exact
// gradients (Danskin's theorem for the matching, sensitivity equations of
// the least-action paths for the parameters), projected Gauss–Newton (or
// L-BFGS) with bounds and several starts, and a report of parameters the
// data cannot identify. Synthesize draws series with a known ground truth.
//
// Point sets are flat row-major []float64 slices, n rows × d columns.
package series
