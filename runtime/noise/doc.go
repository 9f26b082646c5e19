// Package noise widens a training pair's path x_t into a Gaussian
// probability path N(μ_t, s(t)² I) around it, and gives the conditional
// velocity that generates that path, the regression target of flow
// matching with noise.
//
// Two schedules s(t):
//
//   - Constant: s(t) = σ. The path's points are μ_t + σε and the target is
//     the path's velocity μ̇_t unchanged (ṡ = 0) — lagc's default and
//     torchcfm's ConditionalFlowMatcher / ExactOptimalTransport… matchers.
//   - Bridge: s(t) = σ√(t(1−t)), zero at both ends: the marginals of a
//     Brownian bridge of variance σ² per unit time.
//
// The target of a schedule is
//
//	u_t = μ̇_t + (ṡ/s)(x_t − μ_t),   for the bridge ṡ/s = (1 − 2t) / (2t(1 − t)),
//
// the velocity whose flow carries N(μ_t, s²I) along, for any mean path μ_t
// (Lipman et al. 2023, Theorem 3). With straight paths
// μ_t = (1−t)x₀ + t x₁ the bridge's is torchcfm's
// SchrodingerBridgeConditionalFlowMatcher target
// (1−2t)/(2t(1−t))·(x_t − μ_t) + (x₁ − x₀); paired by the entropic plan with
// ε = σ² on c_L = ½|x₁−x₀|² (runtime/coupling) it is SB-CFM.
//
// For a Lagrangian with a potential or a non-Euclidean metric the same
// formula holds with μ_t its least-action path, so the learned flow still
// transports source to target; but the Schrödinger bridge of such a
// Lagrangian (a diffusion conditioned on its endpoints with the
// Lagrangian's drift) is not Gaussian around μ_t, so that case is
// "Gaussian noise around least-action paths", not an exact bridge.
//
// Since x_t − μ_t = s(t)ε, the noise term of the target is ṡ(t)ε; it is
// computed in that form, which stays finite for t in (0, 1). Its variance
// grows like σ²/(4t) near the ends (as in torchcfm); at t = 0 or 1 exactly
// the bridge has no noise and the target is μ̇_t.
package noise
