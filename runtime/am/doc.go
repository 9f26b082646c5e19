// Package am is Action Matching: it learns a scalar potential s_θ(x, t)
// whose gradient field ẋ = ∇ₓs moves a whole given sequence of
// distributions p_t, known only through samples, by minimising
//
//	E_{p0}[s(x, 0)] - E_{p1}[s(x, 1)] + E_{t~U(0,1), x~p_t}[½|∇ₓs|² + ∂ₜs].
//
// The sequence p_t is any interpolation lagc can make: the least-action
// paths of a Lagrangian between pairs coupled independently or by
// minibatch optimal transport, drawn with runtime/fm's machinery
// (Trainer.NewBatch and Targets). Among all fields that move p_t, AM finds
// the unique gradient one, which is the kinetic-energy-minimising one.
//
// The network is an nn.MLP with inputs (x, t) and one output. The loss's
// input derivatives come from one BackwardInput per batch (∇ₓs and ∂ₜs
// together), its value from them, and its parameter gradient from
// JVPBackward with the direction u = (∇ₓs, 1) held fixed: the parameter
// gradient of ½|∇ₓs|² + ∂ₜs equals that of ∇s·u at fixed u.
//
// Sampling integrates ẋ = ∇ₓs(x, t) from t = 0 to 1.
package am
