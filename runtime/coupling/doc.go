// Package coupling draws the training pairs of a minibatch from an
// entropic optimal-transport plan, the coupling of torchcfm's SB-CFM and of
// its OT-CFM with method="sinkhorn".
//
// Given an n×m cost matrix C (for lagc, the least action c_L of every
// source–target pair), Entropic.Pairs solves the entropy-regularised
// problem min Σ P_ij C_ij + ε KL(P | a⊗b) with uniform marginals by
// runtime/ot's stabilised Sinkhorn and draws k index pairs (i, j) from the
// flattened plan P/ΣP, as torchcfm's OTPlanSampler.sample_plan does:
//
//   - with replacement (torchcfm's default, replace=True): k independent
//     draws; a pair may come twice;
//   - without replacement (replace=False): k distinct cells of the plan,
//     drawn one after another with probability proportional to the plan
//     among the cells left (numpy's choice(replace=False), here by
//     Efraimidis–Spirakis keys u^(1/P_ij)). Rows and columns may still
//     repeat: it is the cells that are distinct.
//
// ε is in the units of the cost. As ε → 0 the plan tends to an optimal
// assignment and every drawn pair is an optimal one; as ε → ∞ it tends to
// the product of the marginals and the pairs become independent. The
// Schrödinger bridge with Brownian reference of variance σ² per unit time
// pairs its endpoints by the entropic plan of the cost ½|x₁ − x₀|² with
// ε = σ² — for the kinetic Lagrangian c_L is that cost, so ε = σ² gives
// torchcfm's SB-CFM, whose ε = 2σ² goes with the cost |x₁ − x₀|².
package coupling
