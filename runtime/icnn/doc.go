// Package icnn is an input-convex neural network Ψ: ℝᵈ → ℝ, the potential
// behind Optimal Flow Matching: its gradient ∇Ψ is an optimal-transport map
// (Brenier), and the fields it induces are the optimal vector fields.
//
// The network is
//
//	z₀ = σ(A₀x + b₀),  z_k = σ(W_k⁺ z_{k-1} + A_k x + b_k),
//	Ψ(x) = w⁺·z_{K-1} + a·x + ½|Lᵀx|² + ½α|x|²,
//
// with σ = softplus (convex and increasing), hidden-to-hidden and output
// weights W⁺ = softplus(W) made non-negative by reparametrisation, so Ψ is
// convex in x whatever the parameters; the quadratic ½|Lᵀx|² (L trainable,
// d×r) lets Ψ represent the quadratic potentials of Gaussian-to-Gaussian
// maps exactly, and ½α|x|² with α > 0 makes Ψ strongly convex, so the
// convex problems built on it have unique minimisers.
//
// Evaluation is per point, with a Workspace holding that point's
// activations: Grad gives Ψ and ∇Ψ, then Hessian gives ∇²Ψ in closed form
// (the network's only nonlinearities are scalar, so the Hessian is a sum of
// rank-one terms over hidden units), and ParamGrad gives the parameter
// gradient of cΨ + c'∇Ψ·u — the mixed derivative that implicit
// differentiation of the optimal fields needs. Batches are spread over
// goroutines by the caller, one Workspace each.
package icnn
