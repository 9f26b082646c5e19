// Package ode integrates systems of ordinary differential equations
// y' = f(t, y) over flat state vectors.
//
// It offers fixed-step explicit Runge–Kutta methods (Euler, the explicit
// midpoint rule, classical RK4 and the eighth-order formula of DOP853) through
// Fixed, and the adaptive Dormand–Prince 5(4) pair with error control and
// dense output through DormandPrince.
//
// Both keep their work buffers between calls, so repeated solves (path
// solving, sampling a learned velocity field) do not allocate. They are not
// safe for concurrent use; give each goroutine its own.
package ode
