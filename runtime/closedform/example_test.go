package closedform_test

import (
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/closedform"
)

func ExampleNewIsotropic() {
	// The harmonic oscillator x'' = −ω²x with ω = π/2.
	w := math.Pi / 2
	h, err := closedform.NewIsotropic(2, -w*w, 0, nil)
	if err != nil {
		panic(err)
	}
	x0, x1 := []float64{1, 0}, []float64{0, 1}
	xt, vt := make([]float64, 2), make([]float64, 2)
	if err := h.Path(xt, vt, 0.5, x0, x1); err != nil {
		panic(err)
	}
	s, _ := h.CanonicalAction(x0, x1)
	fmt.Printf("%v x(0.5) = [%.6f %.6f], action %.6f\n", h.Kind(), xt[0], xt[1], s)
	// Output: harmonic x(0.5) = [0.707107 0.707107], action 0.000000
}

func ExampleNewIsotropic_conjugatePoint() {
	h, _ := closedform.NewIsotropic(1, -3.5*3.5, 0, nil)
	fmt.Println(h.Err())
	// Output: harmonic with ω = 3.5 ≥ π: the path between x0 and x1 is stationary but not a least-action path (a conjugate point at t = π/ω = 0.897598); use ω < π
}

func ExampleNewLinear() {
	// A charged particle in a magnetic field B = 1: x'' = B J x'.
	lin, err := closedform.NewLinear(2, nil, []float64{0, 1, -1, 0}, nil)
	if err != nil {
		panic(err)
	}
	x0, x1 := []float64{0, 0}, []float64{1, 0}
	xt := make([]float64, 2)
	_ = lin.Path(xt, nil, 0.5, x0, x1)
	fmt.Printf("x(0.5) = [%.6f %.6f]\n", xt[0], xt[1])
	// Output: x(0.5) = [0.500000 0.127671]
}

func ExampleAction() {
	// The action of the free particle L = ½|v|² is ½|x1 − x0|².
	p, _ := closedform.NewIsotropic(2, 0, 0, nil)
	L := func(t float64, x, v []float64) float64 { return 0.5 * (v[0]*v[0] + v[1]*v[1]) }
	s, err := closedform.Action(p, L, []float64{0, 0}, []float64{3, 4}, make([]float64, 4))
	fmt.Printf("%.12f %v\n", s, err)
	// Output: 12.500000000000 <nil>
}

func ExampleNew() {
	// Read the coefficients off an acceleration: here the damped oscillator
	// ẍ = −x − 0.5 ẋ of L = e^{t/2}(½|v|² − ½|x|²).
	accel := func(dst []float64, t float64, x, v []float64) {
		for i := range x {
			dst[i] = -x[i] - 0.5*v[i]
		}
	}
	L := func(t float64, x, v []float64) float64 {
		return math.Exp(t/2) * 0.5 * (v[0]*v[0] - x[0]*x[0])
	}
	s, err := closedform.New(1, accel, L, true)
	if err != nil {
		panic(err)
	}
	xt := make([]float64, 1)
	_ = s.Path(xt, nil, 0.5, []float64{1}, []float64{0})
	fmt.Printf("%v: x(0.5) = %.6f\n", s.Kind(), xt[0])
	// Output: isotropic linear: x(0.5) = 0.498539
}
