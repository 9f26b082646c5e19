package noise_test

import (
	"fmt"

	"github.com/lagc-dev/lagc/runtime/noise"
)

// The bridge's noise vanishes at both ends and peaks at t = ½; its rate
// ṡ changes sign there.
func ExampleSchedule() {
	for _, t := range []float64{0, 0.25, 0.5, 1} {
		fmt.Printf("t=%.2f  s=%.4f  ṡ=%+.4f\n", t, noise.Bridge.Std(1, t), noise.Bridge.Rate(1, t))
	}
	// Output:
	// t=0.00  s=0.0000  ṡ=+0.0000
	// t=0.25  s=0.4330  ṡ=+0.5774
	// t=0.50  s=0.5000  ṡ=+0.0000
	// t=1.00  s=0.0000  ṡ=+0.0000
}
