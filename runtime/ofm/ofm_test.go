package ofm

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"

	"github.com/lagc-dev/lagc/runtime/icnn"
	"github.com/lagc-dev/lagc/runtime/ode"
)

// testNet is a network far enough from ½|x|² that the inner problems are
// genuinely nonlinear.
func testNet(t *testing.T, d int, seed uint64) *icnn.Network {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	n, err := icnn.New(d, &icnn.Settings{Hidden: []int{8, 8}, Alpha: 0.05}, rng)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range n.Params() {
		n.Params()[i] = p + 0.4*rng.NormFloat64()
	}
	n.Refresh()
	return n
}

func testField(t *testing.T, net *icnn.Network, workers int) *Field {
	t.Helper()
	f, err := NewField(net, &Settings{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func randRows(rng *rand.Rand, n, d int) []float64 {
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x
}

// TestPreimageOptimal checks the first-order condition of the inner problem
// with a fresh evaluation of ∇Ψ, not the solver's own.
func TestPreimageOptimal(t *testing.T) {
	for _, d := range []int{1, 3, 8} {
		net := testNet(t, d, uint64(d))
		f := testField(t, net, 2)
		rng := rand.New(rand.NewPCG(2, 2))
		const n = 20
		x := randRows(rng, n, d)
		for _, tm := range []float64{0, 0.01, 0.5, 0.99, 1} {
			z := make([]float64, n*d)
			if err := f.Preimage(z, x, tm, n); err != nil {
				t.Fatal(err)
			}
			ws := net.NewWorkspace()
			g := make([]float64, d)
			for r := range n {
				zr := z[r*d : (r+1)*d]
				net.Grad(g, ws, zr)
				for i := range d {
					if res := tm*g[i] + (1-tm)*zr[i] - x[r*d+i]; math.Abs(res) > 1e-9 {
						t.Errorf("d=%d t=%g row %d: optimality residual %g", d, tm, r, res)
					}
				}
			}
		}
	}
}

// TestPreimageBruteForce compares the 1-D minimiser with a grid search
// refined by golden sections.
func TestPreimageBruteForce(t *testing.T) {
	net := testNet(t, 1, 11)
	f := testField(t, net, 1)
	ws := net.NewWorkspace()
	for _, c := range []struct{ x, t float64 }{{0.3, 0.5}, {-2, 0.9}, {3, 1}, {1.5, 0.1}} {
		F := func(z float64) float64 {
			psi, _ := net.Value(ws, []float64{z})
			return c.t*psi + (1-c.t)*z*z/2 - c.x*z
		}
		best, bestF := 0.0, math.Inf(1)
		for z := -20.0; z <= 20; z += 1e-3 {
			if v := F(z); v < bestF {
				best, bestF = z, v
			}
		}
		lo, hi := best-2e-3, best+2e-3
		phi := (math.Sqrt(5) - 1) / 2
		for hi-lo > 1e-10 {
			a, b := hi-phi*(hi-lo), lo+phi*(hi-lo)
			if F(a) < F(b) {
				hi = b
			} else {
				lo = a
			}
		}
		z := make([]float64, 1)
		if err := f.Preimage(z, []float64{c.x}, c.t, 1); err != nil {
			t.Fatal(err)
		}
		if math.Abs(z[0]-(lo+hi)/2) > 1e-6 {
			t.Errorf("x=%g t=%g: Newton gives z=%.9g, brute force %.9g", c.x, c.t, z[0], (lo+hi)/2)
		}
	}
}

// TestPotential checks by finite differences that ∇ₓs is the optimal field
// and that s solves Hamilton–Jacobi, ∂ₜs = -½|∇ₓs|².
func TestPotential(t *testing.T) {
	for _, d := range []int{1, 2, 5} {
		net := testNet(t, d, 20+uint64(d))
		f := testField(t, net, 1)
		rng := rand.New(rand.NewPCG(3, 3))
		for _, tm := range []float64{0.2, 0.5, 0.8} {
			x := randRows(rng, 1, d)
			s := func(y []float64, tt float64) float64 {
				out := make([]float64, 1)
				if err := f.Potential(out, y, tt, 1); err != nil {
					t.Fatal(err)
				}
				return out[0]
			}
			grad := fd.Gradient(nil, func(y []float64) float64 { return s(y, tm) }, x, &fd.Settings{Formula: fd.Central, Step: 1e-5})
			u := make([]float64, d)
			if err := f.Velocity(u, x, tm, 1); err != nil {
				t.Fatal(err)
			}
			var kin float64
			for i := range d {
				kin += u[i] * u[i] / 2
				if math.Abs(grad[i]-u[i]) > 1e-6*(1+math.Abs(u[i])) {
					t.Errorf("d=%d t=%g: ∂s/∂x[%d] = %.9g by finite differences, field %.9g", d, tm, i, grad[i], u[i])
				}
			}
			const h = 1e-5
			dt := (s(x, tm+h) - s(x, tm-h)) / (2 * h)
			if math.Abs(dt+kin) > 1e-6*(1+kin) {
				t.Errorf("d=%d t=%g: ∂s/∂t = %.9g, -½|∇s|² = %.9g", d, tm, dt, -kin)
			}
		}
		// s(·, t) is continuous at t = 0, where it is Ψ - |x|²/2.
		x := randRows(rng, 1, d)
		s0, s1 := make([]float64, 1), make([]float64, 1)
		f.Potential(s0, x, 0, 1)
		f.Potential(s1, x, 1e-7, 1)
		if math.Abs(s0[0]-s1[0]) > 1e-5 {
			t.Errorf("d=%d: s(x, 0) = %g but s(x, 1e-7) = %g", d, s0[0], s1[0])
		}
	}
}

// TestFieldTransportsAlongStraightLines integrates ẋ = u(x, t) from 0 to
// 1 and compares with the one-step map ∇Ψ(x).
func TestFieldTransportsAlongStraightLines(t *testing.T) {
	d, n := 3, 5
	net := testNet(t, d, 30)
	f := testField(t, net, 2)
	x0 := randRows(rand.New(rand.NewPCG(4, 4)), n, d)
	var fieldErr error
	x1 := make([]float64, n*d)
	_, err := ode.Integrate(x1, ode.RK4, func(dst []float64, tm float64, y []float64) {
		if err := f.Velocity(dst, y, tm, n); err != nil && fieldErr == nil {
			fieldErr = err
		}
	}, 0, 1, x0, 50)
	if err != nil || fieldErr != nil {
		t.Fatal(err, fieldErr)
	}
	want := make([]float64, n*d)
	f.Map(want, x0, n)
	for i := range want {
		if math.Abs(x1[i]-want[i]) > 1e-6 {
			t.Errorf("flow end %d: %.9g, ∇Ψ gives %.9g", i, x1[i], want[i])
		}
	}
}

// TestLossGradientsFD checks both losses' parameter gradients (implicit
// and envelope) against finite differences of the whole loss, inner solves
// included.
func TestLossGradientsFD(t *testing.T) {
	d, n := 2, 6
	net := testNet(t, d, 40)
	f := testField(t, net, 2)
	rng := rand.New(rand.NewPCG(5, 5))
	in := randRows(rng, n, d+1)
	for r := range n {
		in[r*(d+1)+d] = []float64{0, 0.1, 0.4, 0.7, 0.95, 1}[r]
	}
	target, x0, x1 := randRows(rng, n, d), randRows(rng, n, d), randRows(rng, n, d)
	losses := []struct {
		name string
		loss func(dst []float64) float64
	}{
		{"ofm", func(dst []float64) float64 {
			l, err := f.FlowMatchingLoss(dst, in, target, n)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}},
		{"am-optimal", func(dst []float64) float64 {
			l, hj, err := f.ActionMatchingLoss(dst, x0, x1, in, n)
			if err != nil {
				t.Fatal(err)
			}
			if hj > 1e-8 {
				t.Errorf("Hamilton–Jacobi residual %g, want ≈ 0", hj)
			}
			return l
		}},
	}
	for _, c := range losses {
		t.Run(c.name, func(t *testing.T) {
			grad := make([]float64, net.NumParams())
			c.loss(grad)
			theta := append([]float64(nil), net.Params()...)
			want := fd.Gradient(nil, func(p []float64) float64 {
				copy(net.Params(), p)
				net.Refresh()
				return c.loss(nil)
			}, theta, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			copy(net.Params(), theta)
			net.Refresh()
			for i := range grad {
				if math.Abs(grad[i]-want[i]) > 2e-6*(1+math.Abs(want[i])) {
					t.Errorf("∂loss/∂θ[%d] = %.9g, finite differences %.9g", i, grad[i], want[i])
				}
			}
		})
	}
}

// TestGaussianMap checks the closed form against its defining property:
// A is symmetric positive definite (the gradient of a convex quadratic)
// and pushes Σ0 forward to Σ1, AΣ0A = Σ1.
func TestGaussianMap(t *testing.T) {
	for _, d := range []int{1, 2, 8, 32} {
		rng := rand.New(rand.NewPCG(uint64(d), 9))
		c0, _ := RandomCovariance(d, 0.3, 3, rng)
		c1, _ := RandomCovariance(d, 0.3, 3, rng)
		m0, m1 := randRows(rng, 1, d), randRows(rng, 1, d)
		g, err := NewGaussianMap(m0, c0, m1, c1)
		if err != nil {
			t.Fatal(err)
		}
		A := mat.NewDense(d, d, g.Matrix())
		var push mat.Dense
		push.Mul(A, mat.NewDense(d, d, c0))
		push.Mul(&push, A)
		for i := range d {
			for j := range d {
				if math.Abs(push.At(i, j)-c1[i*d+j]) > 1e-9 {
					t.Errorf("d=%d: (AΣ0A)[%d,%d] = %g, Σ1 %g", d, i, j, push.At(i, j), c1[i*d+j])
				}
				if A.At(i, j) != A.At(j, i) {
					t.Errorf("d=%d: A not symmetric", d)
				}
			}
		}
		var eig mat.EigenSym
		eig.Factorize(mat.NewSymDense(d, g.Matrix()), false)
		if eig.Values(nil)[0] <= 0 {
			t.Errorf("d=%d: A not positive definite", d)
		}
		// T(m0) = m1.
		y := make([]float64, d)
		g.Apply(y, m0, 1)
		for i := range d {
			if math.Abs(y[i]-m1[i]) > 1e-12 {
				t.Errorf("d=%d: T(m0) ≠ m1", d)
			}
		}
	}
}

// TestGaussianSampler compares the sample covariance with the given one.
func TestGaussianSampler(t *testing.T) {
	d, n := 3, 200000
	rng := rand.New(rand.NewPCG(7, 7))
	cov, _ := RandomCovariance(d, 0.5, 2, rng)
	g, err := NewGaussian([]float64{1, -1, 2}, cov)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, n*d)
	g.Sample(x, n, rng)
	for i := range d {
		for j := range d {
			var s, mi, mj float64
			for r := range n {
				mi += x[r*d+i] / float64(n)
				mj += x[r*d+j] / float64(n)
			}
			for r := range n {
				s += (x[r*d+i] - mi) * (x[r*d+j] - mj) / float64(n)
			}
			if math.Abs(s-cov[i*d+j]) > 0.02 {
				t.Errorf("sample covariance [%d,%d] = %g, want %g", i, j, s, cov[i*d+j])
			}
		}
	}
}

func TestErrors(t *testing.T) {
	net := testNet(t, 2, 1)
	f := testField(t, net, 1)
	if err := f.Velocity(make([]float64, 2), []float64{1, 2}, 1.5, 1); err == nil {
		t.Error("time 1.5: no error")
	}
	if err := f.Map(make([]float64, 3), []float64{1, 2}, 1); err == nil {
		t.Error("short destination: no error")
	}
	if _, err := f.FlowMatchingLoss(make([]float64, 3), make([]float64, 3), make([]float64, 2), 1); err == nil {
		t.Error("short gradient: no error")
	}
	if _, err := NewField(nil, nil); err == nil {
		t.Error("nil network: no error")
	}
	if _, err := NewGaussian([]float64{0, 0}, []float64{1, 2, 2, 1}); err == nil {
		t.Error("indefinite covariance: no error")
	}
	if _, err := NewGaussianMap([]float64{0}, []float64{1}, []float64{0, 0}, []float64{1}); err == nil {
		t.Error("mismatched dimensions: no error")
	}
}

// TestLimitMap checks the closed-form limits of plain FM and AM: both push
// Σ0 forward to Σ1 (they move p_t), AM's field is a gradient and FM's the
// conditional expectation; with commuting covariances both are the OT map.
func TestLimitMap(t *testing.T) {
	for _, d := range []int{2, 5} {
		rng := rand.New(rand.NewPCG(uint64(d), 13))
		c0, _ := RandomCovariance(d, 0.3, 3, rng)
		c1, _ := RandomCovariance(d, 0.3, 3, rng)
		zero := make([]float64, d)
		g, _ := NewGaussianMap(zero, c0, zero, c1)
		for _, w := range []struct {
			name string
			w    Weights
		}{{"straight", Straight}, {"harmonic", Harmonic(math.Pi / 2)}} {
			for _, grad := range []bool{false, true} {
				m, err := LimitMap(c0, c1, d, w.w, grad, 400)
				if err != nil {
					t.Fatal(err)
				}
				M := mat.NewDense(d, d, m)
				var push mat.Dense
				push.Mul(M, mat.NewDense(d, d, c0))
				push.Mul(&push, M.T())
				for i := range d {
					for j := range d {
						if math.Abs(push.At(i, j)-c1[i*d+j]) > 1e-8 {
							t.Errorf("d=%d %s gradient=%v: (MΣ0Mᵀ)[%d,%d] = %g, Σ1 %g", d, w.name, grad, i, j, push.At(i, j), c1[i*d+j])
						}
					}
				}
				if uvp := g.MapUVP(m, c0, c1); !(uvp > 1e-8) {
					t.Errorf("d=%d %s gradient=%v: limit map equals the OT map (L2-UVP %g) for non-commuting covariances", d, w.name, grad, uvp)
				}
			}
		}
		// Diagonal covariances commute: every limit is the OT map.
		diag0, diag1 := make([]float64, d*d), make([]float64, d*d)
		for i := range d {
			diag0[i*d+i], diag1[i*d+i] = 0.5+float64(i), 2/(1+float64(i))
		}
		gd, _ := NewGaussianMap(zero, diag0, zero, diag1)
		for _, grad := range []bool{false, true} {
			m, _ := LimitMap(diag0, diag1, d, Harmonic(math.Pi/2), grad, 400)
			if uvp := gd.MapUVP(m, diag0, diag1); uvp > 1e-12 {
				t.Errorf("d=%d commuting covariances, gradient=%v: L2-UVP %g, want 0", d, grad, uvp)
			}
		}
	}
}

// TestFlowMatchingIsTwiceActionMatching checks the identity behind the
// equivalence: for a gradient field, the OFM loss equals 2 × the AM loss
// plus the interpolation's kinetic energy E|ẋ_t|², for any paths — here
// straight and harmonic ones between independent pairs, by Monte Carlo.
func TestFlowMatchingIsTwiceActionMatching(t *testing.T) {
	const d, n = 2, 20000
	net := testNet(t, d, 50)
	f := testField(t, net, 2)
	rng := rand.New(rand.NewPCG(6, 6))
	x0, x1 := randRows(rng, n, d), randRows(rng, n, d)
	for i := range x1 {
		x1[i] = 1.5*x1[i] + 1
	}
	for _, w := range []struct {
		name string
		w    Weights
	}{{"straight", Straight}, {"harmonic", Harmonic(math.Pi / 2)}} {
		in, vel := make([]float64, n*(d+1)), make([]float64, n*d)
		var kinetic float64
		for r := range n {
			tm := (float64(r) + 0.5) / n // stratified times
			a, b, da, db := w.w(tm)
			for i := range d {
				in[r*(d+1)+i] = a*x0[r*d+i] + b*x1[r*d+i]
				vel[r*d+i] = da*x0[r*d+i] + db*x1[r*d+i]
				kinetic += vel[r*d+i] * vel[r*d+i] / n
			}
			in[r*(d+1)+d] = tm
		}
		fmLoss, err := f.FlowMatchingLoss(nil, in, vel, n)
		if err != nil {
			t.Fatal(err)
		}
		amLoss, _, err := f.ActionMatchingLoss(nil, x0, x1, in, n)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: OFM loss %.4f, 2·AM + E|ẋ|² = %.4f (AM %.4f)", w.name, fmLoss, 2*amLoss+kinetic, amLoss)
		if got, want := fmLoss, 2*amLoss+kinetic; math.Abs(got-want) > 0.01*math.Abs(want) {
			t.Errorf("%s: OFM loss %.4f, 2·AM + E|ẋ|² = %.4f", w.name, got, want)
		}
	}
}
