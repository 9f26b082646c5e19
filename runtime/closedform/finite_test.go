package closedform

import (
	"math"
	"math/big"
	"strings"
	"testing"
)

// bigExp returns e^x to prec bits by squaring a Taylor series of
// e^{x/2^k}: math/big has no exponential, and its exponent range keeps
// e^{±10⁶} representable where float64 overflows.
func bigExp(x float64, prec uint) *big.Float {
	k := 0
	for math.Abs(x) > 0x1p-16 {
		x /= 2
		k++
	}
	xb := new(big.Float).SetPrec(prec).SetFloat64(x)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := int64(1); term.Sign() != 0 && term.MantExp(nil) > -int(prec)-8; n++ {
		term.Mul(term, xb)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(n))
		sum.Add(sum, term)
	}
	for ; k > 0; k-- {
		sum.Mul(sum, sum)
	}
	return sum
}

// bigWeights returns p, q, dp, dq for x” = αx + βẋ with κ = α + β²/4 > 0,
// from the unscaled formulas p = e^{ht} sinh(ω(1−t))/sinh ω (h = β/2),
// evaluated in high precision: h sinh(ωa) ∓ ω cosh(ωa) cancels down to
// e^{−ωa} when |h| = ω, which loses 2.9 bits per unit of ωa; with |h| < ω/2
// nothing cancels.
func bigWeights(omega, h, t float64) (p, q, dp, dq float64) {
	prec := uint(200)
	if math.Abs(h) > omega/2 {
		prec += uint(3 * omega)
	}
	f := func(x float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(x) }
	sinh := func(x float64) *big.Float {
		s := new(big.Float).Sub(bigExp(x, prec), bigExp(-x, prec))
		return s.Quo(s, f(2))
	}
	cosh := func(x float64) *big.Float {
		s := new(big.Float).Add(bigExp(x, prec), bigExp(-x, prec))
		return s.Quo(s, f(2))
	}
	s1 := sinh(omega)
	ea, eb := bigExp(h*t, prec), bigExp(-h*(1-t), prec)
	sa, ca := sinh(omega*(1-t)), cosh(omega*(1-t))
	sb, cb := sinh(omega*t), cosh(omega*t)
	mul := func(a ...*big.Float) *big.Float {
		r := f(1)
		for _, x := range a {
			r.Mul(r, x)
		}
		return r
	}
	out := func(x *big.Float) float64 {
		v, _ := new(big.Float).Quo(x, s1).Float64()
		return v
	}
	p = out(mul(ea, sa))
	q = out(mul(eb, sb))
	// dp = e^{ht}(h sa − ω ca)/s1, dq = e^{−h(1−t)}(h sb + ω cb)/s1.
	dp = out(mul(ea, new(big.Float).Sub(mul(f(h), sa), mul(f(omega), ca))))
	dq = out(mul(eb, new(big.Float).Add(mul(f(h), sb), mul(f(omega), cb))))
	return p, q, dp, dq
}

// TestLargeOmegaWeightsMatchHighPrecision checks the hyperbolic weights
// where sinh(ω) overflows (ω > 710) against high-precision arithmetic. The
// tolerance grows with ω + |h|: rounding ωt in float64 perturbs e^{ωt} by
// that much relative, a property of the problem, not of the formula.
func TestLargeOmegaWeightsMatchHighPrecision(t *testing.T) {
	for _, c := range []struct{ alpha, beta float64 }{
		{1, 0}, {25, 0}, {700 * 700, 0}, {710 * 710, 0}, {1e6, 0}, {1e10, 0},
		{1e4, 100}, {-2000, 100}, {0, 2000}, {0, -2000}, {3e5, -50},
	} {
		s, err := NewIsotropic(1, c.alpha, c.beta, nil)
		if err != nil || s.Err() != nil {
			t.Fatalf("α=%g β=%g: %v %v", c.alpha, c.beta, err, s.Err())
		}
		h := c.beta / 2
		tol := 1e-14 * (4 + s.Omega() + math.Abs(h))
		for _, tm := range []float64{0, 1e-4, 0.001, 0.1, 0.5, 0.9, 0.999, 1} {
			p, q, _, dp, dq, _ := s.Weights(tm)
			bp, bq, bdp, bdq := bigWeights(s.Omega(), h, tm)
			scaleV := 1 + s.Omega() + math.Abs(h)
			for _, w := range []struct {
				name      string
				got, want float64
				magnitude float64
			}{{"p", p, bp, 1}, {"q", q, bq, 1}, {"dp", dp, bdp, scaleV}, {"dq", dq, bdq, scaleV}} {
				if !(math.Abs(w.got-w.want) <= tol*math.Abs(w.want)+1e-300*w.magnitude) {
					t.Errorf("α=%g β=%g t=%g: %s = %.17g, high-precision truth %.17g", c.alpha, c.beta, tm, w.name, w.got, w.want)
				}
			}
		}
	}
}

// TestInvertedActionLargeOmega checks the least action of the inverted
// oscillator, S = ω/(2 sinh ω)·((|x0|²+|x1|²) cosh ω − 2 x0·x1), where sinh
// and cosh overflow: against the two-term asymptotic
// S = ω/2·(|x0|²+|x1|²)·(1 + 2e^{−2ω}) − 2ω e^{−ω} x0·x1 + O(e^{−3ω}) (whose
// correction terms are below rounding from ω ≈ 20 on), and finite paths
// through the whole interval.
func TestInvertedActionLargeOmega(t *testing.T) {
	x0, x1 := []float64{1, 0.5}, []float64{-0.25, 1}
	n2 := 1 + 0.25 + 0.0625 + 1
	dot := -0.25 + 0.5
	for _, w := range []float64{20, 700, 710, 711, 1e3, 1e5, 1e150} {
		sol, err := New(2, func(dst []float64, _ float64, x, _ []float64) {
			dst[0], dst[1] = w*w*x[0], w*w*x[1]
		}, func(_ float64, x, v []float64) float64 {
			return 0.5*(v[0]*v[0]+v[1]*v[1]) + 0.5*w*w*(x[0]*x[0]+x[1]*x[1])
		}, true)
		if err != nil {
			t.Fatalf("ω=%g: %v", w, err)
		}
		if !sol.Canonical() || sol.Kind() != Inverted {
			t.Fatalf("ω=%g: kind %v canonical %v", w, sol.Kind(), sol.Canonical())
		}
		got, err := sol.Action(x0, x1)
		want := w/2*n2*(1+2*math.Exp(-2*w)) - 2*w*math.Exp(-w)*dot
		if err != nil || !(math.Abs(got-want) <= 1e-14*want) {
			t.Errorf("ω=%g: action %.17g (err %v), asymptotic %.17g", w, got, err, want)
		}
		xt, vt := make([]float64, 2), make([]float64, 2)
		for _, tm := range []float64{0, 1e-9, 0.5, 1 - 1e-9, 1} {
			if err := sol.Path(xt, vt, tm, x0, x1); err != nil {
				t.Fatalf("ω=%g t=%g: %v", w, tm, err)
			}
			if !allFinite(xt) || !allFinite(vt) {
				t.Errorf("ω=%g t=%g: x = %v, v = %v", w, tm, xt, vt)
			}
		}
		// The endpoints are exact, and the path decays like e^{−ωt}
		// away from them.
		_ = sol.Path(xt, vt, 0, x0, x1)
		// v(0) = −ω coth ω x0 + ω/sinh ω x1, to O(e^{−3ω}).
		v0 := -w*(1+2*math.Exp(-2*w))*x0[0] + 2*w*math.Exp(-w)*x1[0]
		if xt[0] != x0[0] || xt[1] != x0[1] || !(math.Abs(vt[0]-v0) <= 1e-14*w) {
			t.Errorf("ω=%g: x(0) = %v, v(0) = %v; want %v and v0 = %.17g", w, xt, vt, x0, v0)
		}
		_ = sol.Path(xt, nil, 1, x0, x1)
		if xt[0] != x1[0] || xt[1] != x1[1] {
			t.Errorf("ω=%g: x(1) = %v, want %v", w, xt, x1)
		}
	}
}

// TestNonFiniteIsAnError checks that a closed form that leaves float64
// reports the cause instead of returning NaN or ±Inf.
func TestNonFiniteIsAnError(t *testing.T) {
	xt, vt := make([]float64, 2), make([]float64, 2)
	straight, _ := NewIsotropic(2, 0, 0, nil)
	big0, big1 := []float64{1e308, 0}, []float64{-1e308, 0}
	if err := straight.Path(xt, vt, 0.5, big0, big1); err == nil || !strings.Contains(err.Error(), "velocity") || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("straight line from 1e308 to −1e308: err %v, v = %v", err, vt)
	}
	if _, err := straight.CanonicalAction(big0, big1); err == nil || !strings.Contains(err.Error(), "action") {
		t.Errorf("straight-line action from 1e308 to −1e308: err %v", err)
	}
	// Strong damping with oscillation: p(t) ~ e^{βt/2} really exceeds
	// float64 inside the interval.
	damped, _ := NewIsotropic(2, -(1000*1000 + 1), 2000, nil)
	if err := damped.Path(xt, vt, 0.9, []float64{1, 1}, []float64{1, 1}); err == nil || !strings.Contains(err.Error(), "position") {
		t.Errorf("damped with β = 2000: err %v, x = %v", err, xt)
	}
	// Coefficients whose κ = α + β²/4 overflows.
	huge, err := NewIsotropic(1, 0, 1e300, nil)
	if err != nil || huge.Err() == nil || !strings.Contains(huge.Err().Error(), "too large") {
		t.Errorf("β = 1e300: err %v, Err %v", err, huge.Err())
	}
	// A matrix exponential that overflows.
	lin, err := NewLinear(2, []float64{1e6, 0, 0, 4e6}, nil, nil)
	if err != nil || lin.Err() == nil || !strings.Contains(lin.Err().Error(), "overflows") {
		t.Errorf("Linear with A = diag(1e6, 4e6): err %v, Err %v", err, lin.Err())
	}
	if err := lin.Path(xt, vt, 0.5, []float64{1, 0}, []float64{0, 1}); err == nil {
		t.Errorf("Linear that overflows: Path gave %v, %v with no error", xt, vt)
	}
}

// TestQuadratureResolvesBoundaryLayers checks the action by quadrature
// where paths have boundary layers of width 1/ω: a Lagrangian that is
// canonical plus a constant (so quadrature runs, and the truth is the
// canonical action plus that constant), and the Caldirola–Kanai Lagrangian
// L = e^{βt}(½|v|² + ½α|x|²), whose action along its own path is exactly
// ½(e^β x1·v1 − x0·v0) by integration by parts.
func TestQuadratureResolvesBoundaryLayers(t *testing.T) {
	x0, x1 := []float64{1, -0.5}, []float64{0.5, 2}
	for _, w := range []float64{5, 30, 100, 710, 1e4} {
		accel := func(dst []float64, _ float64, x, _ []float64) {
			for i := range dst {
				dst[i] = w * w * x[i]
			}
		}
		canonicalL := func(_ float64, x, v []float64) float64 {
			var s float64
			for i := range x {
				s += 0.5*v[i]*v[i] + 0.5*w*w*x[i]*x[i]
			}
			return s
		}
		shifted := func(t float64, x, v []float64) float64 { return canonicalL(t, x, v) + 1 }
		exact, err := New(2, accel, canonicalL, true)
		if err != nil {
			t.Fatal(err)
		}
		quad, err := New(2, accel, shifted, true)
		if err != nil || quad.Canonical() {
			t.Fatalf("ω=%g: %v, canonical %v", w, err, quad.Canonical())
		}
		want, _ := exact.Action(x0, x1)
		got, err := quad.Action(x0, x1)
		if err != nil || !(math.Abs(got-1-want) <= 1e-12*want) {
			t.Errorf("ω=%g: quadrature action − 1 = %.17g (err %v), exact %.17g", w, got-1, err, want)
		}
		if n := testing.AllocsPerRun(5, func() { _, _ = quad.Action(x0, x1) }); n != 0 {
			t.Errorf("ω=%g: %v allocations per Action", w, n)
		}
	}
	for _, c := range []struct{ alpha, beta float64 }{{1, 0.5}, {1e4, 100}, {4e5, -300}, {0, 200}} {
		accel := func(dst []float64, _ float64, x, v []float64) {
			for i := range dst {
				dst[i] = c.alpha*x[i] - c.beta*v[i]
			}
		}
		L := func(t float64, x, v []float64) float64 {
			var s float64
			for i := range x {
				s += 0.5*v[i]*v[i] + 0.5*c.alpha*x[i]*x[i]
			}
			return math.Exp(c.beta*t) * s
		}
		sol, err := New(2, accel, L, true)
		if err != nil || sol.Err() != nil {
			t.Fatalf("α=%g β=%g: %v %v", c.alpha, c.beta, err, sol.Err())
		}
		v0, v1, xt := make([]float64, 2), make([]float64, 2), make([]float64, 2)
		_ = sol.Path(xt, v0, 0, x0, x1)
		_ = sol.Path(xt, v1, 1, x0, x1)
		want := 0.5 * (math.Exp(c.beta)*(x1[0]*v1[0]+x1[1]*v1[1]) - (x0[0]*v0[0] + x0[1]*v0[1]))
		got, err := sol.Action(x0, x1)
		if err != nil || !(math.Abs(got-want) <= 1e-11*math.Max(1, math.Abs(want))) {
			t.Errorf("α=%g β=%g: action %.17g (err %v), by parts %.17g", c.alpha, c.beta, got, err, want)
		}
	}
}
