package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"github.com/lagc-dev/lagc/runtime/nn"
)

// TestJVPBackwardFD checks the parameter gradient of Σ c⊙(J·u) + Σ r⊙y
// against central differences of the same loss evaluated by Forward and JVP
// (exact forward mode, so the only error is the finite difference's).
func TestJVPBackwardFD(t *testing.T) {
	for _, act := range activations {
		for _, sh := range shapes {
			t.Run(fmt.Sprintf("%v/%v", act, sh.sizes), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(13, uint64(act)))
				net, _ := nn.NewMLP(sh.sizes, act, rng)
				ws, err := net.NewWorkspace(sh.batch, &nn.WorkspaceSettings{Shards: sh.shards, SecondOrder: true})
				if err != nil {
					t.Fatal(err)
				}
				in := randSlice(rng, sh.batch*net.In())
				dir := randSlice(rng, len(in))
				c := randSlice(rng, sh.batch*net.Out())
				r := randSlice(rng, sh.batch*net.Out())
				jvp := make([]float64, len(c))
				loss := func() float64 {
					out, err := net.Forward(ws, in, sh.batch)
					if err != nil {
						t.Fatal(err)
					}
					var s float64
					for i, o := range out {
						s += r[i] * o
					}
					if err := net.JVP(jvp, ws, dir); err != nil {
						t.Fatal(err)
					}
					for i, j := range jvp {
						s += c[i] * j
					}
					return s
				}
				params := net.Params()
				want := make([]float64, len(params))
				fd.Gradient(want, func(p []float64) float64 {
					copy(params, p)
					return loss()
				}, append([]float64(nil), params...), &fd.Settings{Formula: fd.Central, Step: 1e-6})
				loss()
				got := make([]float64, len(params))
				if err := net.JVPBackward(got, ws, r, c); err != nil {
					t.Fatal(err)
				}
				compare(t, "gradient", got, want, 2e-6)
				// Without the value term, against the plain Backward-free part.
				if err := net.JVPBackward(got, ws, nil, c); err != nil {
					t.Fatal(err)
				}
				plain := make([]float64, len(params))
				if err := net.Backward(plain, ws, r); err != nil {
					t.Fatal(err)
				}
				for i := range got {
					got[i] += plain[i]
				}
				compare(t, "gradient split", got, want, 2e-6)
			})
		}
	}
}

// TestActionMatchingGradient is the use JVPBackward was made for: for a
// scalar s(x, t), the θ-gradient of ½|∇ₓs|² + ∂ₜs equals JVPBackward along
// u = (∇ₓs, 1). Checked against finite differences of that objective
// computed with BackwardInput.
func TestActionMatchingGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	net, _ := nn.NewMLP([]int{3, 16, 16, 1}, nn.SiLU, rng)
	const batch = 10
	ws, _ := net.NewWorkspace(batch, &nn.WorkspaceSettings{SecondOrder: true})
	in := randSlice(rng, batch*3)
	ones := make([]float64, batch)
	for i := range ones {
		ones[i] = 1
	}
	gin := make([]float64, batch*3)
	objective := func() float64 {
		if _, err := net.Forward(ws, in, batch); err != nil {
			t.Fatal(err)
		}
		if err := net.BackwardInput(nil, gin, ws, ones); err != nil {
			t.Fatal(err)
		}
		var s float64
		for r := range batch {
			gx, gy, gt := gin[3*r], gin[3*r+1], gin[3*r+2]
			s += 0.5*(gx*gx+gy*gy) + gt
		}
		return s
	}
	params := net.Params()
	want := make([]float64, len(params))
	fd.Gradient(want, func(p []float64) float64 {
		copy(params, p)
		return objective()
	}, append([]float64(nil), params...), &fd.Settings{Formula: fd.Central, Step: 1e-6})

	objective()
	u := make([]float64, len(gin))
	for r := range batch {
		u[3*r], u[3*r+1], u[3*r+2] = gin[3*r], gin[3*r+1], 1
	}
	jvp := make([]float64, batch)
	if err := net.JVP(jvp, ws, u); err != nil {
		t.Fatal(err)
	}
	got := make([]float64, len(params))
	if err := net.JVPBackward(got, ws, nil, ones); err != nil {
		t.Fatal(err)
	}
	compare(t, "gradient", got, want, 2e-6)
	if math.Abs(got[0]) == 0 {
		t.Error("zero gradient: test proves nothing")
	}
}

func TestJVPBackwardErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	net, _ := nn.NewMLP([]int{2, 8, 1}, nn.Tanh, rng)
	plain, _ := net.NewWorkspace(4, nil)
	ws, _ := net.NewWorkspace(4, &nn.WorkspaceSettings{SecondOrder: true})
	grad := make([]float64, net.NumParams())
	g := make([]float64, 4)
	net.Forward(plain, make([]float64, 8), 4)
	net.Forward(ws, make([]float64, 8), 4)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"not second order", net.JVPBackward(grad, plain, nil, g), "SecondOrder"},
		{"no JVP", net.JVPBackward(grad, ws, nil, g), "then JVP"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, tc.err, tc.want)
		}
	}
	net.JVP(g, ws, make([]float64, 8))
	if err := net.JVPBackward(grad, ws, nil, g[:3]); err == nil || !strings.Contains(err.Error(), "want batch 4") {
		t.Errorf("short gradient: error %v", err)
	}
}
