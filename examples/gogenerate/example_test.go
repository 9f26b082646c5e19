package gogenerate_test

import (
	"fmt"

	"github.com/lagc-dev/lagc/examples/gogenerate"
)

func ExampleNewHarmonic() {
	h, err := gogenerate.NewHarmonic(2)
	if err != nil {
		panic(err)
	}
	x0, x1 := []float64{1, 0}, []float64{0, 1}
	xt, vt := make([]float64, 2), make([]float64, 2)
	if err := h.Path(xt, vt, 0.5, x0, x1); err != nil {
		panic(err)
	}
	fmt.Printf("x(0.5) = [%.4f %.4f]\n", xt[0], xt[1])
	h.W = 3.5 // past π the straight answer would be wrong: the code says so
	_, err = h.Action(x0, x1)
	fmt.Println(err)
	// Output:
	// x(0.5) = [0.7071 0.7071]
	// harmonic with ω = 3.5 ≥ π: the path between x0 and x1 is stationary but not a least-action path (a conjugate point at t = π/ω = 0.897598); use ω < π
}

func ExampleNewBump() {
	b, err := gogenerate.NewBump(2)
	if err != nil {
		panic(err)
	}
	// No closed form: Action solves the boundary-value problem (runtime/bvp)
	// and caches the path for Path calls with the same endpoints.
	s, err := b.Action([]float64{-1, 0.1}, []float64{1, 0.1})
	fmt.Printf("%.4f %v\n", s, err)
	// Output: 0.4985 <nil>
}
