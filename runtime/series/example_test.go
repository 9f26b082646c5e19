package series_test

import (
	"fmt"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/series"
)

// Two snapshots of three points, observed at t = 1 and t = 3, are coupled
// by optimal transport for the kinetic Lagrangian (straight lines) and
// interpolated at t = 2: each prediction is the midpoint of a pair.
func ExampleCouple() {
	sys, err := eulerlag.Load("kinetic.lag", []byte("L = 0.5*|v|^2"), nil)
	if err != nil {
		panic(err)
	}
	ev, err := sys.Instantiate(1)
	if err != nil {
		panic(err)
	}
	a := []float64{0, 1, 2}
	b := []float64{12, 10, 11}
	br, err := series.Couple(ev, a, 3, b, 3, 1, 3, nil)
	if err != nil {
		panic(err)
	}
	mid := make([]float64, br.Pairs())
	if err := br.At(mid, nil, 2); err != nil {
		panic(err)
	}
	for f := range mid {
		fmt.Printf("%g → %g via %g\n", br.X0[f], br.X1[f], mid[f])
	}
	// Output:
	// 0 → 10 via 5
	// 1 → 11 via 6
	// 2 → 12 via 7
}
