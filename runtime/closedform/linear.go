package closedform

import (
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/dense"
	"gonum.org/v1/gonum/mat"
)

// Linear is the solution of ẍ = A x + B ẋ + c with general d×d matrices
// A and B, through the exponential of the first-order system on the state
// (x, v, 1):
//
//	z' = Z z,   Z = [[0, I, 0], [A, B, c], [0, 0, 0]].
//
// With Φ(t) = exp(tZ), the initial velocity v0 solves
// Φxv(1) v0 = x1 − Φxx(1) x0 − Φx1(1), factorised once at construction.
//
// Path keeps work buffers, so a Linear is not safe for concurrent use; Clone
// it per goroutine.
type Linear struct {
	d, n int
	z    []float64 // Z, n×n with n = 2d+1
	phi1 []float64 // Φ(1)
	lu   dense.LU  // of Φxv(1), read-only after construction
	err  error
	// Work buffers of Path.
	phi, pow, tmp []float64
	rhs, state    []float64
}

// NewLinear returns the solution of ẍ = A x + B ẋ + c in dimension d; a
// and b are row-major d×d (nil for zero), c has length d (nil for zero). It
// returns an error only for invalid input; a conjugate point is reported by
// Err, Path and Action.
func NewLinear(d int, a, b, c []float64) (*Linear, error) {
	switch {
	case d < 1:
		return nil, fmt.Errorf("closedform: dimension %d; it must be at least 1", d)
	case a != nil && len(a) != d*d, b != nil && len(b) != d*d:
		return nil, fmt.Errorf("closedform: A and B must be d×d = %d values, have %d and %d", d*d, len(a), len(b))
	case c != nil && len(c) != d:
		return nil, fmt.Errorf("closedform: c has %d components, want d = %d", len(c), d)
	case !allFinite(a) || !allFinite(b) || !allFinite(c):
		return nil, fmt.Errorf("closedform: A, B and c must be finite")
	}
	n := 2*d + 1
	l := &Linear{d: d, n: n, z: make([]float64, n*n)}
	for i := 0; i < d; i++ {
		l.z[i*n+d+i] = 1
		for j := 0; j < d; j++ {
			if a != nil {
				l.z[(d+i)*n+j] = a[i*d+j]
			}
			if b != nil {
				l.z[(d+i)*n+d+j] = b[i*d+j]
			}
		}
		if c != nil {
			l.z[(d+i)*n+2*d] = c[i]
		}
	}
	var e mat.Dense
	e.Exp(mat.NewDense(n, n, l.z))
	l.phi1 = e.RawMatrix().Data
	if e.RawMatrix().Stride != n {
		l.phi1 = mat.DenseCopyOf(&e).RawMatrix().Data
	}
	l.phi, l.pow, l.tmp = make([]float64, n*n), make([]float64, n*n), make([]float64, n*n)
	l.rhs, l.state = make([]float64, d), make([]float64, n)
	if !allFinite(l.phi1) {
		l.err = fmt.Errorf("x'' = A x + B ẋ + c: the matrix exponential exp(Z) overflows (‖Z‖₁ = %.3g): the coefficients are too large for the matrix closed form; rescale time or the coefficients so that they are of order 100 or less", norm1(l.z, n))
		return l, nil
	}
	phixv := make([]float64, d*d)
	for i := 0; i < d; i++ {
		copy(phixv[i*d:(i+1)*d], l.phi1[i*n+d:i*n+2*d])
	}
	if tc, ok := l.conjugatePoint(); ok {
		l.err = fmt.Errorf("x'' = A x + B ẋ + c has a conjugate point at t = %.6g: the path between x0 and x1 is stationary but not a least-action path (Φxv(t), the response of x(t) to the initial velocity, is singular there); weaken the coefficients so that the first conjugate point lies beyond t = 1", tc)
		return l, nil
	}
	if l.lu.Factorize(phixv, d) < 1e-13 {
		l.err = fmt.Errorf("x'' = A x + B ẋ + c: Φxv(1) is singular: the endpoints do not determine the path (a conjugate point at t = 1)")
	}
	return l, nil
}

// Dim is the dimension d.
func (l *Linear) Dim() int { return l.d }

// Err is the conjugate-point error, nil when every path is a least-action
// path.
func (l *Linear) Err() error { return l.err }

// Clone returns a Linear with its own work buffers.
func (l *Linear) Clone() *Linear {
	c := *l
	n := l.n
	c.phi, c.pow, c.tmp = make([]float64, n*n), make([]float64, n*n), make([]float64, n*n)
	c.rhs, c.state = make([]float64, l.d), make([]float64, n)
	return &c
}

// Path writes the position xt and velocity vt (vt may be nil) at time t of
// the path with x(0) = x0 and x(1) = x1. It does not allocate.
func (l *Linear) Path(xt, vt []float64, t float64, x0, x1 []float64) error {
	if l.err != nil {
		return l.err
	}
	d, n := l.d, l.n
	if err := checkPath(d, xt, vt, x0, x1); err != nil {
		return err
	}
	// v0 = Φxv(1)⁻¹ (x1 − Φxx(1) x0 − Φx1(1)).
	for i := 0; i < d; i++ {
		s := x1[i] - l.phi1[i*n+2*d]
		for j := 0; j < d; j++ {
			s -= l.phi1[i*n+j] * x0[j]
		}
		l.rhs[i] = s
	}
	l.lu.Solve(l.rhs, l.rhs)
	copy(l.state[:d], x0)
	copy(l.state[d:2*d], l.rhs)
	l.state[2*d] = 1
	var phi []float64
	switch t {
	case 1:
		phi = l.phi1
	case 0:
		copy(xt[:d], x0)
		if vt != nil {
			copy(vt[:d], l.rhs)
			return checkFinitePath(t, xt[:d], vt[:d])
		}
		return nil
	default:
		expm(l.phi, l.z, t, n, l.pow, l.tmp)
		phi = l.phi
	}
	for i := 0; i < 2*d; i++ {
		var s float64
		for j := 0; j < n; j++ {
			s += phi[i*n+j] * l.state[j]
		}
		switch {
		case i < d:
			xt[i] = s
		case vt != nil:
			vt[i-d] = s
		}
	}
	if vt != nil {
		vt = vt[:d]
	}
	return checkFinitePath(t, xt[:d], vt)
}

// conjugatePoint looks for the first t in (0, 1] where Φxv(t) is singular,
// through D(t) = det Φxv(t)/t^d, which is 1 at t = 0⁺. A zero of odd
// multiplicity shows as a sign change on the grid; one of even multiplicity
// (two axes reaching it together) as a local minimum of |D| near zero,
// refined by golden-section search.
func (l *Linear) conjugatePoint() (float64, bool) {
	const steps = 256
	d := l.d
	m := make([]float64, d*d)
	var lu dense.LU
	phi, pow, tmp := make([]float64, l.n*l.n), make([]float64, l.n*l.n), make([]float64, l.n*l.n)
	det := func(t float64) float64 {
		expm(phi, l.z, t, l.n, pow, tmp)
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				m[i*d+j] = phi[i*l.n+d+j] / t
			}
		}
		lu.Factorize(m, d)
		return lu.Det()
	}
	prev2, prev := 1.0, 1.0
	for k := 1; k <= steps; k++ {
		t := float64(k) / steps
		D := det(t)
		if D <= 0 || math.Abs(D) < 1e-10 {
			if D < 0 && prev > 0 {
				return bisect(det, t-1.0/steps, t), true
			}
			return t, true
		}
		if k >= 2 && prev < prev2 && prev < D {
			tm, dm := goldenMin(det, t-2.0/steps, t)
			if dm < 1e-9 {
				return tm, true
			}
		}
		prev2, prev = prev, D
	}
	return 0, false
}

func bisect(f func(float64) float64, a, b float64) float64 {
	for i := 0; i < 60; i++ {
		m := (a + b) / 2
		if f(m) > 0 {
			a = m
		} else {
			b = m
		}
	}
	return (a + b) / 2
}

func goldenMin(f func(float64) float64, a, b float64) (float64, float64) {
	g := (math.Sqrt(5) - 1) / 2
	c, e := b-g*(b-a), a+g*(b-a)
	fc, fe := f(c), f(e)
	for i := 0; i < 80 && b-a > 1e-13; i++ {
		if fc < fe {
			b, e, fe = e, c, fc
			c = b - g*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, e, fe
			e = a + g*(b-a)
			fe = f(e)
		}
	}
	if fc < fe {
		return c, math.Abs(fc)
	}
	return e, math.Abs(fe)
}

// norm1 returns the 1-norm (largest column sum of magnitudes) of the n×n z.
func norm1(z []float64, n int) float64 {
	var norm float64
	for j := 0; j < n; j++ {
		var s float64
		for i := 0; i < n; i++ {
			s += math.Abs(z[i*n+j])
		}
		norm = math.Max(norm, s)
	}
	return norm
}

// expm writes exp(t·z) into dst (n×n) by scaling and squaring of the
// Taylor series, in the work buffers pow and tmp; it does not allocate.
func expm(dst, z []float64, t float64, n int, pow, tmp []float64) {
	norm := norm1(z, n) // of t·z once scaled below
	// The number of squarings depends on z alone for |t| ≤ 1, so that
	// exp(t·z) rounds smoothly in t: paths are differentiated numerically.
	norm *= math.Max(1, math.Abs(t))
	sq := 0
	scale := t
	for norm > 0.25 {
		norm /= 2
		scale /= 2
		sq++
	}
	// dst = Σ_k (scale·z)^k/k! to k = 13: the remainder, about 0.25^14/14!,
	// is far below rounding.
	for i := range dst[:n*n] {
		dst[i], pow[i] = 0, 0
	}
	for i := 0; i < n; i++ {
		dst[i*n+i], pow[i*n+i] = 1, 1
	}
	for k := 1; k <= 13; k++ {
		matMul(tmp, pow, z, n)
		f := scale / float64(k)
		for i := range pow[:n*n] {
			pow[i] = tmp[i] * f
			dst[i] += pow[i]
		}
	}
	for ; sq > 0; sq-- {
		matMul(tmp, dst, dst, n)
		copy(dst[:n*n], tmp)
	}
}

func matMul(dst, a, b []float64, n int) {
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for k := 0; k < n; k++ {
				s += a[i*n+k] * b[k*n+j]
			}
			dst[i*n+j] = s
		}
	}
}
