package coupling_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/coupling"
)

// Two sources and two targets whose cheap pairs are (0, 1) and (1, 0): at a
// small ε the drawn pairs are the optimal ones.
func ExampleEntropic_Pairs() {
	cost := []float64{
		4, 0,
		0, 4,
	}
	e := &coupling.Entropic{Epsilon: 0.05, Replace: false}
	rows, cols := make([]int, 2), make([]int, 2)
	if _, err := e.Pairs(rows, cols, cost, 2, 2, rand.New(rand.NewPCG(1, 1))); err != nil {
		fmt.Println(err)
		return
	}
	for k := range rows {
		fmt.Printf("source %d → target %d\n", rows[k], cols[k])
	}
	// Unordered output:
	// source 0 → target 1
	// source 1 → target 0
}
