// Package eulerlag derives the Euler–Lagrange equations of a Lagrangian
// L(x, v, t) and evaluates them.
//
// From L it derives, symbolically and for every dimension at once, the
// momentum p = ∂L/∂v, the force f = ∂L/∂x, the mass matrix M = ∂²L/∂v²
// (as the product M·w) and the acceleration
//
//	a = M⁻¹ (f − (∂p/∂x)·v − ∂p/∂t).
//
// When M is structurally m·I — every Lagrangian of the form ½m|v|² − U(x, t),
// and many more — the division is symbolic and evaluation costs O(d) per
// point. Otherwise M is assembled from d products M·e_j and factorised by
// runtime/dense's Cholesky at each point; a singular or indefinite M is reported as an
// error naming the point, never returned as NaN silently.
//
// Evaluator implements lagrangian.System, the interface the runtime consumes.
package eulerlag
