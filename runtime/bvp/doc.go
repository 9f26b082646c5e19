// Package bvp finds least-action paths: for a Lagrangian L(x, v, t) and
// endpoints x0, x1 it solves the two-point boundary-value problem
//
//	d/dt ∂L/∂v = ∂L/∂x,  x(0) = x0,  x(1) = x1,
//
// and returns the path x(t), its velocity and its action c_L(x0, x1) = ∫₀¹ L dt,
// the transport cost of Lagrangian flow matching.
//
// Systems with a closed form (lagrangian.ClosedForm) are answered exactly.
// Otherwise Solve shoots on the initial velocity with Newton's method, the
// Jacobian coming from the variational equations integrated alongside the
// path, starting from the straight line v(0) = x1 − x0, with a backtracking
// line search on the boundary residual. When single shooting fails (strong
// potentials, long paths) it falls back to multiple shooting: several
// segments whose starting states are solved for together.
//
// Integration uses the eighth-order DOP853 formula at fixed steps on the
// Chebyshev–Lobatto points of [0, 1], refined until DOP853's embedded error
// estimate is below the tolerance. The states at those points define the
// path at any t by barycentric Chebyshev interpolation (spectrally accurate
// for smooth paths) and the action by Clenshaw–Curtis quadrature.
//
// A Solver keeps all work buffers, so repeated solves do not allocate;
// SolveBatch and CostMatrix spread many solves over all cores.
package bvp
