package closedform

import (
	"fmt"
	"math"
)

// Kind names the shape of a closed-form path.
type Kind int

const (
	Straight      Kind = iota // x'' = 0: the straight line
	ConstantForce             // x'' = c: a parabola
	Harmonic                  // x'' = −ω² x: sin
	Inverted                  // x'' = +ω² x: sinh
	Damped                    // x'' = α x + β ẋ + c, the other isotropic cases
	Matrix                    // x'' = A x + B ẋ + c: matrix exponential
)

var kindNames = [...]string{"straight line", "constant force", "harmonic", "inverted harmonic", "isotropic linear", "linear (matrix exponential)"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Isotropic is the solution of ẍ = α x + β ẋ + c, the same scalar
// equation on every axis, so that
//
//	x(t) = p(t) x0 + q(t) x1 + r(t) c
//
// with scalar weights p, q, r (Weights). Its methods do not allocate and
// an Isotropic is safe for concurrent use.
type Isotropic struct {
	d           int
	alpha, beta float64
	c           []float64
	kind        Kind
	// kappa = α + β²/4: with x = e^{βt/2} y the equation becomes y'' = κ y,
	// solved by sin(ωt) (κ < 0), sinh(ωt) (κ > 0) or t (κ = 0), ω = √|κ|.
	kappa, omega float64
	s1           float64 // s(1), the denominator of p and q when κ ≤ 0
	em1          float64 // expm1(−2ω), the scaled denominator when κ > 0
	err          error
	// canon holds what CanonicalAction needs beyond the endpoints, fixed by
	// α, β and c: the boundary velocity weights and ∫p dt, ∫r dt. Computing
	// them once keeps a cost matrix free of transcendental calls.
	canon struct{ dp0, dq0, dr0, dp1, dq1, dr1, ip, ir float64 }
}

// NewIsotropic returns the solution of ẍ = α x + β ẋ + c in dimension d.
// c may be nil for c = 0. It returns an error only for invalid input; a
// conjugate point is reported by Err, Path and the action functions.
func NewIsotropic(d int, alpha, beta float64, c []float64) (*Isotropic, error) {
	if d < 1 {
		return nil, fmt.Errorf("closedform: dimension %d; it must be at least 1", d)
	}
	if c != nil && len(c) != d {
		return nil, fmt.Errorf("closedform: c has %d components, want d = %d", len(c), d)
	}
	if !isFinite(alpha) || !isFinite(beta) || !allFinite(c) {
		return nil, fmt.Errorf("closedform: α = %g, β = %g, c = %v must be finite", alpha, beta, c)
	}
	s := &Isotropic{d: d, alpha: alpha, beta: beta}
	for _, ci := range c {
		if ci != 0 {
			s.c = append([]float64(nil), c...)
			break
		}
	}
	s.kappa = alpha + beta*beta/4
	s.omega = math.Sqrt(math.Abs(s.kappa))
	switch {
	case beta != 0 || (alpha != 0 && s.c != nil):
		s.kind = Damped
	case alpha == 0 && s.c == nil:
		s.kind = Straight
	case alpha == 0:
		s.kind = ConstantForce
	case alpha < 0:
		s.kind = Harmonic
	default:
		s.kind = Inverted
	}
	if !isFinite(s.kappa) {
		// α + β²/4 overflows only for |β| > 1e154: no float64 path exists.
		s.err = fmt.Errorf("x'' = %g·x + %g·x' has coefficients too large for float64 arithmetic (α + β²/4 overflows); rescale time or the coefficients", alpha, beta)
		return s, nil
	}
	s.s1, _ = s.sc(1)
	s.em1 = math.Expm1(-2 * s.omega)
	s.setCanon()
	if s.kappa < 0 && s.omega >= math.Pi {
		t := math.Pi / s.omega
		if s.kind == Harmonic {
			s.err = fmt.Errorf("harmonic with ω = %v ≥ π: the path between x0 and x1 is stationary but not a least-action path (a conjugate point at t = π/ω = %.6g); use ω < π", s.omega, t)
		} else {
			s.err = fmt.Errorf("x'' = %g·x + %g·x' oscillates with ω = √(−α − β²/4) = %v ≥ π: the path between x0 and x1 is stationary but not a least-action path (a conjugate point at t = π/ω = %.6g); use ω < π", alpha, beta, s.omega, t)
		}
	}
	return s, nil
}

// setCanon computes the constants of CanonicalAction.
func (s *Isotropic) setCanon() {
	k := &s.canon
	_, _, _, k.dp0, k.dq0, k.dr0 = s.Weights(0)
	_, _, _, k.dp1, k.dq1, k.dr1 = s.Weights(1)
	// ip = ∫₀¹ p dt = ∫₀¹ q dt = ∫₀¹ s(t) dt / s(1); ir = ∫₀¹ r dt.
	switch {
	case s.kappa < 0:
		k.ip = (1 - math.Cos(s.omega)) / (s.omega * s.s1)
	case s.kappa > 0:
		// (cosh ω − 1)/(ω sinh ω), which overflows for ω > 710 as written.
		k.ip = math.Tanh(s.omega/2) / s.omega
	default:
		k.ip = 0.5
	}
	if s.alpha != 0 {
		k.ir = (2*k.ip - 1) / s.alpha
	} else {
		k.ir = -1.0 / 12
	}
}

// sc returns the basis solution s of ÿ = κ y with s(0) = 0
// with s'(0) = ω (1 when κ = 0), and its derivative, for κ ≤ 0; κ > 0 takes
// the scaled forms of hyperbolic.
func (s *Isotropic) sc(t float64) (sv, dv float64) {
	if s.kappa < 0 {
		si, co := math.Sincos(s.omega * t)
		return si, s.omega * co
	}
	return t, 1
}

// hyperbolic returns, for κ > 0 and a in [0, 1], the ratio
// sinh(ωa)/sinh(ω) divided by e^{ω(a−1)} and the factor e^{−2ωa}:
//
//	S(a) = expm1(−2ωa)/expm1(−2ω),   E(a) = e^{−2ωa}.
//
// Both lie in [0, 1], so that the growth e^{ω(a−1)} can be combined with
// the damping factor before it is evaluated: sinh and cosh themselves
// overflow for ω > 710, where the paths are still finite.
func (s *Isotropic) hyperbolic(a float64) (S, E float64) {
	// One transcendental call: E = 1 + expm1(x) is accurate while E is not
	// small (x > −1), expm1(x) = E − 1 while it is not near 0 (x ≤ −1).
	x := -2 * s.omega * a
	var m1 float64
	if x > -1 {
		m1 = math.Expm1(x)
		E = 1 + m1
	} else {
		E = math.Exp(x)
		m1 = E - 1
	}
	return m1 / s.em1, E
}

// Dim is the dimension d.
func (s *Isotropic) Dim() int { return s.d }

// Kind is the shape of the paths.
func (s *Isotropic) Kind() Kind { return s.kind }

// Omega is the frequency ω = √|α + β²/4| (0 for the straight line).
func (s *Isotropic) Omega() float64 { return s.omega }

// Coefficients returns α and β of ẍ = α x + β ẋ + c.
func (s *Isotropic) Coefficients() (alpha, beta float64) { return s.alpha, s.beta }

// Err is the conjugate-point error, nil when every path is a least-action
// path.
func (s *Isotropic) Err() error { return s.err }

// Weights returns the scalars of x(t) = p x0 + q x1 + r c and of its
// velocity x'(t) = dp x0 + dq x1 + dr c. They are finite wherever the
// mathematics is: for κ > 0 through scaled ratios of sinh and cosh that do
// not overflow for large ω; a weight is ±Inf only where it truly exceeds
// float64 (strong damping, e^{βt/2} beyond 1e308).
func (s *Isotropic) Weights(t float64) (p, q, r, dp, dq, dr float64) {
	h := s.beta / 2
	if s.kappa > 0 {
		// p = e^{ht} sinh(ω(1−t))/sinh ω = e^{(h−ω)t} S(1−t), and likewise
		// q. In the velocities, h sinh(ωa) ∓ ω cosh(ωa) is collected over
		// e^{−2ωa} so that h = ±ω (pure damping) cancels exactly.
		w := s.omega
		sa, ea2 := s.hyperbolic(1 - t)
		sb, eb2 := s.hyperbolic(t)
		ea, eb := math.Exp((h-w)*t), math.Exp(-(h+w)*(1-t))
		p, dp = ea*sa, ea*((h+w)*ea2+(w-h))/s.em1
		q, dq = eb*sb, eb*((h-w)*eb2-(h+w))/s.em1
	} else {
		sa, da := s.sc(1 - t)
		sb, db := s.sc(t)
		ea, eb := 1.0, 1.0
		if h != 0 {
			ea, eb = math.Exp(h*t), math.Exp(-h*(1-t))
		}
		p = ea * sa / s.s1
		dp = ea * (h*sa - da) / s.s1
		q = eb * sb / s.s1
		dq = eb * (h*sb + db) / s.s1
	}
	// r solves r'' = α r + β r' + 1 with r(0) = r(1) = 0.
	switch {
	case s.alpha != 0:
		r, dr = (p+q-1)/s.alpha, (dp+dq)/s.alpha
	case s.beta != 0:
		r, dr = (q-t)/s.beta, (dq-1)/s.beta
	default:
		r, dr = -t*(1-t)/2, t-0.5
	}
	return p, q, r, dp, dq, dr
}

// Path writes the position xt and velocity vt at time t of the path with
// x(0) = x0 and x(1) = x1. It returns Err() when that path is not a
// least-action path. vt may be nil.
func (s *Isotropic) Path(xt, vt []float64, t float64, x0, x1 []float64) error {
	if s.err != nil {
		return s.err
	}
	if err := checkPath(s.d, xt, vt, x0, x1); err != nil {
		return err
	}
	p, q, r, dp, dq, dr := s.Weights(t)
	x0, x1, xt = x0[:s.d], x1[:s.d], xt[:s.d]
	if s.c == nil {
		for i := range xt {
			xt[i] = p*x0[i] + q*x1[i]
		}
		if vt != nil {
			vt = vt[:s.d]
			for i := range vt {
				vt[i] = dp*x0[i] + dq*x1[i]
			}
		}
		return checkFinitePath(t, xt, vt)
	}
	c := s.c[:s.d]
	for i := range xt {
		xt[i] = p*x0[i] + q*x1[i] + r*c[i]
	}
	if vt != nil {
		vt = vt[:s.d]
		for i := range vt {
			vt[i] = dp*x0[i] + dq*x1[i] + dr*c[i]
		}
	}
	return checkFinitePath(t, xt, vt)
}

// checkFinitePath is the error for a path that leaves float64, naming the
// position or the velocity; nil when both are finite.
func checkFinitePath(t float64, xt, vt []float64) error {
	if !allFinite(xt) {
		return fmt.Errorf("closedform: the position x(%g) overflows float64 (the endpoints or the coefficients are too large; rescale them)", t)
	}
	if !allFinite(vt) {
		return fmt.Errorf("closedform: the velocity x'(%g) overflows float64 (the endpoints or the coefficients are too large; rescale them)", t)
	}
	return nil
}

// CanonicalAction returns the action ∫₀¹ L dt of the path for the
// Lagrangian L = ½|v|² + ½α|x|² + c·x, whose Euler–Lagrange equation is
// ẍ = α x + c. It needs β = 0; callers with any other Lagrangian use
// Action.
//
// Integrating ½|v|² by parts along the path gives
// S = ½(x1·v1 − x0·v0) + ½ c·∫₀¹ x dt, and ∫₀¹ x dt has weights of its own.
// For the harmonic oscillator this is S = ω/(2 sin ω)·((|x0|²+|x1|²) cos ω − 2 x0·x1).
func (s *Isotropic) CanonicalAction(x0, x1 []float64) (float64, error) {
	if s.beta != 0 {
		return 0, fmt.Errorf("closedform: CanonicalAction needs β = 0, have β = %g; use Action", s.beta)
	}
	if s.err != nil {
		return 0, s.err
	}
	if len(x0) != s.d || len(x1) != s.d {
		return 0, fmt.Errorf("closedform: x0 and x1 have %d and %d components, want %d", len(x0), len(x1), s.d)
	}
	k := &s.canon
	dp0, dq0, dr0, dp1, dq1, dr1, ip, ir := k.dp0, k.dq0, k.dr0, k.dp1, k.dq1, k.dr1, k.ip, k.ir
	var act float64
	for i := 0; i < s.d; i++ {
		var ci float64
		if s.c != nil {
			ci = s.c[i]
		}
		v0 := dp0*x0[i] + dq0*x1[i] + dr0*ci
		v1 := dp1*x0[i] + dq1*x1[i] + dr1*ci
		act += 0.5*(x1[i]*v1-x0[i]*v0) + 0.5*ci*(ip*(x0[i]+x1[i])+ir*ci)
	}
	if !isFinite(act) {
		return 0, fmt.Errorf("closedform: the action from %v to %v overflows float64 (the endpoints or the coefficients are too large; rescale them)", x0, x1)
	}
	return act, nil
}

func checkPath(d int, xt, vt, x0, x1 []float64) error {
	if len(xt) < d || (vt != nil && len(vt) < d) || len(x0) != d || len(x1) != d {
		return fmt.Errorf("closedform: Path needs x0, x1 of length %d and xt, vt of at least %d; have %d, %d, %d, %d", d, d, len(x0), len(x1), len(xt), len(vt))
	}
	return nil
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// allFinite reports whether every x[i] is finite: x−x is 0 for finite x
// and NaN for ±Inf and NaN. A compare per value, with no dependency
// between them, keeps the check cheap on Path's hot path.
func allFinite(x []float64) bool {
	for _, xi := range x {
		if xi-xi != 0 {
			return false
		}
	}
	return true
}
