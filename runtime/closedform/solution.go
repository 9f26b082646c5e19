package closedform

import (
	"errors"
	"fmt"
	"math"
)

// Solution is the closed form of a Lagrangian whose Euler–Lagrange
// equation is linear with constant coefficients, built from the
// Lagrangian's own functions: the coefficients A, B and c are read off its
// acceleration (a = A x + B v + c, so c = a(0, 0), A e_j = a(e_j, 0) − c, …)
// and the action integrates its L along the exact path.
//
// It is what the interpreter and generated code share: both call New after
// establishing, symbolically, that the acceleration is linear with constant
// coefficients. A Solution keeps work buffers and is not safe for
// concurrent use.
type Solution struct {
	d         int
	iso       *Isotropic
	lin       *Linear
	l         func(t float64, x, v []float64) float64
	canonical bool    // L = ½|v|² + ½α|x|² + c·x, so CanonicalAction applies
	rate      float64 // the fastest exponential rate in L along a path, for the quadrature
	work      []float64
}

// New builds the closed form of the Lagrangian with acceleration accel and
// value L in dimension d. isotropic says that A = α·I and B = β·I for
// scalars α and β (known from the structure of the equations); otherwise A
// and B are general matrices. accel must be affine in (x, v) and free of t;
// New checks that by one extra evaluation and returns an error if not.
func New(d int, accel func(dst []float64, t float64, x, v []float64), L func(t float64, x, v []float64) float64, isotropic bool) (*Solution, error) {
	if d < 1 {
		return nil, fmt.Errorf("closedform: dimension %d; it must be at least 1", d)
	}
	if accel == nil || L == nil {
		return nil, errors.New("closedform: New needs both the acceleration and the Lagrangian")
	}
	x, v, a := make([]float64, d), make([]float64, d), make([]float64, d)
	c := make([]float64, d)
	accel(c, 0, x, v)
	A, B := make([]float64, d*d), make([]float64, d*d)
	for j := 0; j < d; j++ {
		x[j] = 1
		accel(a, 0, x, v)
		x[j] = 0
		for i := 0; i < d; i++ {
			A[i*d+j] = a[i] - c[i]
		}
		v[j] = 1
		accel(a, 0, x, v)
		v[j] = 0
		for i := 0; i < d; i++ {
			B[i*d+j] = a[i] - c[i]
		}
	}
	if !allFinite(c) || !allFinite(A) || !allFinite(B) {
		return nil, fmt.Errorf("closedform: the acceleration is not finite at x = v = 0 or at unit vectors (is the mass ∂²L/∂v² positive?)")
	}
	// An affine acceleration reproduces itself at another point and time.
	for i := range x {
		x[i], v[i] = 0.5+0.25*float64(i%3), -0.75+0.5*float64(i%2)
	}
	accel(a, 0.625, x, v)
	for i := 0; i < d; i++ {
		want := c[i]
		for j := 0; j < d; j++ {
			want += A[i*d+j]*x[j] + B[i*d+j]*v[j]
		}
		if !(math.Abs(a[i]-want) <= 1e-9*(1+math.Abs(want))) {
			return nil, fmt.Errorf("closedform: the acceleration is not of the form A x + B v + c with constant A, B, c (a[%d] = %g, the affine fit gives %g)", i, a[i], want)
		}
	}
	s := &Solution{d: d, l: L, work: make([]float64, 2*d)}
	var err error
	if isotropic {
		alpha, beta := A[0], B[0]
		s.iso, err = NewIsotropic(d, alpha, beta, c)
		if err == nil && beta == 0 {
			s.canonical = isCanonical(L, d, alpha, c, x, v)
		}
	} else {
		s.lin, err = NewLinear(d, A, B, c)
	}
	if err != nil {
		return nil, err
	}
	// Path weights vary at most like e^{(ω+|β|/2)t} (isotropic) or e^{‖Z‖t}
	// (matrix), L, quadratic in them, twice as fast.
	if s.iso != nil {
		s.rate = 2 * (s.iso.omega + math.Abs(s.iso.beta)/2)
	} else {
		s.rate = 2 * norm1(s.lin.z, s.lin.n)
	}
	return s, nil
}

// isCanonical reports whether L = ½|v|² + ½α|x|² + c·x at a few points and
// times, to rounding.
func isCanonical(L func(t float64, x, v []float64) float64, d int, alpha float64, c, x, v []float64) bool {
	for k := 0; k < 3; k++ {
		var want, scale float64
		for i := range x {
			x[i] = math.Sin(float64(3*i+k) + 0.5)
			v[i] = math.Cos(float64(5*i+2*k) + 0.25)
			want += 0.5*v[i]*v[i] + 0.5*alpha*x[i]*x[i] + c[i]*x[i]
			scale += 0.5*v[i]*v[i] + 0.5*math.Abs(alpha)*x[i]*x[i] + math.Abs(c[i]*x[i])
		}
		got := L(0.3+0.2*float64(k), x, v)
		if !(math.Abs(got-want) <= 1e-13*(1+scale)) {
			return false
		}
	}
	return true
}

// Dim is the dimension d.
func (s *Solution) Dim() int { return s.d }

// Kind is the shape of the paths.
func (s *Solution) Kind() Kind {
	if s.iso != nil {
		return s.iso.Kind()
	}
	return Matrix
}

// Isotropic returns the isotropic solution, or nil for a matrix one.
func (s *Solution) Isotropic() *Isotropic { return s.iso }

// Omega is the isotropic frequency (0 for a matrix solution).
func (s *Solution) Omega() float64 {
	if s.iso != nil {
		return s.iso.Omega()
	}
	return 0
}

// Err is the conjugate-point error, nil when every path is a least-action
// path.
func (s *Solution) Err() error {
	if s.iso != nil {
		return s.iso.Err()
	}
	return s.lin.Err()
}

// Path writes the position xt and velocity vt (vt may be nil) at time t of
// the least-action path with x(0) = x0 and x(1) = x1.
func (s *Solution) Path(xt, vt []float64, t float64, x0, x1 []float64) error {
	if s.iso != nil {
		return s.iso.Path(xt, vt, t, x0, x1)
	}
	return s.lin.Path(xt, vt, t, x0, x1)
}

// Action returns the least action ∫₀¹ L dt from x0 to x1: the closed
// formula when L is ½|v|² + ½α|x|² + c·x, else Gauss–Legendre quadrature
// of L along the exact path, on a mesh graded toward the ends when the
// path has boundary layers (ω or β beyond ~16).
func (s *Solution) Action(x0, x1 []float64) (float64, error) {
	if len(x0) != s.d || len(x1) != s.d {
		return 0, fmt.Errorf("closedform: x0 and x1 have %d and %d components, want %d", len(x0), len(x1), s.d)
	}
	if s.canonical {
		return s.iso.CanonicalAction(x0, x1)
	}
	return gradedAction(s, s.l, x0, x1, s.work, s.rate)
}

// Canonical reports whether Action uses the closed formula.
func (s *Solution) Canonical() bool { return s.canonical }
