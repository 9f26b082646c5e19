package icnn

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkGradHessian(b *testing.B) {
	for _, d := range []int{2, 8, 32} {
		b.Run("d="+itoa(d), func(b *testing.B) {
			n, _ := New(d, &Settings{Hidden: []int{64, 64}}, rand.New(rand.NewPCG(1, 1)))
			ws := n.NewWorkspace()
			x := randPoint(rand.New(rand.NewPCG(2, 2)), d)
			g, H := make([]float64, d), make([]float64, d*d)
			b.ReportAllocs()
			for b.Loop() {
				n.grad(g, ws, x)
				n.hessian(H, ws)
			}
		})
	}
}

func BenchmarkParamGradMixed(b *testing.B) {
	d := 8
	n, _ := New(d, &Settings{Hidden: []int{64, 64}}, rand.New(rand.NewPCG(1, 1)))
	ws := n.NewWorkspace()
	rng := rand.New(rand.NewPCG(2, 2))
	x, u := randPoint(rng, d), randPoint(rng, d)
	grad := make([]float64, n.NumParams())
	b.ReportAllocs()
	for b.Loop() {
		n.grad(nil, ws, x)
		n.paramGrad(grad, ws, 1, u, 1)
	}
}

func itoa(i int) string {
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}
