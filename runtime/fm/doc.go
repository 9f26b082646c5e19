// Package fm trains flow-matching models on the least-action paths of a
// Lagrangian and samples from them.
//
// A training pair (x0, x1) — a source and a data sample, coupled
// independently or by minibatch optimal transport with the Lagrangian cost
// c_L(x0, x1) = least action — is joined by the least-action path x_t of the
// Lagrangian. A network v_θ(x, t) regresses the path's velocity u_t = ẋ_t at
// x_t (plus optional Gaussian noise σ) for t ~ U(0, 1). Paths come from a
// closed form when the Lagrangian has one (kinetic: straight lines, OT flow
// matching; harmonic: trigonometric paths) and otherwise from the
// boundary-value solver, solved once per pair and cached in a pool of
// minibatches — never by simulating the model.
//
// The pieces: Problem is what is learnt from (the Lagrangian, the data, the
// seed); Pairs draws the minibatches of every training method (data,
// coupling, the pool of numeric paths, prefetching, the points x_t and
// velocities u_t); Trainer is flow matching's MLP on top of it, stepped by
// nn.Optimizer. Other methods build their own networks on Pairs.
//
// Sampling integrates ẋ = v_θ(x, t) from t = 0 to 1 with a fixed-step or
// adaptive solver and counts network evaluations (NFE).
package fm
