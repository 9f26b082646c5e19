package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/nn"
)

// A velocity field v_θ(x, t) for 2-D data: inputs (x₁, x₂, t), outputs
// (v₁, v₂).
func ExampleNewMLP() {
	rng := rand.New(rand.NewPCG(1, 2))
	net, err := nn.NewMLP([]int{3, 64, 64, 64, 2}, nn.SELU, rng)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(net.Sizes(), net.Activation(), net.NumParams(), "parameters")
	// Output: [3 64 64 64 2] selu 8706 parameters
}

func ExampleMLP_Forward() {
	net, _ := nn.NewMLP([]int{3, 16, 2}, nn.SiLU, rand.New(rand.NewPCG(1, 2)))
	ws, _ := net.NewWorkspace(256, nil) // reused for every batch of up to 256 rows
	in := []float64{                    // two rows of (x₁, x₂, t)
		0.1, -0.3, 0.0,
		1.2, 0.5, 0.7,
	}
	out, err := net.Forward(ws, in, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(out), "outputs: 2 rows × 2")
	// Output: 4 outputs: 2 rows × 2
}

// Predict evaluates any number of rows with a small workspace, here the
// velocity field at 1000 points, 256 at a time.
func ExampleMLP_Predict() {
	net, _ := nn.NewMLP([]int{3, 64, 2}, nn.SELU, rand.New(rand.NewPCG(1, 2)))
	ws, _ := net.NewWorkspace(256, nil)
	const n = 1000
	xt := make([]float64, n*3)
	v := make([]float64, n*2)
	if err := net.Predict(v, ws, xt, n); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(v), "velocity components")
	// Output: 2000 velocity components
}

// Backward gives the gradient of any loss from its gradient with respect to
// the outputs; here the loss is Σ outputs, so gradOut is all ones, and the
// last parameters, the output biases, get gradient batch = 2 each.
func ExampleMLP_Backward() {
	net, _ := nn.NewMLP([]int{3, 16, 2}, nn.Tanh, rand.New(rand.NewPCG(1, 2)))
	ws, _ := net.NewWorkspace(2, nil)
	if _, err := net.Forward(ws, []float64{0.1, -0.3, 0, 1.2, 0.5, 0.7}, 2); err != nil {
		fmt.Println(err)
		return
	}
	grad := make([]float64, net.NumParams())
	if err := net.Backward(grad, ws, []float64{1, 1, 1, 1}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(grad[len(grad)-2:])
	// Output: [2 2]
}

// A training loop: MSE regression, gradient clipping, AdamW, and an EMA of
// the weights for evaluation.
func ExampleAdam() {
	rng := rand.New(rand.NewPCG(3, 4))
	net, _ := nn.NewMLP([]int{1, 32, 1}, nn.SiLU, rng)
	ws, _ := net.NewWorkspace(32, nil)
	set := nn.DefaultAdamW()
	set.LR = 1e-2
	opt, _ := nn.NewAdam(net.NumParams(), &set)
	ema, _ := nn.NewEMA(net.Params(), 0.99)
	grad := make([]float64, net.NumParams())
	x, y := make([]float64, 32), make([]float64, 32)
	var first, last float64
	for step := range 500 {
		for i := range x {
			x[i] = 2*rng.Float64() - 1
			y[i] = x[i] * x[i]
		}
		loss, err := net.MSEGrad(grad, ws, x, y, len(x))
		if err != nil {
			fmt.Println(err)
			return
		}
		if step == 0 {
			first = loss
		}
		last = loss
		nn.ClipGradNorm(grad, 1)
		opt.Step(net.Params(), grad)
		ema.Update(net.Params())
	}
	fmt.Println("loss fell below 1% of its start:", last < first/100)
	// Output: loss fell below 1% of its start: true
}

func ExampleMLP_JVP() {
	// f(x) = 2x₁ − x₂ + 1 as a network with no hidden layer.
	net, _ := nn.NewMLP([]int{2, 1}, nn.Identity, rand.New(rand.NewPCG(1, 1)))
	copy(net.Params(), []float64{2, -1, 1})
	ws, _ := net.NewWorkspace(1, nil)
	net.Forward(ws, []float64{0.3, 0.4}, 1)
	d := make([]float64, 1)
	net.JVP(d, ws, []float64{1, 1}) // derivative along (1, 1)
	fmt.Println(d)
	// Output: [1]
}

func ExampleMLP_MarshalBinary() {
	net, _ := nn.NewMLP([]int{3, 8, 2}, nn.ReLU, rand.New(rand.NewPCG(1, 1)))
	data, _ := net.MarshalBinary()
	var restored nn.MLP
	if err := restored.UnmarshalBinary(data); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(restored.Sizes(), restored.Activation())
	err := restored.UnmarshalBinary(data[:len(data)-1])
	fmt.Println(err)
	// Output:
	// [3 8 2] relu
	// nn: checkpoint truncated: 464 bytes, header says 465
}

// The Action Matching gradient of ½|∇ₓs|² + ∂ₜs for a scalar network
// s(x, t): the input gradient gives u = (∇ₓs, 1), and JVPBackward
// differentiates J·u = |∇ₓs|² + ∂ₜs with u held fixed, which is exactly the
// objective's gradient.
func ExampleMLP_JVPBackward() {
	net, _ := nn.NewMLP([]int{3, 32, 32, 1}, nn.SiLU, rand.New(rand.NewPCG(1, 2)))
	const batch = 4
	ws, _ := net.NewWorkspace(batch, &nn.WorkspaceSettings{SecondOrder: true})
	xt := []float64{ // rows (x₁, x₂, t)
		0.1, 0.2, 0.3,
		-1, 0.5, 0.5,
		2, -1, 0.9,
		0, 0, 0.1,
	}
	ones := []float64{1, 1, 1, 1}
	grads := make([]float64, len(xt))
	net.Forward(ws, xt, batch)
	net.BackwardInput(nil, grads, ws, ones) // rows (∂s/∂x₁, ∂s/∂x₂, ∂s/∂t)
	u := make([]float64, len(xt))
	for r := range batch {
		u[3*r], u[3*r+1], u[3*r+2] = grads[3*r], grads[3*r+1], 1
	}
	jvp := make([]float64, batch)
	net.JVP(jvp, ws, u)
	grad := make([]float64, net.NumParams())
	if err := net.JVPBackward(grad, ws, nil, []float64{0.25, 0.25, 0.25, 0.25}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(grad), "parameter gradients of the batch-mean objective")
	// Output: 1217 parameter gradients of the batch-mean objective
}
