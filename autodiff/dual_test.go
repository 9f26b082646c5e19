package autodiff

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestDualMatchesSymbolicJVP evaluates every test expression on dual
// numbers and compares the tangent with the symbolic forward mode: two
// independent implementations of the same derivative.
func TestDualMatchesSymbolicJVP(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tc := range testExprs {
		for _, d := range []int{2, 4} {
			t.Run(fmt.Sprintf("%s/d=%d", tc.name, d), func(t *testing.T) {
				g := NewGraph()
				x, v, tt, k := g.VecVar("x"), g.VecVar("v"), g.Var("t"), g.Var("k")
				L := tc.build(g, x, v, tt, k)
				dx, dv := g.VecVar("dx"), g.VecVar("dv")
				jvp := g.JVP(L, map[*Node]*Node{x: dx, v: dv, tt: g.Const(0.7)})
				sym := Compile(L, jvp)
				m := sym.NewMachine(d)
				dm := Compile(L).NewDualMachine(d)
				x0, v0 := randVec(rng, d, 1), randVec(rng, d, 0.5)
				x1, v1 := randVec(rng, d, 1), randVec(rng, d, 1)
				t0, k0 := rng.Float64(), 0.5+rng.Float64()
				m.SetVector(sym.VectorInput("x"), x0)
				m.SetVector(sym.VectorInput("v"), v0)
				m.SetVector(sym.VectorInput("dx"), x1)
				m.SetVector(sym.VectorInput("dv"), v1)
				m.SetScalar(sym.ScalarInput("t"), t0)
				m.SetScalar(sym.ScalarInput("k"), k0)
				m.Run()
				p := dm.p
				dm.SetVector(p.VectorInput("x"), x0, x1)
				dm.SetVector(p.VectorInput("v"), v0, v1)
				dm.SetScalar(p.ScalarInput("t"), Dual{t0, 0.7})
				dm.SetScalar(p.ScalarInput("k"), Dual{V: k0})
				dm.Run()
				got := dm.Scalar(0)
				checkVec(t, "value", []float64{got.V}, []float64{m.Scalar(0)}, 1e-13)
				checkVec(t, "tangent", []float64{got.D}, []float64{m.Scalar(1)}, 1e-12)
			})
		}
	}
}
