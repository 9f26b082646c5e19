package am_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/am"
	"github.com/lagc-dev/lagc/runtime/nn"
)

// The loss of one batch and its gradient: the boundary terms at t = 0 and
// 1 and the interior term at the interpolated points.
func ExampleLoss_Eval() {
	net, _ := nn.NewMLP([]int{3, 16, 16, 1}, nn.SiLU, rand.New(rand.NewPCG(1, 1)))
	loss, err := am.NewLoss(net, 2, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	x0 := []float64{0, 0, 1, 1}          // two points of p0
	x1 := []float64{2, 0, 3, 1}          // two points of p1
	in := []float64{1, 0, 0.5, 2, 1, .5} // two points of p_t and their times
	grad := make([]float64, net.NumParams())
	l, err := loss.Eval(grad, x0, x1, in, 2)
	fmt.Println(err == nil, l != 0, len(grad))
	// Output: true true 353
}

// Sampling integrates the gradient field of the potential.
func ExampleSample() {
	net, _ := nn.NewMLP([]int{3, 16, 1}, nn.Tanh, rand.New(rand.NewPCG(1, 1)))
	res, err := am.Sample(net, []float64{0, 0, 1, 1}, 2, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(res.X), "coordinates, NFE", res.NFE)
	// Output: 4 coordinates, NFE 80
}
