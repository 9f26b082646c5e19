// Command pathbench measures lagc's path-target throughput for the
// comparison with the torch modules (examples/torch/bench_paths.py):
// pathbench FILE.lag REPS reads {"x0": [[…]…], "x1": [[…]…], "t": […]} on
// stdin, solves the least-action path of every pair (closed form or
// runtime/bvp on all cores) and evaluates it at its t, REPS times, and
// prints {"pairs_per_second": …}. Under testdata, so the module ignores it.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/bvp"
)

func main() {
	src, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	reps, err := strconv.Atoi(os.Args[2])
	if err != nil || reps < 1 {
		fail(fmt.Errorf("REPS must be a positive integer"))
	}
	var in struct {
		X0 [][]float64 `json:"x0"`
		X1 [][]float64 `json:"x1"`
		T  []float64   `json:"t"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail(err)
	}
	sys, err := eulerlag.Load(os.Args[1], src, nil)
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
	xt, vt := make([]float64, d), make([]float64, d)
	start := time.Now()
	for r := 0; r < reps; r++ {
		paths, err := bvp.SolveBatch(ev, xs, ys, n, nil)
		if err != nil {
			fail(err)
		}
		for i, p := range paths {
			if err := p.At(xt, vt, in.T[i]); err != nil {
				fail(err)
			}
		}
	}
	el := time.Since(start).Seconds()
	json.NewEncoder(os.Stdout).Encode(map[string]float64{"pairs_per_second": float64(n*reps) / el})
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pathbench:", err)
	os.Exit(1)
}
