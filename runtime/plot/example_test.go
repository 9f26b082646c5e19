package plot_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/lagc-dev/lagc/runtime/plot"
)

func ExampleSamples() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	// Generated samples (here: points on a circle) over target points.
	const n = 200
	samples, target := make([]float64, 2*n), make([]float64, 2*n)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / n
		samples[2*i], samples[2*i+1] = math.Cos(a), math.Sin(a)
		target[2*i], target[2*i+1] = 1.1*math.Cos(a), 1.1*math.Sin(a)
	}
	path := filepath.Join(dir, "samples.png")
	if err := plot.Samples(path, samples, target, n, n, 2, nil); err != nil {
		log.Fatal(err)
	}
	_, err := os.Stat(path)
	fmt.Println(err == nil)
	// Output: true
}

func ExampleTrajectories() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	// Three particles moving on straight lines from t = 0 to t = 1.
	const n, d = 3, 2
	x0 := []float64{0, 0, 1, 0, 0, 1}
	x1 := []float64{2, 2, 3, 1, 1, 3}
	times := []float64{0, 0.25, 0.5, 0.75, 1}
	traj := make([][]float64, len(times))
	for k, t := range times {
		traj[k] = make([]float64, n*d)
		for i := range traj[k] {
			traj[k][i] = (1-t)*x0[i] + t*x1[i]
		}
	}
	err := plot.Trajectories(filepath.Join(dir, "paths.svg"), traj, times, n, d, nil)
	fmt.Println(err)
	// Output: <nil>
}

func ExampleLoss() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	steps := []int{100, 200, 300, 400}
	loss := []float64{1.2, 0.6, 0.35, 0.3}
	err := plot.Loss(filepath.Join(dir, "loss.png"), steps, loss, &plot.Settings{Title: "OT-CFM on moons"})
	fmt.Println(err)

	// A typo in the extension is caught before any drawing.
	err = plot.Loss("loss.jgp", steps, loss, nil)
	fmt.Println(err)
	// Output:
	// <nil>
	// plot loss.jgp: unknown image format ".jgp"; name the file .png or .svg
}
