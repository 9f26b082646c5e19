package eulerlag

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/autodiff"
)

type graphCase struct {
	name  string
	dims  []int
	scal  bool // M = m·I is expected to be recognised
	build func(g *autodiff.Graph, x, v, t *autodiff.Node) *autodiff.Node
	// hand is the hand-derived acceleration, or nil.
	hand func(dst []float64, t float64, x, v []float64)
}

func half(g *autodiff.Graph, e *autodiff.Node) *autodiff.Node { return g.Mul(g.Const(0.5), e) }

var graphCases = []graphCase{
	{name: "harmonic", dims: []int{1, 2, 5}, scal: true,
		build: func(g *autodiff.Graph, x, v, t *autodiff.Node) *autodiff.Node {
			w := g.Var("w")
			return g.Sub(half(g, g.Pow(g.Norm(v), g.Const(2))), half(g, g.Mul(g.Pow(w, g.Const(2)), g.Pow(g.Norm(x), g.Const(2)))))
		},
		hand: func(dst []float64, t float64, x, v []float64) {
			for i := range x {
				dst[i] = -1.3 * 1.3 * x[i]
			}
		}},
	{name: "bump", dims: []int{1, 2, 5}, scal: true,
		build: func(g *autodiff.Graph, x, v, t *autodiff.Node) *autodiff.Node {
			r2 := g.Dot(x, x)
			return g.Sub(half(g, g.Dot(v, v)), g.Mul(g.Const(2), g.Func(autodiff.OpExp, g.Neg(r2))))
		},
		hand: func(dst []float64, t float64, x, v []float64) {
			var r2 float64
			for _, xi := range x {
				r2 += xi * xi
			}
			for i := range x {
				dst[i] = 4 * x[i] * math.Exp(-r2) // a = −∇U, U = 2exp(−r²)
			}
		}},
	{name: "conformal", dims: []int{1, 2, 5}, scal: true,
		build: func(g *autodiff.Graph, x, v, t *autodiff.Node) *autodiff.Node {
			return half(g, g.Mul(g.Add(g.Const(1), g.Pow(g.Norm(x), g.Const(2))), g.Pow(g.Norm(v), g.Const(2))))
		},
		hand: func(dst []float64, t float64, x, v []float64) {
			// m = 1+|x|²: m a = ½|v|²∇m − (∇m·v) v = |v|² x − 2(x·v) v
			var xx, vv, xv float64
			for i := range x {
				xx += x[i] * x[i]
				vv += v[i] * v[i]
				xv += x[i] * v[i]
			}
			for i := range x {
				dst[i] = (vv*x[i] - 2*xv*v[i]) / (1 + xx)
			}
		}},
	{name: "magnetic", dims: []int{2}, scal: true,
		build: func(g *autodiff.Graph, x, v, t *autodiff.Node) *autodiff.Node {
			ang := g.Sub(g.Mul(g.Index(x, 0), g.Index(v, 1)), g.Mul(g.Index(x, 1), g.Index(v, 0)))
			return g.Add(half(g, g.Dot(v, v)), g.Mul(g.Div(g.Const(0.8), g.Const(2)), ang))
		},
		hand: func(dst []float64, t float64, x, v []float64) {
			dst[0], dst[1] = 0.8*v[1], -0.8*v[0]
		}},
	{name: "damped", dims: []int{1, 2, 5}, scal: true,
		build: func(g *autodiff.Graph, x, v, t *autodiff.Node) *autodiff.Node {
			e := g.Func(autodiff.OpExp, g.Mul(g.Const(0.3), t))
			return g.Mul(e, g.Sub(half(g, g.Dot(v, v)), half(g, g.Dot(x, x))))
		},
		hand: func(dst []float64, t float64, x, v []float64) {
			for i := range x {
				dst[i] = -x[i] - 0.3*v[i]
			}
		}},
	{name: "relativistic", dims: []int{1, 2, 5}, scal: false,
		build: func(g *autodiff.Graph, x, v, t *autodiff.Node) *autodiff.Node {
			// −√(1−|v|²) − ½|x|²: M = γI + γ³vvᵀ, not a multiple of I.
			return g.Sub(g.Neg(g.Func(autodiff.OpSqrt, g.Sub(g.Const(1), g.Dot(v, v)))), half(g, g.Dot(x, x)))
		},
		hand: func(dst []float64, t float64, x, v []float64) {
			// d/dt(γv) = −x  ⇒  a = −(x − (x·v)v)/γ
			var vv, xv float64
			for i := range x {
				vv += v[i] * v[i]
				xv += x[i] * v[i]
			}
			g := 1 / math.Sqrt(1-vv)
			for i := range x {
				dst[i] = -(x[i] - xv*v[i]) / g
			}
		}},
	{name: "anisotropic-mass", dims: []int{2, 3}, scal: false,
		build: func(g *autodiff.Graph, x, v, t *autodiff.Node) *autodiff.Node {
			// ½ Σ (1+x_i²) v_i² + sin(t)·x·v − cos(x_0)
			m := g.Add(g.Const(1), g.Pow(x, g.Const(2)))
			k := half(g, g.Sum(g.Mul(m, g.Pow(v, g.Const(2)))))
			return g.Sub(g.Add(k, g.Mul(g.Func(autodiff.OpSin, t), g.Dot(x, v))), g.Func(autodiff.OpCos, g.Index(x, 0)))
		}},
}

func buildCase(tc graphCase) (*System, error) {
	g := autodiff.NewGraph()
	L := tc.build(g, g.VecVar("x"), g.VecVar("v"), g.Var("t"))
	return Derive(g, L, []Param{{Name: "w", Value: 1.3}})
}

func randVec(rng *rand.Rand, d int, s float64) []float64 {
	x := make([]float64, d)
	for i := range x {
		x[i] = s * (2*rng.Float64() - 1)
	}
	return x
}

func TestAccelMatchesHandAndFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range graphCases {
		sys, err := buildCase(tc)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := sys.Mass != nil; got != tc.scal {
			t.Errorf("%s: M = m·I recognised = %v, want %v", tc.name, got, tc.scal)
		}
		for _, d := range tc.dims {
			t.Run(fmt.Sprintf("%s/d=%d", tc.name, d), func(t *testing.T) {
				ev, err := sys.Evaluator(d)
				if err != nil {
					t.Fatal(err)
				}
				a, hand := make([]float64, d), make([]float64, d)
				for trial := 0; trial < 5; trial++ {
					x, v, tt := randVec(rng, d, 1), randVec(rng, d, 0.5), rng.Float64()
					if err := ev.AccelErr(a, tt, x, v); err != nil {
						t.Fatal(err)
					}
					if tc.hand != nil {
						tc.hand(hand, tt, x, v)
						closeVec(t, "a vs hand-derived", a, hand, 1e-12)
					}
					want, err := fdAccel(ev, tt, x, v)
					if err != nil {
						t.Fatal(err)
					}
					closeVec(t, "a vs finite differences of L", a, want, 1e-5)
				}
			})
		}
	}
}

func TestAccelJacMatchesFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, tc := range graphCases {
		sys, err := buildCase(tc)
		if err != nil {
			t.Fatal(err)
		}
		d := tc.dims[len(tc.dims)-1]
		ev, _ := sys.Evaluator(d)
		a, ax, av := make([]float64, d), make([]float64, d*d), make([]float64, d*d)
		x, v, tt := randVec(rng, d, 1), randVec(rng, d, 0.5), rng.Float64()
		ev.AccelJac(a, ax, av, tt, x, v)
		const h = 1e-6
		ap, am := make([]float64, d), make([]float64, d)
		for j := 0; j < d; j++ {
			for k, jac := range [][]float64{ax, av} {
				in := [][]float64{x, v}[k]
				in[j] += h
				ev.Accel(ap, tt, x, v)
				in[j] -= 2 * h
				ev.Accel(am, tt, x, v)
				in[j] += h
				col := make([]float64, d)
				want := make([]float64, d)
				for i := 0; i < d; i++ {
					col[i] = jac[i*d+j]
					want[i] = (ap[i] - am[i]) / (2 * h)
				}
				closeVec(t, fmt.Sprintf("%s ∂a/∂%c column %d", tc.name, "xv"[k], j), col, want, 1e-6)
			}
		}
	}
}

func TestDegenerateLagrangians(t *testing.T) {
	g := autodiff.NewGraph()
	x, v := g.VecVar("x"), g.VecVar("v")
	if _, err := Derive(g, g.Dot(x, v), nil); err == nil || !strings.Contains(err.Error(), "degenerate in v") {
		t.Errorf("L = x·v: err = %v, want a degeneracy error", err)
	}
	// L = −½|v|²: M = −I is not positive definite.
	sys, err := Derive(g, g.Neg(half(g, g.Dot(v, v))), nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := sys.Evaluator(2)
	a := make([]float64, 2)
	err = ev.AccelErr(a, 0, []float64{1, 2}, []float64{0, 0})
	if err == nil || !strings.Contains(err.Error(), "not positive definite") || !math.IsNaN(a[0]) {
		t.Errorf("L = −½|v|²: err = %v, a = %v; want a not-positive-definite error and NaN", err, a)
	}
	// L = ½(v·x)²: M = x xᵀ is singular in d = 2 (general-mass path).
	sys, err = Derive(g, half(g, g.Pow(g.Dot(v, x), g.Const(2))), nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ = sys.Evaluator(2)
	err = ev.AccelErr(a, 0, []float64{1, 2}, []float64{0.5, 0})
	if err == nil || !strings.Contains(err.Error(), "singular") {
		t.Errorf("L = ½(v·x)²: err = %v, want a singular-matrix error", err)
	}
}

func TestEvaluatorDimensions(t *testing.T) {
	sys, _ := buildCase(graphCases[0])
	sys.MinDim = 3
	if _, err := sys.Evaluator(2); err == nil {
		t.Error("d = 2 accepted below MinDim 3")
	}
	sys.Dim = 4
	if _, err := sys.Evaluator(5); err == nil {
		t.Error("d = 5 accepted with the dimension fixed to 4")
	}
	if _, err := sys.Evaluator(4); err != nil {
		t.Error(err)
	}
}

func TestAccelDoesNotAllocate(t *testing.T) {
	for _, i := range []int{1, 5} { // bump (scalar mass) and relativistic (general)
		sys, _ := buildCase(graphCases[i])
		ev, _ := sys.Evaluator(3)
		x, v, a := []float64{0.1, 0.2, 0.3}, []float64{0.1, -0.1, 0.2}, make([]float64, 3)
		ax, av := make([]float64, 9), make([]float64, 9)
		if n := testing.AllocsPerRun(50, func() { ev.Accel(a, 0.5, x, v); ev.AccelJac(a, ax, av, 0.5, x, v) }); n != 0 {
			t.Errorf("%s: %v allocations per Accel+AccelJac", graphCases[i].name, n)
		}
	}
}
