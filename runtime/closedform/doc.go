// Package closedform solves the two-point boundary-value problem of linear
// Euler–Lagrange equations with constant coefficients exactly:
//
//	x'' = A x + B ẋ + c,   x(0) = x0,   x(1) = x1.
//
// Isotropic covers A = α·I and B = β·I, where every axis obeys the same
// scalar equation: the straight line (kinetic energy only), the harmonic
// oscillator (sin), the inverted oscillator (sinh), the constant force
// (a parabola) and the damped oscillator. Linear covers general matrices A
// and B (magnetic fields, anisotropic frequencies) through the exponential
// of the first-order system, computed once per parameter set.
//
// A stationary path is a least-action path only while no conjugate point
// lies in (0, 1]: the harmonic oscillator with ω ≥ π, for instance, has
// paths through x0 and x1 that are stationary but not minimal. Constructors
// accept such systems (their accelerations are still well defined), and
// Path and the action functions report the conjugate point as an error
// instead of returning a meaningless "least" action.
//
// The action ∫₀¹ L dt of a path is exact where a formula exists
// (Isotropic.CanonicalAction, for L = ½|v|² + ½α|x|² + c·x) and otherwise
// Gauss–Legendre quadrature of L along the exact path (Action), exact to
// rounding for the smooth integrands these paths give; Solution.Action
// grades the quadrature mesh toward the ends where large ω or β give the
// path boundary layers.
//
// Paths and actions stay finite wherever the mathematics is: the hyperbolic
// weights are computed as scaled ratios (sinh(ωa)/sinh ω without forming
// either, which overflow beyond ω ≈ 710), and a result that truly leaves
// float64 — endpoints near 1e308, damping beyond e^{709}, a matrix
// exponential that overflows — is an error naming the cause, never NaN or
// ±Inf.
package closedform
