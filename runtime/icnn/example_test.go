package icnn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/icnn"
)

// A fresh network starts near Ψ(x) = ½|x|², so its gradient, the transport
// map ∇Ψ, starts near the identity.
func ExampleNew() {
	net, err := icnn.New(2, &icnn.Settings{Hidden: []int{16, 16}}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	ws := net.NewWorkspace()
	grad := make([]float64, 2)
	net.Grad(grad, ws, []float64{1, -2})
	fmt.Printf("%d parameters; ∇Ψ(1, -2) ≈ (%.1f, %.1f)\n", net.NumParams(), grad[0], grad[1])
	// Output: 374 parameters; ∇Ψ(1, -2) ≈ (1.0, -2.0)
}

// The Hessian at the point of the last Grad, for Newton steps.
func ExampleNetwork_Hessian() {
	net, _ := icnn.New(2, nil, rand.New(rand.NewPCG(1, 2)))
	ws := net.NewWorkspace()
	net.Grad(nil, ws, []float64{0.5, 0.5})
	H := make([]float64, 4)
	if err := net.Hessian(H, ws); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("symmetric: %v, positive diagonal: %v\n", H[1] == H[2], H[0] > 0 && H[3] > 0)
	// Output: symmetric: true, positive diagonal: true
}

// ParamGrad accumulates parameter gradients point by point: here of the
// mean of Ψ over two points.
func ExampleNetwork_ParamGrad() {
	net, _ := icnn.New(2, nil, rand.New(rand.NewPCG(1, 2)))
	ws := net.NewWorkspace()
	grad := make([]float64, net.NumParams())
	for _, x := range [][]float64{{1, 0}, {0, 1}} {
		net.Grad(nil, ws, x)
		net.ParamGrad(grad, ws, 0.5, nil, 0)
	}
	fmt.Println(len(grad), "partial derivatives")
	// Output: 4550 partial derivatives
}
