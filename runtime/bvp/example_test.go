package bvp_test

import (
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/bvp"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// obstacle is L = ½|v|² + 2·exp(−|x|²) in the plane: passing near the
// origin is expensive, so least-action paths bend around it.
type obstacle struct{}

func (obstacle) Dim() int { return 2 }
func (obstacle) L(t float64, x, v []float64) float64 {
	return 0.5*(v[0]*v[0]+v[1]*v[1]) + 2*math.Exp(-(x[0]*x[0]+x[1]*x[1]))
}

// Accel is ∇(2·exp(−|x|²)) = −4x·exp(−|x|²).
func (obstacle) Accel(dst []float64, t float64, x, v []float64) {
	g := -4 * math.Exp(-(x[0]*x[0] + x[1]*x[1]))
	dst[0], dst[1] = g*x[0], g*x[1]
}
func (o obstacle) Clone() lagrangian.System { return o }

func ExampleSolve() {
	p, err := bvp.Solve(obstacle{}, []float64{-2, 0.3}, []float64{2, 0.3}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	x, v := make([]float64, 2), make([]float64, 2)
	if err := p.At(x, v, 0.5); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("method %s, action %.8f\n", p.Method, p.Action)
	// The straight line passes at height 0.3; the path bends away to 0.40.
	fmt.Printf("height at t=½: %.6f, speed there: %.6f\n", x[1], math.Hypot(v[0], v[1]))
	// Output:
	// method collocation, action 8.77300854
	// height at t=½: 0.404850, speed there: 4.242029
}

func ExampleSolver() {
	// A Solver keeps its buffers: solving many pairs does not allocate.
	s, err := bvp.NewSolver(obstacle{}, &bvp.Settings{Tol: 1e-10})
	if err != nil {
		fmt.Println(err)
		return
	}
	var p bvp.Path
	for _, y := range []float64{0.3, 1, 3} {
		if err := s.Solve(&p, []float64{-2, y}, []float64{2, y}); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("y=%g: action %.6f\n", y, p.Action)
	}
	// Output:
	// y=0.3: action 8.773009
	// y=1: action 8.294188
	// y=3: action 8.000109
}

func ExampleSolveBatch() {
	x0s := []float64{-2, 0.3, -2, 1}
	x1s := []float64{2, 0.3, 2, 1}
	paths, err := bvp.SolveBatch(obstacle{}, x0s, x1s, 2, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, p := range paths {
		fmt.Printf("pair %d: %s, action %.6f\n", i, p.Method, p.Action)
	}
	// Output:
	// pair 0: collocation, action 8.773009
	// pair 1: collocation, action 8.294188
}

func ExampleCostMatrix() {
	xs := []float64{-2, 0, -2, 1}       // 2 sources
	ys := []float64{2, 0, 2, 1, 0, 2.5} // 3 targets
	c := make([]float64, 2*3)
	if err := bvp.CostMatrix(c, obstacle{}, xs, 2, ys, 3, nil); err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < 2; i++ {
		fmt.Printf("%.4f %.4f %.4f\n", c[i*3], c[i*3+1], c[i*3+2])
	}
	// Output:
	// 8.8674 9.1330 5.2126
	// 9.1330 8.2942 3.1480
}

func ExampleSolver_Cost() {
	s, err := bvp.NewSolver(obstacle{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := s.Cost([]float64{-2, 0.3}, []float64{2, 0.3})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("c_L = %.8f\n", c)
	// Output: c_L = 8.77300854
}
