package closedform

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// system is a test case: ẍ = A x + B ẋ + c with A, B, c explicit, so that
// paths can be checked against the equation itself.
type system struct {
	name    string
	d       int
	a, b, c []float64 // A, B row-major d×d (nil = 0), c (nil = 0)
	build   func() (Pather, error)
}

func iso(d int, alpha, beta float64, c []float64) func() (Pather, error) {
	return func() (Pather, error) { return NewIsotropic(d, alpha, beta, c) }
}

func diag(d int, x float64) []float64 {
	m := make([]float64, d*d)
	for i := 0; i < d; i++ {
		m[i*d+i] = x
	}
	return m
}

func systems() []system {
	w := math.Pi / 2
	var out []system
	add := func(name string, d int, a, b, c []float64, isoBuild func() (Pather, error)) {
		if isoBuild != nil {
			out = append(out, system{name: name + "/isotropic", d: d, a: a, b: b, c: c, build: isoBuild})
		}
		out = append(out, system{name: name + "/matrix", d: d, a: a, b: b, c: c, build: func() (Pather, error) { return NewLinear(d, a, b, c) }})
	}
	add("straight", 3, nil, nil, nil, iso(3, 0, 0, nil))
	add("harmonic", 3, diag(3, -w*w), nil, nil, iso(3, -w*w, 0, nil))
	add("harmonic-3", 2, diag(2, -9), nil, nil, iso(2, -9, 0, nil))
	add("inverted", 2, diag(2, 4), nil, nil, iso(2, 4, 0, nil))
	add("gravity", 2, nil, nil, []float64{0, -2}, iso(2, 0, 0, []float64{0, -2}))
	add("harmonic+force", 2, diag(2, -1), nil, []float64{0.5, -2}, iso(2, -1, 0, []float64{0.5, -2}))
	add("inverted+force", 1, diag(1, 2), nil, []float64{3}, iso(1, 2, 0, []float64{3}))
	add("damped", 3, diag(3, -1), diag(3, -0.5), nil, iso(3, -1, -0.5, nil))
	add("overdamped", 2, diag(2, -1), diag(2, -3), []float64{1, 1}, iso(2, -1, -3, []float64{1, 1}))
	add("critical", 1, diag(1, -1), diag(1, 2), nil, iso(1, -1, 2, nil))
	add("drift", 2, nil, diag(2, 0.7), []float64{1, -1}, iso(2, 0, 0.7, []float64{1, -1}))
	add("magnetic", 2, nil, []float64{0, 1.3, -1.3, 0}, nil, nil)
	add("anisotropic", 2, []float64{-1, 0, 0, -6.25}, nil, nil, nil)
	add("coupled", 3, []float64{-1, 0.3, 0, 0.3, -2, 0.1, 0, 0.1, 0.5}, []float64{0, 0.4, 0, -0.4, 0, 0.2, 0, -0.2, -0.1}, []float64{0.2, 0, -1}, nil)
	return out
}

func randVec(rng *rand.Rand, d int) []float64 {
	x := make([]float64, d)
	for i := range x {
		x[i] = 4*rng.Float64() - 2
	}
	return x
}

func (s system) accel(dst []float64, x, v []float64) {
	d := s.d
	for i := 0; i < d; i++ {
		var r float64
		if s.c != nil {
			r = s.c[i]
		}
		for j := 0; j < d; j++ {
			if s.a != nil {
				r += s.a[i*d+j] * x[j]
			}
			if s.b != nil {
				r += s.b[i*d+j] * v[j]
			}
		}
		dst[i] = r
	}
}

func maxAbs(x ...[]float64) float64 {
	var m float64
	for _, v := range x {
		for _, e := range v {
			m = math.Max(m, math.Abs(e))
		}
	}
	return m
}

// TestPathSolvesBoundaryValueProblem checks the boundary conditions, that
// the velocity is the derivative of the position, and the equation
// ẍ = A x + B ẋ + c with ẍ from finite differences of the position.
func TestPathSolvesBoundaryValueProblem(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range systems() {
		t.Run(s.name, func(t *testing.T) {
			p, err := s.build()
			if err != nil {
				t.Fatal(err)
			}
			d := s.d
			xt, vt, a := make([]float64, d), make([]float64, d), make([]float64, d)
			xp := make([][]float64, 5)
			for k := range xp {
				xp[k] = make([]float64, d)
			}
			for trial := 0; trial < 3; trial++ {
				x0, x1 := randVec(rng, d), randVec(rng, d)
				scale := 1 + maxAbs(x0, x1)
				for _, end := range []struct {
					t float64
					x []float64
				}{{0, x0}, {1, x1}} {
					if err := p.Path(xt, vt, end.t, x0, x1); err != nil {
						t.Fatal(err)
					}
					for i := range xt {
						if math.Abs(xt[i]-end.x[i]) > 1e-13*scale {
							t.Errorf("x(%g)[%d] = %.17g, want %.17g", end.t, i, xt[i], end.x[i])
						}
					}
				}
				const h = 2e-3
				for _, tm := range []float64{0.1, 0.37, 0.5, 0.81, 0.9} {
					for k := range xp {
						if err := p.Path(xp[k], nil, tm+float64(k-2)*h, x0, x1); err != nil {
							t.Fatal(err)
						}
					}
					if err := p.Path(xt, vt, tm, x0, x1); err != nil {
						t.Fatal(err)
					}
					s.accel(a, xt, vt)
					for i := 0; i < d; i++ {
						// Fourth-order central differences.
						v := (xp[0][i] - 8*xp[1][i] + 8*xp[3][i] - xp[4][i]) / (12 * h)
						acc := (-xp[0][i] + 16*xp[1][i] - 30*xp[2][i] + 16*xp[3][i] - xp[4][i]) / (12 * h * h)
						sc := 1 + maxAbs(a, vt)
						if math.Abs(v-vt[i]) > 1e-9*sc {
							t.Errorf("t=%g: v[%d] = %.12g, finite differences of x give %.12g", tm, i, vt[i], v)
						}
						// The matrix exponential rounds to a few ulps of x, which the
						// second difference divides by h²: 1e-8 leaves room for it.
						tol := 1e-9
						if strings.HasSuffix(s.name, "/matrix") {
							tol = 1e-8
						}
						if math.Abs(acc-a[i]) > tol*sc {
							t.Errorf("t=%g: x''[%d] = %.12g by finite differences, A x + B v + c = %.12g", tm, i, acc, a[i])
						}
					}
				}
			}
		})
	}
}

func TestHarmonicQuarterTurn(t *testing.T) {
	p, err := NewIsotropic(2, -math.Pi*math.Pi/4, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind() != Harmonic || p.Omega() != math.Pi/2 {
		t.Errorf("kind %v, ω = %v; want harmonic, π/2", p.Kind(), p.Omega())
	}
	x0, x1 := []float64{1.5, -0.25}, []float64{-2, 0.75}
	xt, vt := make([]float64, 2), make([]float64, 2)
	for _, tm := range []float64{0, 0.1, 0.25, 0.5, 0.9, 1} {
		if err := p.Path(xt, vt, tm, x0, x1); err != nil {
			t.Fatal(err)
		}
		c, s := math.Cos(math.Pi*tm/2), math.Sin(math.Pi*tm/2)
		for i := range xt {
			wantX := c*x0[i] + s*x1[i]
			wantV := math.Pi / 2 * (-s*x0[i] + c*x1[i])
			if math.Abs(xt[i]-wantX) > 1e-14 || math.Abs(vt[i]-wantV) > 1e-14 {
				t.Errorf("t=%g: x=%.17g v=%.17g, want %.17g, %.17g", tm, xt[i], vt[i], wantX, wantV)
			}
		}
	}
}

// TestMatrixMatchesIsotropic compares the two independent methods on the
// systems both can solve.
func TestMatrixMatchesIsotropic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	all := systems()
	for i := 0; i+1 < len(all); i++ {
		if !strings.HasSuffix(all[i].name, "/isotropic") {
			continue
		}
		s := all[i]
		pi, _ := s.build()
		pm, _ := all[i+1].build()
		d := s.d
		x0, x1 := randVec(rng, d), randVec(rng, d)
		a, b, va, vb := make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
		for _, tm := range []float64{0.2, 0.5, 0.7} {
			if err := pi.Path(a, va, tm, x0, x1); err != nil {
				t.Fatal(err)
			}
			if err := pm.Path(b, vb, tm, x0, x1); err != nil {
				t.Fatal(err)
			}
			for k := range a {
				if math.Abs(a[k]-b[k]) > 1e-12*(1+maxAbs(a)) || math.Abs(va[k]-vb[k]) > 1e-12*(1+maxAbs(va)) {
					t.Errorf("%s t=%g: isotropic x=%.15g v=%.15g, matrix x=%.15g v=%.15g", s.name, tm, a[k], va[k], b[k], vb[k])
				}
			}
		}
	}
}

func TestExpmMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 3, 5, 7} {
		z := make([]float64, n*n)
		for i := range z {
			z[i] = 3 * rng.NormFloat64()
		}
		for _, tm := range []float64{0.01, 0.4, 1, 2.5} {
			got, pow, tmp := make([]float64, n*n), make([]float64, n*n), make([]float64, n*n)
			expm(got, z, tm, n, pow, tmp)
			var sz mat.Dense
			sz.Scale(tm, mat.NewDense(n, n, append([]float64(nil), z...)))
			var want mat.Dense
			want.Exp(&sz)
			sc := mat.Norm(&want, math.Inf(1))
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					if math.Abs(got[i*n+j]-want.At(i, j)) > 1e-12*sc {
						t.Errorf("n=%d t=%g: exp[%d,%d] = %.15g, gonum %.15g", n, tm, i, j, got[i*n+j], want.At(i, j))
					}
				}
			}
		}
	}
}

// simpson integrates L along p with composite Simpson's rule on many
// intervals: an independent check of the Gauss–Legendre action.
func simpson(p Pather, L func(t float64, x, v []float64) float64, x0, x1 []float64) float64 {
	const n = 2000
	d := len(x0)
	xt, vt := make([]float64, d), make([]float64, d)
	var s float64
	for k := 0; k <= n; k++ {
		tm := float64(k) / n
		if err := p.Path(xt, vt, tm, x0, x1); err != nil {
			panic(err)
		}
		w := 2.0
		switch {
		case k == 0 || k == n:
			w = 1
		case k%2 == 1:
			w = 4
		}
		s += w * L(tm, xt, vt)
	}
	return s / (3 * n)
}

func canonicalL(alpha float64, c []float64) func(t float64, x, v []float64) float64 {
	return func(t float64, x, v []float64) float64 {
		var s float64
		for i := range x {
			s += 0.5*v[i]*v[i] + 0.5*alpha*x[i]*x[i]
			if c != nil {
				s += c[i] * x[i]
			}
		}
		return s
	}
}

func TestActionClosedFormAndQuadrature(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	w := math.Pi / 2
	tests := []struct {
		name  string
		d     int
		alpha float64
		c     []float64
		exact func(x0, x1 []float64) float64 // textbook formula, nil if none
	}{
		{"straight", 3, 0, nil, func(x0, x1 []float64) float64 {
			var s float64
			for i := range x0 {
				s += 0.5 * (x1[i] - x0[i]) * (x1[i] - x0[i])
			}
			return s
		}},
		{"harmonic", 2, -w * w, nil, func(x0, x1 []float64) float64 {
			var n0, n1, dot float64
			for i := range x0 {
				n0, n1, dot = n0+x0[i]*x0[i], n1+x1[i]*x1[i], dot+x0[i]*x1[i]
			}
			return w / (2 * math.Sin(w)) * ((n0+n1)*math.Cos(w) - 2*dot)
		}},
		{"harmonic-3", 2, -9, nil, nil},
		{"inverted", 2, 1, nil, func(x0, x1 []float64) float64 {
			var n0, n1, dot float64
			for i := range x0 {
				n0, n1, dot = n0+x0[i]*x0[i], n1+x1[i]*x1[i], dot+x0[i]*x1[i]
			}
			return 1 / (2 * math.Sinh(1)) * ((n0+n1)*math.Cosh(1) - 2*dot)
		}},
		{"gravity", 2, 0, []float64{0, -2}, nil},
		{"harmonic+force", 2, -1.7, []float64{0.3, -1}, nil},
		{"inverted+force", 3, 0.8, []float64{0.3, -1, 2}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewIsotropic(tc.d, tc.alpha, 0, tc.c)
			if err != nil {
				t.Fatal(err)
			}
			L := canonicalL(tc.alpha, tc.c)
			work := make([]float64, 2*tc.d)
			for trial := 0; trial < 3; trial++ {
				x0, x1 := randVec(rng, tc.d), randVec(rng, tc.d)
				closed, err := p.CanonicalAction(x0, x1)
				if err != nil {
					t.Fatal(err)
				}
				gl, err := Action(p, L, x0, x1, work)
				if err != nil {
					t.Fatal(err)
				}
				sim := simpson(p, L, x0, x1)
				sc := 1 + math.Abs(closed)
				if math.Abs(closed-gl) > 1e-12*sc {
					t.Errorf("closed form %.15g, Gauss–Legendre %.15g", closed, gl)
				}
				if math.Abs(closed-sim) > 1e-9*sc {
					t.Errorf("closed form %.15g, Simpson %.15g", closed, sim)
				}
				if tc.exact != nil {
					if e := tc.exact(x0, x1); math.Abs(closed-e) > 1e-12*sc {
						t.Errorf("closed form %.15g, textbook formula %.15g", closed, e)
					}
				}
			}
		})
	}
}

// TestActionQuadratureDamped checks the quadrature on a time-dependent
// Lagrangian (Caldirola–Kanai, ẍ = −w²x − g ẋ) against Simpson's rule.
func TestActionQuadratureDamped(t *testing.T) {
	const g, w = 0.5, 1.0
	p, err := NewIsotropic(2, -w*w, -g, nil)
	if err != nil {
		t.Fatal(err)
	}
	L := func(t float64, x, v []float64) float64 {
		var s float64
		for i := range x {
			s += 0.5*v[i]*v[i] - 0.5*w*w*x[i]*x[i]
		}
		return math.Exp(g*t) * s
	}
	x0, x1 := []float64{1, -0.5}, []float64{0.3, 2}
	gl, err := Action(p, L, x0, x1, make([]float64, 4))
	if err != nil {
		t.Fatal(err)
	}
	if sim := simpson(p, L, x0, x1); math.Abs(gl-sim) > 1e-10*(1+math.Abs(sim)) {
		t.Errorf("Gauss–Legendre %.15g, Simpson %.15g", gl, sim)
	}
	if _, err := p.CanonicalAction(x0, x1); err == nil {
		t.Error("CanonicalAction accepted β ≠ 0")
	}
}

func TestConjugatePoints(t *testing.T) {
	tests := []struct {
		name string
		p    func() (Pather, error)
		want string // substring of the error, "" for none
	}{
		{"harmonic 3.5", iso(2, -3.5*3.5, 0, nil), "harmonic with ω = 3.5 ≥ π"},
		{"harmonic π", iso(1, -math.Pi*math.Pi, 0, nil), "conjugate point at t = π/ω = 1"},
		{"harmonic 3.1", iso(2, -3.1*3.1, 0, nil), ""},
		{"damped 3.5", iso(2, -3.5*3.5-1, -2, nil), "conjugate point"},
		{"matrix harmonic 3.5", func() (Pather, error) { return NewLinear(2, diag(2, -3.5*3.5), nil, nil) }, "conjugate point at t = 0.897598"},
		{"matrix harmonic π", func() (Pather, error) { return NewLinear(2, diag(2, -math.Pi*math.Pi), nil, nil) }, "conjugate point"},
		{"matrix harmonic 3.1", func() (Pather, error) { return NewLinear(2, diag(2, -3.1*3.1), nil, nil) }, ""},
		{"anisotropic 3.5", func() (Pather, error) { return NewLinear(2, []float64{-1, 0, 0, -3.5 * 3.5}, nil, nil) }, "conjugate point at t = 0.897598"},
		{"magnetic 7", func() (Pather, error) { return NewLinear(2, nil, []float64{0, 7, -7, 0}, nil) }, "conjugate point at t = 0.897598"},
		{"magnetic 6", func() (Pather, error) { return NewLinear(2, nil, []float64{0, 6, -6, 0}, nil) }, ""},
		{"inverted 10", func() (Pather, error) { return NewLinear(2, diag(2, 100), nil, nil) }, ""},
	}
	for _, tc := range tests {
		p, err := tc.p()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		x := []float64{1, 2}[:p.(interface{ Dim() int }).Dim()]
		xt := make([]float64, len(x))
		err = p.Path(xt, nil, 0.5, x, x)
		_, errA := Action(p, func(float64, []float64, []float64) float64 { return 0 }, x, x, make([]float64, 4))
		switch {
		case tc.want == "" && (err != nil || errA != nil):
			t.Errorf("%s: Path error %v, Action error %v; want none", tc.name, err, errA)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || errA == nil):
			t.Errorf("%s: Path error %v, Action error %v; want one containing %q", tc.name, err, errA, tc.want)
		}
	}
}

func TestInvalidInput(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"d = 0", second(NewIsotropic(0, 1, 0, nil))},
		{"short c", second(NewIsotropic(2, 1, 0, []float64{1}))},
		{"NaN α", second(NewIsotropic(2, math.NaN(), 0, nil))},
		{"matrix d = 0", second(NewLinear(0, nil, nil, nil))},
		{"matrix short A", second(NewLinear(2, []float64{1}, nil, nil))},
		{"matrix Inf c", second(NewLinear(1, nil, nil, []float64{math.Inf(1)}))},
	}
	for _, tc := range tests {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	p, _ := NewIsotropic(2, 0, 0, nil)
	if err := p.Path(make([]float64, 1), nil, 0.5, []float64{1, 2}, []float64{1, 2}); err == nil {
		t.Error("Path accepted a short xt")
	}
	if _, err := Action(p, canonicalL(0, nil), []float64{1, 2}, []float64{1, 2}, make([]float64, 3)); err == nil {
		t.Error("Action accepted a short work buffer")
	}
}

func second[T any](_ T, err error) error { return err }

func TestPathDoesNotAllocate(t *testing.T) {
	iso, _ := NewIsotropic(3, -2, -0.1, []float64{1, 2, 3})
	lin, _ := NewLinear(3, diag(3, -2), diag(3, 0.3), []float64{1, 2, 3})
	x0, x1, xt, vt := []float64{1, 2, 3}, []float64{3, 2, 1}, make([]float64, 3), make([]float64, 3)
	work := make([]float64, 6)
	L := canonicalL(-2, nil)
	for _, p := range []Pather{iso, lin} {
		n := testing.AllocsPerRun(20, func() {
			_ = p.Path(xt, vt, 0.3, x0, x1)
			_, _ = Action(p, L, x0, x1, work)
		})
		if n != 0 {
			t.Errorf("%T: %v allocations per Path+Action", p, n)
		}
	}
}

func TestKinds(t *testing.T) {
	tests := []struct {
		alpha, beta float64
		c           []float64
		want        Kind
	}{
		{0, 0, nil, Straight}, {0, 0, []float64{0, 0}, Straight}, {0, 0, []float64{0, 1}, ConstantForce},
		{-1, 0, nil, Harmonic}, {1, 0, nil, Inverted}, {-1, 0.1, nil, Damped}, {-1, 0, []float64{1, 0}, Damped},
	}
	for _, tc := range tests {
		p, err := NewIsotropic(2, tc.alpha, tc.beta, tc.c)
		if err != nil {
			t.Fatal(err)
		}
		if p.Kind() != tc.want {
			t.Errorf("α=%g β=%g c=%v: kind %v, want %v", tc.alpha, tc.beta, tc.c, p.Kind(), tc.want)
		}
	}
	if s := fmt.Sprint(Matrix); s != "linear (matrix exponential)" {
		t.Errorf("Matrix.String() = %q", s)
	}
}

func BenchmarkPath(b *testing.B) {
	iso, _ := NewIsotropic(64, -2, 0, nil)
	inv, _ := NewIsotropic(64, 4, 0, nil)
	lin, _ := NewLinear(2, nil, []float64{0, 1, -1, 0}, nil)
	for _, tc := range []struct {
		name string
		p    Pather
		d    int
	}{{"isotropic/d=64", iso, 64}, {"inverted/d=64", inv, 64}, {"matrix/d=2", lin, 2}} {
		b.Run(tc.name, func(b *testing.B) {
			x0, x1, xt, vt := make([]float64, tc.d), make([]float64, tc.d), make([]float64, tc.d), make([]float64, tc.d)
			for i := range x0 {
				x0[i], x1[i] = float64(i), 1-float64(i)
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_ = tc.p.Path(xt, vt, 0.3, x0, x1)
			}
		})
	}
}
