package ofm_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/icnn"
	"github.com/lagc-dev/lagc/runtime/ofm"
)

// The OT map between N(0, I) and N(m, 4I) scales by 2 and shifts by m.
func ExampleNewGaussianMap() {
	g, err := ofm.NewGaussianMap([]float64{0, 0}, []float64{1, 0, 0, 1}, []float64{1, -1}, []float64{4, 0, 0, 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	y := make([]float64, 2)
	g.Apply(y, []float64{0.5, 0.5}, 1)
	fmt.Printf("T(0.5, 0.5) = (%.3g, %.3g)\n", y[0], y[1])
	// Output: T(0.5, 0.5) = (2, 0)
}

// A Field gives the optimal field of a potential at any time, its
// potential s, and the one-step map ∇Ψ that the straight paths end at.
func ExampleField() {
	net, _ := icnn.New(2, &icnn.Settings{Hidden: []int{16}}, rand.New(rand.NewPCG(1, 1)))
	f, err := ofm.NewField(net, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	x := []float64{1, 2}
	u, z, y := make([]float64, 2), make([]float64, 2), make([]float64, 2)
	f.Velocity(u, x, 0.5, 1) // u(x, ½) = ∇Ψ(z) - z
	f.Preimage(z, x, 0.5, 1) // x = ½z + ½∇Ψ(z)
	f.Map(y, z, 1)           // ∇Ψ(z), where the path through x ends
	fmt.Printf("x + ½u = ∇Ψ(z): %v\n", abs(x[0]+u[0]/2-y[0]) < 1e-9 && abs(x[1]+u[1]/2-y[1]) < 1e-9)
	// Output: x + ½u = ∇Ψ(z): true
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
