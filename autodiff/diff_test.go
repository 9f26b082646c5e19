package autodiff

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// builders of test expressions over x, v (vectors) and t, k (scalars).
var testExprs = []struct {
	name  string
	build func(g *Graph, x, v, t, k *Node) *Node
}{
	{"kinetic", func(g *Graph, x, v, t, k *Node) *Node {
		return g.Mul(g.Const(0.5), g.Pow(g.Norm(v), g.Const(2)))
	}},
	{"harmonic", func(g *Graph, x, v, t, k *Node) *Node {
		return g.Sub(g.Mul(g.Const(0.5), g.Pow(g.Norm(v), g.Const(2))),
			g.Mul(g.Mul(g.Const(0.5), g.Pow(k, g.Const(2))), g.Pow(g.Norm(x), g.Const(2))))
	}},
	{"bump", func(g *Graph, x, v, t, k *Node) *Node {
		c := g.VecLit(g.Const(0.3), g.Const(-0.2))
		r := g.Sub(x, c)
		return g.Sub(g.Mul(g.Const(0.5), g.Dot(v, v)),
			g.Mul(k, g.Func(OpExp, g.Neg(g.Div(g.Pow(g.Norm(r), g.Const(2)), g.Const(0.7))))))
	}},
	{"conformal", func(g *Graph, x, v, t, k *Node) *Node {
		return g.Mul(g.Mul(g.Const(0.5), g.Add(g.Const(1), g.Dot(x, x))), g.Pow(g.Norm(v), g.Const(2)))
	}},
	{"magnetic", func(g *Graph, x, v, t, k *Node) *Node {
		ang := g.Sub(g.Mul(g.Index(x, 0), g.Index(v, 1)), g.Mul(g.Index(x, 1), g.Index(v, 0)))
		return g.Add(g.Mul(g.Const(0.5), g.Dot(v, v)), g.Mul(g.Div(k, g.Const(2)), ang))
	}},
	{"damped", func(g *Graph, x, v, t, k *Node) *Node {
		return g.Mul(g.Func(OpExp, g.Mul(k, t)), g.Sub(g.Mul(g.Const(0.5), g.Dot(v, v)), g.Mul(g.Const(0.5), g.Dot(x, x))))
	}},
	{"elementwise", func(g *Graph, x, v, t, k *Node) *Node {
		// sum(sin(x)*v^2/(2+cos(x))) + tanh(t)*|x|*|v| + sum(sqrt(1+x^2))
		num := g.Mul(g.Func(OpSin, x), g.Pow(v, g.Const(2)))
		den := g.Add(g.Const(2), g.Func(OpCos, x))
		e := g.Sum(g.Div(num, den))
		e = g.Add(e, g.Mul(g.Func(OpTanh, t), g.Mul(g.Norm(x), g.Norm(v))))
		e = g.Add(e, g.Sum(g.Func(OpSqrt, g.Add(g.Const(1), g.Pow(x, g.Const(2))))))
		return g.Add(e, g.Mul(g.Func(OpLog, g.Add(g.Const(2), g.Func(OpSinh, k))), g.Func(OpCosh, g.Index(x, 1))))
	}},
	{"relativistic", func(g *Graph, x, v, t, k *Node) *Node {
		return g.Neg(g.Func(OpSqrt, g.Sub(g.Const(1), g.Dot(v, v))))
	}},
	{"vecpow", func(g *Graph, x, v, t, k *Node) *Node {
		return g.Add(g.Sum(g.Pow(g.Add(g.Const(2), g.Func(OpTan, g.Mul(g.Const(0.1), x))), v)), g.Dot(g.Fill(k), g.Mul(x, v)))
	}},
}

type evaluator struct {
	m              *Machine
	sx, sv, st, sk int
}

func newEval(d int, outs ...*Node) *evaluator {
	p := Compile(outs...)
	return &evaluator{m: p.NewMachine(d), sx: p.VectorInput("x"), sv: p.VectorInput("v"),
		st: p.ScalarInput("t"), sk: p.ScalarInput("k")}
}

func (e *evaluator) run(x, v []float64, t, k float64) {
	e.m.SetVector(e.sx, x)
	e.m.SetVector(e.sv, v)
	e.m.SetScalar(e.st, t)
	e.m.SetScalar(e.sk, k)
	e.m.Run()
}

func randVec(rng *rand.Rand, d int, scale float64) []float64 {
	x := make([]float64, d)
	for i := range x {
		x[i] = scale * (2*rng.Float64() - 1)
	}
	return x
}

// TestDerivativesMatchFiniteDifferences checks Grad, JVP and Deriv against
// central finite differences of the compiled expression itself.
func TestDerivativesMatchFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range testExprs {
		for _, d := range []int{2, 3, 5} {
			t.Run(fmt.Sprintf("%s/d=%d", tc.name, d), func(t *testing.T) {
				g := NewGraph()
				x, v, tt, k := g.VecVar("x"), g.VecVar("v"), g.Var("t"), g.Var("k")
				L := tc.build(g, x, v, tt, k)
				gx, gv := g.Grad(L, x), g.Grad(L, v)
				dir := g.VecVar("w")
				jx := g.JVP(L, map[*Node]*Node{x: dir, v: g.Mul(g.Const(0.5), dir)})
				dt := g.Deriv(L, tt)
				// Second order: M·w = JVP of ∂L/∂v along v.
				mw := g.JVP(gv, map[*Node]*Node{v: dir})
				p := Compile(L, gx, gv, jx, dt, mw)
				m := p.NewMachine(d)
				sx, sv, sw := p.VectorInput("x"), p.VectorInput("v"), p.VectorInput("w")
				st, sk := p.ScalarInput("t"), p.ScalarInput("k")
				for trial := 0; trial < 5; trial++ {
					x0, v0, w0 := randVec(rng, d, 1), randVec(rng, d, 0.5), randVec(rng, d, 1)
					t0, k0 := rng.Float64(), 0.5+rng.Float64()
					eval := func(x, v []float64, t float64) float64 {
						m.SetVector(sx, x)
						m.SetVector(sv, v)
						m.SetVector(sw, w0)
						m.SetScalar(st, t)
						m.SetScalar(sk, k0)
						m.Run()
						return m.Scalar(0)
					}
					wantGx := make([]float64, d)
					fd.Gradient(wantGx, func(y []float64) float64 { return eval(y, v0, t0) }, x0, &fd.Settings{Formula: fd.Central})
					wantGv := make([]float64, d)
					fd.Gradient(wantGv, func(y []float64) float64 { return eval(x0, y, t0) }, v0, &fd.Settings{Formula: fd.Central})
					wantDt := fd.Derivative(func(s float64) float64 { return eval(x0, v0, s) }, t0, &fd.Settings{Formula: fd.Central})
					wantJ := fd.Derivative(func(e float64) float64 {
						xe, ve := make([]float64, d), make([]float64, d)
						for i := range xe {
							xe[i] = x0[i] + e*w0[i]
							ve[i] = v0[i] + 0.5*e*w0[i]
						}
						return eval(xe, ve, t0)
					}, 0, &fd.Settings{Formula: fd.Central})
					// M·w by differences of the symbolic gradient (first order
					// FD of a verified first derivative).
					gvAt := func(vv []float64) []float64 {
						eval(x0, vv, t0)
						return append([]float64(nil), m.Vector(2)...)
					}
					h := 1e-6
					vp, vm := make([]float64, d), make([]float64, d)
					for i := range vp {
						vp[i] = v0[i] + h*w0[i]
						vm[i] = v0[i] - h*w0[i]
					}
					gp, gm := gvAt(vp), gvAt(vm)
					wantMw := make([]float64, d)
					for i := range wantMw {
						wantMw[i] = (gp[i] - gm[i]) / (2 * h)
					}

					eval(x0, v0, t0)
					checkVec(t, "∂L/∂x", m.Vector(1), wantGx, 1e-6)
					checkVec(t, "∂L/∂v", m.Vector(2), wantGv, 1e-6)
					checkVec(t, "JVP", []float64{m.Scalar(3)}, []float64{wantJ}, 1e-6)
					checkVec(t, "∂L/∂t", []float64{m.Scalar(4)}, []float64{wantDt}, 1e-6)
					checkVec(t, "M·w", m.Vector(5), wantMw, 1e-5)
				}
			})
		}
	}
}

func checkVec(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	for i := range want {
		if math.IsNaN(got[i]) || math.Abs(got[i]-want[i]) > tol*(1+math.Abs(want[i])) {
			t.Errorf("%s[%d] = %.12g, want %.12g (finite differences)", what, i, got[i], want[i])
		}
	}
}

// TestSimplifyPreservesValues builds every expression and its derivatives in
// a simplifying graph and a non-simplifying one and compares values.
func TestSimplifyPreservesValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const d = 3
	var total [2]int
	for _, tc := range testExprs {
		vals := make([][]float64, 2)
		sizes := make([]int, 2)
		x0, v0 := randVec(rng, d, 1), randVec(rng, d, 0.5)
		for i, simplify := range []bool{true, false} {
			g := NewGraph()
			g.DisableSimplify = !simplify
			x, v, tt, k := g.VecVar("x"), g.VecVar("v"), g.Var("t"), g.Var("k")
			L := tc.build(g, x, v, tt, k)
			gx, gv := g.Grad(L, x), g.Grad(L, v)
			e := newEval(d, L, gx, gv)
			e.run(x0, v0, 0.3, 0.9)
			vals[i] = append([]float64{e.m.Scalar(0)}, e.m.Vector(1)...)
			vals[i] = append(vals[i], e.m.Vector(2)...)
			sizes[i] = e.m.p.Len()
		}
		for j := range vals[0] {
			a, b := vals[0][j], vals[1][j]
			if math.Abs(a-b) > 1e-12*(1+math.Abs(b)) {
				t.Errorf("%s: value %d simplified %.15g, unsimplified %.15g", tc.name, j, a, b)
			}
		}
		total[0] += sizes[0]
		total[1] += sizes[1]
	}
	// Simplification may trade one instruction for another in a single
	// expression, but across the set it must pay.
	if total[0] >= total[1] {
		t.Errorf("simplified programs total %d instructions, unsimplified %d", total[0], total[1])
	}
	t.Logf("instructions: simplified %d, unsimplified %d", total[0], total[1])
}

func TestHashConsing(t *testing.T) {
	g := NewGraph()
	x := g.VecVar("x")
	a := g.Func(OpSin, g.Dot(x, x))
	b := g.Func(OpSin, g.Dot(x, x))
	if a != b {
		t.Fatal("equal expressions are different nodes")
	}
	if g.Add(g.Var("t"), g.Var("k")) != g.Add(g.Var("k"), g.Var("t")) {
		t.Fatal("t+k and k+t are different nodes")
	}
	// ∇|x|² is the single node 2*x.
	gr := g.Grad(g.Pow(g.Norm(x), g.Const(2)), x)
	if gr != g.Mul(g.Const(2), x) {
		t.Fatalf("∇|x|² is not the node 2*x (op %v)", gr.Op())
	}
}
