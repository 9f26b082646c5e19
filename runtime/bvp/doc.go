// Package bvp finds least-action paths: for a Lagrangian L(x, v, t) and
// endpoints x0, x1 it solves the two-point boundary-value problem
//
//	d/dt ∂L/∂v = ∂L/∂x,  x(0) = x0,  x(1) = x1,
//
// and returns the path x(t), its velocity and its action
// c_L(x0, x1) = ∫₀¹ L dt, the transport cost of Lagrangian flow matching.
//
// Systems with a closed form (lagrangian.ClosedForm) are answered by it.
// Otherwise Solve tries, cheapest first:
//
//   - Collocation: Chebyshev spectral collocation in Green's-function form.
//     The unknowns are the accelerations at the Chebyshev–Lobatto points;
//     the path they define meets both endpoints by construction. Newton's
//     method with a dense Jacobian runs on a coarse grid from the straight
//     line; a two-grid iteration then converges on a fine grid, which grows
//     until the Chebyshev coefficients of x and v say the path is accurate
//     to Tol. Typical cost: a few hundred evaluations of the acceleration.
//   - Shooting: Newton's method on the initial velocity, starting from
//     v(0) = x1 − x0, with the Jacobian from the variational equations
//     (from AccelJac, else directional finite differences of Accel) and a
//     backtracking line search, integrating with the eighth-order DOP853
//     formula on a Chebyshev grid refined until its embedded error estimate
//     is below Tol.
//   - MultipleShooting: the same on several segments whose starting states
//     are solved for together, for strong potentials and long paths where a
//     single shot amplifies errors beyond repair.
//
// Each path is represented by its states at Chebyshev–Lobatto points:
// barycentric interpolation gives x(t) and v(t) at any t with the accuracy
// of the solve, and Clenshaw–Curtis quadrature the action.
//
// A stationary path need not be a minimum. After every numeric solve the
// second variation of the action is projected on slowly varying directions
// (sin(mπt)·e_i, m ≤ 3; ∂²L/∂v² by differences of L) and must be positive
// definite, which rules out conjugate points of any multiplicity whose
// negative directions those modes capture.
//
// Failures are errors, never silently wrong paths: no convergence
// (ErrNoConvergence, with the residual), a conjugate point
// (ErrConjugatePoint: the stationary path is not unique or not a minimum),
// a degenerate Lagrangian (ErrDegenerate, with AccelErr's reason), or bad
// input.
//
// A Solver keeps all work buffers, so repeated solves do not allocate;
// SolveBatch and CostMatrix spread many solves over all cores.
package bvp
