package icnn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

var shapes = []struct {
	name string
	d    int
	set  *Settings
}{
	{"1d", 1, &Settings{Hidden: []int{5}}},
	{"2d-deep", 2, &Settings{Hidden: []int{8, 6, 7}, Alpha: 0.1}},
	{"5d-lowrank", 5, &Settings{Hidden: []int{9, 4}, Rank: 2}},
	{"3d-noquad", 3, &Settings{Hidden: []int{6, 6}, Rank: -1}},
}

// randomNet perturbs the initial weights so that no term is trivially
// zero or one and the nonlinear part is not negligible.
func randomNet(t *testing.T, d int, set *Settings, seed uint64) *Network {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	n, err := New(d, set, rng)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n.params {
		n.params[i] += 0.5 * rng.NormFloat64()
	}
	n.Refresh()
	return n
}

func randPoint(rng *rand.Rand, d int) []float64 {
	x := make([]float64, d)
	for i := range x {
		x[i] = 1.5 * rng.NormFloat64()
	}
	return x
}

func TestGradHessianFD(t *testing.T) {
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			n := randomNet(t, sh.d, sh.set, 3)
			ws := n.NewWorkspace()
			rng := rand.New(rand.NewPCG(4, 4))
			d := sh.d
			for range 5 {
				x := randPoint(rng, d)
				g := make([]float64, d)
				if _, err := n.Grad(g, ws, x); err != nil {
					t.Fatal(err)
				}
				H := make([]float64, d*d)
				if err := n.Hessian(H, ws); err != nil {
					t.Fatal(err)
				}
				f := func(y []float64) float64 { v, _ := n.Value(n.NewWorkspace(), y); return v }
				gfd := fd.Gradient(nil, f, x, &fd.Settings{Formula: fd.Central, Step: 1e-5})
				for i := range d {
					if math.Abs(g[i]-gfd[i]) > 1e-6*(1+math.Abs(g[i])) {
						t.Errorf("∇Ψ[%d] = %.10g, finite differences %.10g", i, g[i], gfd[i])
					}
				}
				jac := mat.NewDense(d, d, nil)
				fd.Jacobian(jac, func(dst, y []float64) { n.Grad(dst, n.NewWorkspace(), y) }, x, &fd.JacobianSettings{Formula: fd.Central, Step: 1e-5})
				for i := range d {
					for j := range d {
						if math.Abs(H[i*d+j]-jac.At(i, j)) > 1e-6*(1+math.Abs(H[i*d+j])) {
							t.Errorf("∇²Ψ[%d,%d] = %.10g, finite differences of ∇Ψ %.10g", i, j, H[i*d+j], jac.At(i, j))
						}
					}
				}
			}
		})
	}
}

// TestConvex checks convexity two independent ways: the Hessian's smallest
// eigenvalue is at least α, and Ψ lies below its chords.
func TestConvex(t *testing.T) {
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			n := randomNet(t, sh.d, sh.set, 5)
			ws := n.NewWorkspace()
			rng := rand.New(rand.NewPCG(6, 6))
			d := sh.d
			H := make([]float64, d*d)
			for range 20 {
				x := randPoint(rng, d)
				n.Grad(nil, ws, x)
				n.Hessian(H, ws)
				var eig mat.EigenSym
				if !eig.Factorize(mat.NewSymDense(d, H), false) {
					t.Fatal("eigen-decomposition failed")
				}
				if lo := eig.Values(nil)[0]; lo < n.Alpha()*(1-1e-9) {
					t.Errorf("smallest Hessian eigenvalue %g < α = %g at %v", lo, n.Alpha(), x)
				}
				y := randPoint(rng, d)
				lam := rng.Float64()
				mid := make([]float64, d)
				for i := range mid {
					mid[i] = lam*x[i] + (1-lam)*y[i]
				}
				fx, _ := n.Value(ws, x)
				fy, _ := n.Value(ws, y)
				fm, _ := n.Value(ws, mid)
				if fm > lam*fx+(1-lam)*fy+1e-12 {
					t.Errorf("Ψ above its chord: Ψ(mid) = %g > %g", fm, lam*fx+(1-lam)*fy)
				}
			}
		})
	}
}

func TestParamGradFD(t *testing.T) {
	cases := []struct {
		name       string
		cPsi, cDir float64
	}{{"value", 1, 0}, {"mixed", 0, 1}, {"both", -0.7, 1.3}}
	for _, sh := range shapes {
		for _, c := range cases {
			t.Run(sh.name+"/"+c.name, func(t *testing.T) {
				n := randomNet(t, sh.d, sh.set, 7)
				rng := rand.New(rand.NewPCG(8, 8))
				x, u := randPoint(rng, sh.d), randPoint(rng, sh.d)
				ws := n.NewWorkspace()
				obj := func() float64 {
					g := make([]float64, sh.d)
					v, _ := n.Grad(g, ws, x)
					return c.cPsi*v + c.cDir*dot(g, u)
				}
				obj()
				grad := make([]float64, n.NumParams())
				grad[0] = 1 // ParamGrad adds to dst
				if err := n.ParamGrad(grad, ws, c.cPsi, u, c.cDir); err != nil {
					t.Fatal(err)
				}
				grad[0]--
				theta := append([]float64(nil), n.params...)
				want := fd.Gradient(nil, func(p []float64) float64 {
					copy(n.params, p)
					n.Refresh()
					return obj()
				}, theta, &fd.Settings{Formula: fd.Central, Step: 1e-6})
				for i := range grad {
					if math.Abs(grad[i]-want[i]) > 1e-6*(1+math.Abs(want[i])) {
						t.Errorf("∂/∂θ[%d] = %.10g, finite differences %.10g", i, grad[i], want[i])
					}
				}
			})
		}
	}
}

func TestErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, bad := range []struct {
		d   int
		set *Settings
	}{
		{0, nil}, {2, &Settings{Hidden: []int{}}}, {2, &Settings{Hidden: []int{0}}},
		{2, &Settings{Alpha: -1}}, {2, &Settings{Rank: 3}}, {2, &Settings{Alpha: math.Inf(1)}},
	} {
		if _, err := New(bad.d, bad.set, rng); err == nil {
			t.Errorf("New(%d, %+v): no error", bad.d, bad.set)
		}
	}
	if _, err := New(2, nil, nil); err == nil {
		t.Error("New with a nil rng: no error")
	}
	n, _ := New(2, nil, rng)
	ws := n.NewWorkspace()
	if err := n.Hessian(make([]float64, 4), ws); err == nil {
		t.Error("Hessian before Grad: no error")
	}
	if _, err := n.Grad(nil, ws, []float64{1}); err == nil {
		t.Error("Grad at a point of the wrong dimension: no error")
	}
	m, _ := New(3, nil, rng)
	if _, err := m.Grad(nil, ws, []float64{1, 2, 3}); err == nil {
		t.Error("Grad with another network's workspace: no error")
	}
}

// TestClone checks that a clone evaluates like the original and owns its
// parameters, with and without the quadratic term.
func TestClone(t *testing.T) {
	for _, sh := range shapes {
		n := randomNet(t, sh.d, sh.set, 9)
		c := n.Clone()
		x := randPoint(rand.New(rand.NewPCG(1, 9)), sh.d)
		v1, _ := n.Value(n.NewWorkspace(), x)
		v2, _ := c.Value(c.NewWorkspace(), x)
		if v1 != v2 || c.Rank() != n.Rank() {
			t.Errorf("%s: clone gives Ψ = %g (rank %d), original %g (rank %d)", sh.name, v2, c.Rank(), v1, n.Rank())
		}
		c.Params()[0]++
		if n.Params()[0] == c.Params()[0] {
			t.Errorf("%s: clone shares its parameters", sh.name)
		}
	}
}
