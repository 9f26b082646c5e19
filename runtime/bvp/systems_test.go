package bvp

import (
	"errors"
	"math"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// Hand-written Systems for the tests. Each implements AccelJac; wrapping in
// noJac hides it so the finite-difference path is exercised too.

// harmonic is ½|v|² − ½ω²|x|²: a = −ω²x.
type harmonic struct {
	d int
	w float64
}

func (h harmonic) Dim() int { return h.d }
func (h harmonic) L(t float64, x, v []float64) float64 {
	var s float64
	for i := range x {
		s += 0.5*v[i]*v[i] - 0.5*h.w*h.w*x[i]*x[i]
	}
	return s
}
func (h harmonic) Accel(dst []float64, t float64, x, v []float64) {
	for i := range x {
		dst[i] = -h.w * h.w * x[i]
	}
}
func (h harmonic) AccelJac(a, ax, av []float64, t float64, x, v []float64) {
	h.Accel(a, t, x, v)
	for i := range ax {
		ax[i], av[i] = 0, 0
	}
	for i := 0; i < h.d; i++ {
		ax[i*h.d+i] = -h.w * h.w
	}
}
func (h harmonic) Clone() lagrangian.System { return h }

// exact is the closed form of harmonic (w > 0), kinetic (w = 0) and, with
// imaginary frequency, repulsive: it is the independent truth of the tests.
func (h harmonic) exact(xt, vt []float64, t float64, x0, x1 []float64) {
	for i := range x0 {
		if h.w == 0 {
			xt[i] = x0[i] + t*(x1[i]-x0[i])
			vt[i] = x1[i] - x0[i]
			continue
		}
		s := math.Sin(h.w)
		xt[i] = (math.Sin(h.w*(1-t))*x0[i] + math.Sin(h.w*t)*x1[i]) / s
		vt[i] = h.w * (-math.Cos(h.w*(1-t))*x0[i] + math.Cos(h.w*t)*x1[i]) / s
	}
}

// closedHarmonic adds lagrangian.ClosedForm to harmonic.
type closedHarmonic struct{ harmonic }

func (h closedHarmonic) Clone() lagrangian.System { return h }
func (h closedHarmonic) Path(xt, vt []float64, t float64, x0, x1 []float64) error {
	h.exact(xt, vt, t, x0, x1)
	return nil
}
func (h closedHarmonic) Action(x0, x1 []float64) (float64, error) {
	if h.w >= math.Pi {
		return 0, errors.New("ω ≥ π: conjugate point")
	}
	// S = ω/(2 sin ω)·[(|x0|²+|x1|²) cos ω − 2 x0·x1].
	var a, b float64
	for i := range x0 {
		a += x0[i]*x0[i] + x1[i]*x1[i]
		b += x0[i] * x1[i]
	}
	if h.w == 0 {
		var s float64
		for i := range x0 {
			s += (x1[i] - x0[i]) * (x1[i] - x0[i])
		}
		return s / 2, nil
	}
	return h.w / (2 * math.Sin(h.w)) * (a*math.Cos(h.w) - 2*b), nil
}

// repulsive is ½|v|² + ½λ²|x|²: a = λ²x, solutions grow like e^{λt}.
type repulsive struct {
	d   int
	lam float64
}

func (r repulsive) Dim() int { return r.d }
func (r repulsive) L(t float64, x, v []float64) float64 {
	var s float64
	for i := range x {
		s += 0.5*v[i]*v[i] + 0.5*r.lam*r.lam*x[i]*x[i]
	}
	return s
}
func (r repulsive) Accel(dst []float64, t float64, x, v []float64) {
	for i := range x {
		dst[i] = r.lam * r.lam * x[i]
	}
}
func (r repulsive) AccelJac(a, ax, av []float64, t float64, x, v []float64) {
	r.Accel(a, t, x, v)
	for i := range ax {
		ax[i], av[i] = 0, 0
	}
	for i := 0; i < r.d; i++ {
		ax[i*r.d+i] = r.lam * r.lam
	}
}
func (r repulsive) Clone() lagrangian.System { return r }
func (r repulsive) exact(xt, vt []float64, t float64, x0, x1 []float64) {
	s := math.Sinh(r.lam)
	for i := range x0 {
		xt[i] = (math.Sinh(r.lam*(1-t))*x0[i] + math.Sinh(r.lam*t)*x1[i]) / s
		vt[i] = r.lam * (-math.Cosh(r.lam*(1-t))*x0[i] + math.Cosh(r.lam*t)*x1[i]) / s
	}
}

// bump is ½|v|² + sign·A·exp(−|x−c|²/s²). With sign = +1 the Gaussian
// raises the cost of passing near c, an obstacle that least-action paths
// bend around; a = ∇(sign·A·e) = −sign·(2A/s²)(x−c)e. With sign = −1 it is
// a potential hill V = A·e in L = T − V, which paths cross head-on.
type bump struct {
	d       int
	amp, s2 float64 // A and s²
	sign    float64
	buf     []float64
}

func newBump(d int, sign float64) *bump {
	return &bump{d: d, amp: 2, s2: 1, sign: sign, buf: make([]float64, d)}
}

func (b *bump) Dim() int { return b.d }
func (b *bump) gauss(x []float64) float64 {
	var r2 float64
	for _, xi := range x {
		r2 += xi * xi
	}
	return b.amp * math.Exp(-r2/b.s2)
}
func (b *bump) L(t float64, x, v []float64) float64 {
	var k float64
	for _, vi := range v {
		k += vi * vi
	}
	return 0.5*k + b.sign*b.gauss(x)
}
func (b *bump) Accel(dst []float64, t float64, x, v []float64) {
	c := -b.sign * 2 / b.s2 * b.gauss(x)
	for i, xi := range x {
		dst[i] = c * xi
	}
}
func (b *bump) AccelJac(a, ax, av []float64, t float64, x, v []float64) {
	d := b.d
	c := -b.sign * 2 / b.s2 * b.gauss(x)
	for i, xi := range x {
		a[i] = c * xi
	}
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			v := -2 / b.s2 * c * x[i] * x[j]
			if i == j {
				v += c
			}
			ax[i*d+j] = v
			av[i*d+j] = 0
		}
	}
}
func (b *bump) Clone() lagrangian.System { return newBump(b.d, b.sign) }

// conformal is ½(1+|x|²)|v|², a position-dependent mass. From
// d/dt(m v) = ½|v|²∇m with m = 1+|x|²:
// a = (|v|²x − 2(x·v)v)/(1+|x|²).
type conformal struct{ d int }

func (c conformal) Dim() int { return c.d }
func (c conformal) L(t float64, x, v []float64) float64 {
	var xx, vv float64
	for i := range x {
		xx += x[i] * x[i]
		vv += v[i] * v[i]
	}
	return 0.5 * (1 + xx) * vv
}
func (c conformal) Accel(dst []float64, t float64, x, v []float64) {
	var xx, vv, xv float64
	for i := range x {
		xx += x[i] * x[i]
		vv += v[i] * v[i]
		xv += x[i] * v[i]
	}
	m := 1 + xx
	for i := range x {
		dst[i] = (vv*x[i] - 2*xv*v[i]) / m
	}
}
func (c conformal) AccelJac(a, ax, av []float64, t float64, x, v []float64) {
	d := c.d
	var xx, vv, xv float64
	for i := range x {
		xx += x[i] * x[i]
		vv += v[i] * v[i]
		xv += x[i] * v[i]
	}
	m := 1 + xx
	for i := range x {
		a[i] = (vv*x[i] - 2*xv*v[i]) / m
	}
	// ∂a_i/∂x_j = (vv δij − 2 v_i v_j)/m − a_i·2x_j/m
	// ∂a_i/∂v_j = (2 v_j x_i − 2 x_j v_i − 2 xv δij)/m
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			gx := (-2*v[i]*v[j] - a[i]*2*x[j]) / m
			gv := (2*v[j]*x[i] - 2*x[j]*v[i]) / m
			if i == j {
				gx += vv / m
				gv -= 2 * xv / m
			}
			ax[i*d+j], av[i*d+j] = gx, gv
		}
	}
}
func (c conformal) Clone() lagrangian.System { return c }

// magnetic is ½|v|² + (B/2)(x0 v1 − x1 v0) in d=2. From
// ∂L/∂v = v + (B/2)(−x1, x0) and ∂L/∂x = (B/2)(v1, −v0): a = B(v1, −v0).
type magnetic struct{ b float64 }

func (m magnetic) Dim() int { return 2 }
func (m magnetic) L(t float64, x, v []float64) float64 {
	return 0.5*(v[0]*v[0]+v[1]*v[1]) + m.b/2*(x[0]*v[1]-x[1]*v[0])
}
func (m magnetic) Accel(dst []float64, t float64, x, v []float64) {
	dst[0], dst[1] = m.b*v[1], -m.b*v[0]
}
func (m magnetic) AccelJac(a, ax, av []float64, t float64, x, v []float64) {
	m.Accel(a, t, x, v)
	for i := range ax {
		ax[i] = 0
	}
	av[0], av[1], av[2], av[3] = 0, m.b, -m.b, 0
}
func (m magnetic) Clone() lagrangian.System { return m }

// driven is ½|v|² + x·f(t) with f(t) = (cos 3t, sin 2t, …): a = f(t), a
// time-dependent System whose path is known in closed form.
type driven struct{ d int }

func (dr driven) Dim() int { return dr.d }
func (dr driven) force(i int, t float64) float64 {
	return math.Cos(float64(i+3) * t)
}
func (dr driven) L(t float64, x, v []float64) float64 {
	var s float64
	for i := range x {
		s += 0.5*v[i]*v[i] + x[i]*dr.force(i, t)
	}
	return s
}
func (dr driven) Accel(dst []float64, t float64, x, v []float64) {
	for i := range dst[:dr.d] {
		dst[i] = dr.force(i, t)
	}
}
func (dr driven) Clone() lagrangian.System { return dr }

// exact: x = x0 + c t + F(t) − F(0) − t(F(1) − F(0))... with F” = f,
// F(t) = −cos(kt)/k², so x(t) = x0 + t(x1−x0) + G(t) − (1−t)G(0) − tG(1).
func (dr driven) exact(xt, vt []float64, t float64, x0, x1 []float64) {
	for i := range x0 {
		k := float64(i + 3)
		g := func(t float64) float64 { return -math.Cos(k*t) / (k * k) }
		dg := math.Sin(k*t) / k
		xt[i] = x0[i] + t*(x1[i]-x0[i]) + g(t) - (1-t)*g(0) - t*g(1)
		vt[i] = x1[i] - x0[i] + dg + g(0) - g(1)
	}
}

// degenerate has a mass matrix that vanishes inside |x| < ½: Accel writes
// NaN there and AccelErr says why.
type degenerate struct{}

func (degenerate) Dim() int { return 2 }
func (degenerate) L(t float64, x, v []float64) float64 {
	return 0.5 * (x[0]*x[0] + x[1]*x[1] - 0.25) * (v[0]*v[0] + v[1]*v[1])
}
func (degenerate) Accel(dst []float64, t float64, x, v []float64) {
	m := x[0]*x[0] + x[1]*x[1] - 0.25
	if m <= 0 {
		dst[0], dst[1] = math.NaN(), math.NaN()
		return
	}
	var vv, xv float64
	for i := range x {
		vv += v[i] * v[i]
		xv += x[i] * v[i]
	}
	for i := range x {
		dst[i] = (vv*x[i] - 2*xv*v[i]) / m
	}
}
func (d degenerate) AccelErr(dst []float64, t float64, x, v []float64) error {
	if x[0]*x[0]+x[1]*x[1]-0.25 <= 0 {
		return errors.New("∂²L/∂v² = (|x|²−¼)·I is not positive definite")
	}
	return nil
}
func (d degenerate) Clone() lagrangian.System { return d }

// noJac hides a System's AccelJac (and anything else beyond System).
type noJac struct{ lagrangian.System }

func (n noJac) Clone() lagrangian.System { return noJac{n.System.Clone()} }

// ends16 are endpoints in d=16 whose straight path passes the bump's
// centre at a distance of about 0.25, so the least-action path must bend.
func ends16() (x0, x1 []float64) {
	x0, x1 = make([]float64, 16), make([]float64, 16)
	x0[0], x1[0] = -2, 2
	for i := 1; i < 16; i++ {
		x0[i] = 0.1 * math.Sin(float64(i))
		x1[i] = 0.1 * math.Cos(float64(i))
	}
	return x0, x1
}
