package seriesfm_test

import (
	"fmt"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/series"
	"github.com/lagc-dev/lagc/runtime/seriesfm"
)

// A flow trained on a kinetic series with time 2 left out predicts that
// time from time 1 about as well as the least-action interpolation from
// times 1 and 3, and much better than snapshot 1 itself.
func ExampleTrainer_LeaveOutScore() {
	sys, _ := eulerlag.Load("kinetic.lag", []byte("L = 0.5*|v|^2"), nil)
	kinetic, _ := sys.Instantiate(2)
	ser, _ := series.Synthesize(kinetic, []float64{0, 1, 2, 3, 4}, 100,
		series.Normal{Mean: []float64{-2, 0}, Std: 0.3}, series.Normal{Mean: []float64{2, 1}, Std: 0.6}, 1, nil)
	set := fm.DefaultSettings()
	set.Hidden, set.Pairs.Batch, set.Pairs.Sigma, set.Optim.EMADecay = []int{32, 32}, 128, 0.02, 0.99
	tr, err := seriesfm.NewTrainer(&seriesfm.Problem{Sys: kinetic, Series: ser, LeaveOut: 2, Seed: 1}, &set)
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 500 {
		if _, err := tr.Iterate(nil); err != nil {
			fmt.Println(err)
			return
		}
	}
	sc, _ := tr.LeaveOutScore(false, nil)
	unchanged, _ := seriesfm.W1(ser.Points[1], 100, ser.Points[2], 100, 2)
	fmt.Printf("time %g: model within 0.1 of the interpolation: %v; far below snapshot 1 unchanged: %v\n",
		sc.T, sc.W1 < sc.W1Interpolation+0.1, sc.W1 < unchanged/3)
	// Output: time 2: model within 0.1 of the interpolation: true; far below snapshot 1 unchanged: true
}
