// Command otref prints lagc's minibatch OT coupling under the cost c_L of a
// .lag file, for the Python tests: it reads {"lag": PATH, "x0": [[…]…],
// "x1": [[…]…]} on stdin and writes {"assign": [j of each row i], "cost":
// [[…]…]}. It lives under testdata so that the module's packages and CI
// ignore it; the tests run it with go run.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/bvp"
	"github.com/lagc-dev/lagc/runtime/ot"
)

func main() {
	var in struct {
		Lag string      `json:"lag"`
		X0  [][]float64 `json:"x0"`
		X1  [][]float64 `json:"x1"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail(err)
	}
	if len(in.X0) == 0 || len(in.X0) != len(in.X1) {
		fail(fmt.Errorf("want two equal non-empty batches, got %d and %d points", len(in.X0), len(in.X1)))
	}
	src, err := os.ReadFile(in.Lag)
	if err != nil {
		fail(err)
	}
	sys, err := eulerlag.Load(in.Lag, src, nil)
	if err != nil {
		fail(err)
	}
	n, d := len(in.X0), len(in.X0[0])
	ev, err := sys.Instantiate(d)
	if err != nil {
		fail(err)
	}
	var xs, ys []float64
	for i := 0; i < n; i++ {
		xs = append(xs, in.X0[i]...)
		ys = append(ys, in.X1[i]...)
	}
	cost := make([]float64, n*n)
	if err := bvp.CostMatrix(cost, ev, xs, n, ys, n, nil); err != nil {
		fail(err)
	}
	assign := make([]int, n)
	if _, err := ot.Assign(assign, cost, n, nil); err != nil {
		fail(err)
	}
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = cost[i*n : (i+1)*n]
	}
	json.NewEncoder(os.Stdout).Encode(map[string]any{"assign": assign, "cost": rows})
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "otref:", err)
	os.Exit(1)
}
