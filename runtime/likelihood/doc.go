// Package likelihood computes the exact log-likelihood of points under a
// continuous normalising flow: a velocity field v(x, t) that carries a
// standard normal source at t = 0 to the model's distribution at t = 1.
//
// By the instantaneous change of variables, along a trajectory x_t of the
// flow d/dt log p_t(x_t) = −div v(x_t, t), so
//
//	log p₁(x₁) = log p₀(x₀) − ∫₀¹ div v(x_t, t) dt,
//
// where x₀ is found by integrating the flow backwards from x₁. NLL solves
// that backward problem for a whole batch at once with the adaptive
// Dormand–Prince 5(4) integrator of runtime/ode, the running divergence
// integral carried as extra state components so its error is controlled
// together with the trajectory's.
//
// The divergence is exact — the trace of the Jacobian ∂v/∂x from d
// forward-mode passes (directional derivatives along the d coordinate
// axes) — up to Settings.MaxExactDim (default 16). Above it, Hutchinson's
// estimator div v ≈ εᵀ(∂v/∂x)ε with Rademacher probes ε replaces it: each
// point gets Settings.Probes independent probes, fixed along its trajectory
// (as in FFJORD), each giving an unbiased estimate of the point's
// log-likelihood; their spread gives the standard error Result.ProbeStdErr
// of the reported mean.
//
// Units: nats, and bits per dimension bpd = NLL/(d·ln 2) — the continuous
// density's bits, with no dequantisation offset. When a model was trained
// on standardised data (each coordinate divided by its standard deviation
// s_j), the NLL is that of the standardised points; the NLL of the original
// points is larger by Σ_j ln s_j (Settings.Offset adds such a constant to
// every point's NLL).
package likelihood
