// Package seriesfm trains one velocity field v(x, t) on a snapshot series
// by flow matching on least-action paths: the population observed at times
// t_0 < … < t_n is interpolated between every two consecutive kept times
// (ta, tb) by the c_L-optimal coupling on [ta, tb] (series.Couple), and the
// network learns the velocities of the coupled pairs along their paths.
//
// Time. The network sees τ = (t − t_first)/(t_last − t_first) ∈ [0, 1] and
// predicts dx/dτ, the physical velocity times the span, so that its inputs
// and outputs have the scale of the data whatever the units of time. The
// training times are uniform over the whole span: an interval is drawn in
// proportion to its length, as a particle spends its time.
//
// Pairs. A coupling is exact optimal transport between whole snapshots
// (unequal counts give a sparse plan whose pairs carry masses, drawn in
// proportion to them); it is made once, on the first iteration, and so is
// every pair's least-action path. The paths are kept as positions and
// velocities at 32 reduced times per interval and evaluated by cubic
// Hermite interpolation (exact for straight lines; for other paths its
// error is of order 32⁻⁴ relative, far below sampling noise), which serves
// closed-form and numerically solved paths alike without solving them
// again. A minibatch draws, per row, a time and a pair from the iteration's
// own random stream (seed, k), so that a resumed run repeats an
// uninterrupted one bit for bit.
//
// Leave-out. Problem.LeaveOut drops an interior time K from training, so
// that times K−1 and K+1 are coupled across the gap; LeaveOutScore then
// pushes snapshot K−1 from t_{K−1} to t_K with the model and reports its
// exact W1 to snapshot K, beside the W1 of the least-action interpolation
// (series.Predict) — the leave-one-out protocol of trajectory inference.
package seriesfm
