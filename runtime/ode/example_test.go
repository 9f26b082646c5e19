package ode_test

import (
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/ode"
)

// A harmonic oscillator x” = −x as the first-order system y = (x, v).
func oscillator(dst []float64, t float64, y []float64) {
	dst[0] = y[1]
	dst[1] = -y[0]
}

func ExampleIntegrate() {
	y := []float64{1, 0}
	st, err := ode.Integrate(y, ode.RK4, oscillator, 0, math.Pi, y, 100)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("x(π) = %.6f after %d evaluations\n", y[0], st.Evals)
	// Output: x(π) = -1.000000 after 400 evaluations
}

func ExampleFixed() {
	// Keep one integrator for many solves: no allocation per solve.
	f, err := ode.NewFixed(ode.RK8, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	y := make([]float64, 2)
	for _, x0 := range []float64{1, 2} {
		y[0], y[1] = x0, 0
		if _, err := f.Integrate(y, oscillator, 0, math.Pi/2, y, 8); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("x0=%g: v(π/2) = %.10f\n", x0, y[1])
	}
	// Output:
	// x0=1: v(π/2) = -1.0000000000
	// x0=2: v(π/2) = -2.0000000000
}

func ExampleDormandPrince_Solve() {
	dp, err := ode.NewDormandPrince(2, &ode.Settings{RelTol: 1e-9, AbsTol: 1e-12})
	if err != nil {
		fmt.Println(err)
		return
	}
	var dense ode.Dense
	y := []float64{1, 0}
	if _, err := dp.Solve(y, &dense, oscillator, 0, 2*math.Pi, y); err != nil {
		fmt.Println(err)
		return
	}
	mid := make([]float64, 2)
	if err := dense.At(mid, math.Pi/3); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("x(2π) = %.8f, x(π/3) = %.8f\n", y[0], mid[0])
	// Output: x(2π) = 1.00000000, x(π/3) = 0.50000000
}
