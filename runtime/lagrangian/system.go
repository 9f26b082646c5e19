package lagrangian

// System is a compiled Lagrangian at a fixed dimension.
//
// Accel writes the Euler–Lagrange acceleration a = ẍ into dst (len Dim()).
// Where the Lagrangian is degenerate (singular or indefinite mass matrix
// ∂²L/∂v²) it writes NaN; callers check for it and call AccelErr to learn why.
type System interface {
	// Dim is the dimension d of x and v.
	Dim() int
	// L evaluates the Lagrangian.
	L(t float64, x, v []float64) float64
	// Accel writes the acceleration into dst. It does not allocate.
	Accel(dst []float64, t float64, x, v []float64)
	// Clone returns an independent System with its own work buffers,
	// for use on another goroutine.
	Clone() System
}

// AccelErrer is implemented by Systems that can say why Accel produced NaN
// (for instance "∂²L/∂v² is singular at t=…, x=…").
type AccelErrer interface {
	AccelErr(dst []float64, t float64, x, v []float64) error
}

// Jacobian is implemented by Systems that can give the derivatives of the
// acceleration, used by the variational equations of shooting methods.
// ax and av are d×d row-major: ax[i*d+j] = ∂a_i/∂x_j, av[i*d+j] = ∂a_i/∂v_j.
// Accel's value is also written into a. Without it, callers use finite
// differences.
type Jacobian interface {
	AccelJac(a, ax, av []float64, t float64, x, v []float64)
}

// ClosedForm is implemented by Systems whose two-point boundary-value problem
// has a closed-form solution (linear Euler–Lagrange equations with constant
// coefficients). The runtime prefers it over numeric solvers.
type ClosedForm interface {
	// Path writes the position xt and velocity vt at time t of the
	// least-action path with x(0)=x0, x(1)=x1.
	Path(xt, vt []float64, t float64, x0, x1 []float64) error
	// Action returns the least action ∫₀¹ L dt along that path, the
	// Lagrangian transport cost c_L(x0, x1). It returns an error when the
	// stationary path is not a minimum (a conjugate point lies in (0, 1]).
	Action(x0, x1 []float64) (float64, error)
}

// EuclideanCoupling is implemented by Systems whose least action is
//
//	c_L(x0, x1) = κ|x1 − x0|² + f(x0) + g(x1),  κ > 0,
//
// at their current parameters (kinetic, isotropic harmonic with ω < π,
// inverted, constant force). For them every optimal coupling of a minibatch
// is one of the squared Euclidean cost, since f and g add the same amount to
// every pairing: couplings then need no path solves.
type EuclideanCoupling interface {
	EuclideanCoupling() bool
}
