package ode

import (
	"fmt"
	"math"
)

// Method names a fixed-step explicit Runge–Kutta method.
type Method int

const (
	Euler    Method = iota + 1 // forward Euler, order 1
	Midpoint                   // explicit midpoint rule, order 2
	RK4                        // classical Runge–Kutta, order 4
	RK8                        // the eighth-order formula of DOP853, 12 stages, with an embedded error estimate
)

func (m Method) tableau() *tableau {
	switch m {
	case Euler:
		return eulerTableau
	case Midpoint:
		return midpointTableau
	case RK4:
		return rk4Tableau
	case RK8:
		return rk8Tableau
	}
	return nil
}

// Order returns the order of accuracy of m, or 0 for an unknown method.
func (m Method) Order() int {
	if tb := m.tableau(); tb != nil {
		return tb.order
	}
	return 0
}

// Stages returns the number of right-hand-side evaluations per step.
func (m Method) Stages() int {
	if tb := m.tableau(); tb != nil {
		return len(tb.c)
	}
	return 0
}

func (m Method) String() string {
	switch m {
	case Euler:
		return "Euler"
	case Midpoint:
		return "Midpoint"
	case RK4:
		return "RK4"
	case RK8:
		return "RK8"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// Fixed integrates with a fixed-step explicit Runge–Kutta method. Its work
// buffers are sized for one state dimension and reused by every call.
type Fixed struct {
	tb  *tableau
	n   int
	k   []float64 // stage derivatives, stage-major: k[s*n : (s+1)*n]
	tmp []float64
	h   float64 // size of the last step, for ErrorEstimate
}

// NewFixed returns an integrator using method m for states of dimension n.
func NewFixed(m Method, n int) (*Fixed, error) {
	tb := m.tableau()
	if tb == nil {
		return nil, fmt.Errorf("ode: unknown method %v; use Euler, Midpoint, RK4 or RK8", m)
	}
	if n < 1 {
		return nil, fmt.Errorf("ode: state dimension %d; it must be at least 1", n)
	}
	return &Fixed{tb: tb, n: n, k: make([]float64, len(tb.c)*n), tmp: make([]float64, n)}, nil
}

// Method returns the method f integrates with.
func (f *Fixed) Method() Method {
	for _, m := range []Method{Euler, Midpoint, RK4, RK8} {
		if m.tableau() == f.tb {
			return m
		}
	}
	return 0
}

// Dim returns the state dimension f was made for.
func (f *Fixed) Dim() int { return f.n }

// Step advances y by one step of size h from t and writes the result into
// dst, which may alias y. dst and y must hold at least Dim() values. Step
// evaluates fn Stages() times, does not allocate and does not check its
// arguments: it is the inner loop of callers that do.
func (f *Fixed) Step(dst []float64, fn Func, t, h float64, y []float64) {
	n := f.n
	y, dst = y[:n], dst[:n]
	tb := f.tb
	k, tmp := f.k, f.tmp
	fn(k[:n], t, y)
	// Accumulate stage by stage (axpy over the state) rather than term by
	// term per component: the inner loops then run over contiguous memory.
	for s := 1; s < len(tb.c); s++ {
		copy(tmp, y)
		for _, tr := range tb.a[s] {
			c := h * tr.w
			kj := k[tr.j*n : tr.j*n+n]
			for i, kv := range kj {
				tmp[i] += c * kv
			}
		}
		fn(k[s*n:(s+1)*n], t+tb.c[s]*h, tmp)
	}
	if &dst[0] != &y[0] {
		copy(dst, y)
	}
	for _, tr := range tb.b {
		c := h * tr.w
		kj := k[tr.j*n : tr.j*n+n]
		for i, kv := range kj {
			dst[i] += c * kv
		}
	}
	f.h = h
}

// ErrorEstimate returns DOP853's embedded estimate of the local error of the
// last RK8 step, in the Euclidean norm over state components [lo, hi). It
// lets callers that step on a grid of their own check its accuracy. For the
// other methods, which have no embedded estimate, it returns NaN.
func (f *Fixed) ErrorEstimate(lo, hi int) float64 {
	tb := f.tb
	if tb.e5 == nil {
		return math.NaN()
	}
	n := f.n
	var s5, s3 float64
	for i := lo; i < hi; i++ {
		var e5, e3 float64
		for _, tr := range tb.e5 {
			e5 += tr.w * f.k[tr.j*n+i]
		}
		for _, tr := range tb.e3 {
			e3 += tr.w * f.k[tr.j*n+i]
		}
		s5 += e5 * e5
		s3 += e3 * e3
	}
	if s5 == 0 {
		return 0
	}
	// The blend of the fifth- and third-order estimates is DOP853's: it
	// behaves like an eighth-order estimate for small steps.
	return math.Abs(f.h) * s5 / math.Sqrt(s5+0.01*s3)
}

// Integrate integrates y' = fn(t, y) from t0 to t1 in steps equal steps,
// starting from y0, and writes y(t1) into dst (which may alias y0).
// It stops with an error if the state stops being finite.
func (f *Fixed) Integrate(dst []float64, fn Func, t0, t1 float64, y0 []float64, steps int) (Stats, error) {
	var st Stats
	if err := f.checkArgs(dst, y0, t0, t1); err != nil {
		return st, err
	}
	if steps < 1 {
		return st, fmt.Errorf("ode: %d steps; use at least 1", steps)
	}
	h := (t1 - t0) / float64(steps)
	copy(dst, y0[:f.n])
	for i := 0; i < steps; i++ {
		t := t0 + float64(i)*h
		f.Step(dst, fn, t, h, dst)
		st.Steps++
		st.Evals += len(f.tb.c)
		if err := checkState(t+h, dst[:f.n]); err != nil {
			return st, err
		}
	}
	return st, nil
}

func (f *Fixed) checkArgs(dst, y0 []float64, t0, t1 float64) error {
	if len(dst) < f.n || len(y0) < f.n {
		return fmt.Errorf("ode: state slices have lengths dst=%d, y0=%d; the integrator was made for dimension %d", len(dst), len(y0), f.n)
	}
	if err := checkSpan(t0, t1); err != nil {
		return err
	}
	return checkState(t0, y0[:f.n])
}

// Integrate is a convenience wrapper that allocates a Fixed integrator for
// one solve. Hot loops should keep a Fixed instead.
func Integrate(dst []float64, m Method, fn Func, t0, t1 float64, y0 []float64, steps int) (Stats, error) {
	f, err := NewFixed(m, len(y0))
	if err != nil {
		return Stats{}, err
	}
	return f.Integrate(dst, fn, t0, t1, y0, steps)
}
