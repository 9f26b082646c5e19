package metric_test

import (
	"fmt"
	"log"
	"math"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/metric"
)

func ExampleMMD2() {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, d = 500, 2
	x, y, z := make([]float64, n*d), make([]float64, n*d), make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64()
		y[i] = rng.NormFloat64()
		z[i] = rng.NormFloat64() + 2 // shifted by (2, 2)
	}
	same, err := metric.MMD2(x, y, n, n, d, nil)
	if err != nil {
		log.Fatal(err)
	}
	shifted, err := metric.MMD2(x, z, n, n, d, nil)
	if err != nil {
		log.Fatal(err)
	}
	// The unbiased estimate scatters around 0 for equal distributions, and
	// may be slightly negative.
	fmt.Printf("same distribution: |MMD²| < 0.01 is %v\nshifted: %.2f\n", math.Abs(same) < 0.01, shifted)
	// Output:
	// same distribution: |MMD²| < 0.01 is true
	// shifted: 0.61
}

func ExampleMedianBandwidth() {
	x := []float64{0, 0, 3, 4}
	y := []float64{0, 4}
	// Pooled distances 5, 4, 3: the median is 4.
	fmt.Println(metric.MedianBandwidth(x, y, 2, 1, 2))
	// Output: 4
}
