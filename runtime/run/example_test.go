package run_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/run"
)

// Train a small flow-matching run on the kinetic Lagrangian, checkpoint it,
// and evaluate the checkpoint's model.
func Example() {
	dir, _ := os.MkdirTemp("", "lagc-run")
	defer os.RemoveAll(dir)
	spec := run.DefaultSpec() // kinetic Lagrangian, gaussian → moons, method fm
	spec.Iters = 50
	set := fm.DefaultSettings()
	set.Pairs.Batch, set.Hidden = 64, []int{16, 16}
	r, err := run.New(spec, &set, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	ckpt := filepath.Join(dir, "model.ckpt")
	if err := r.Train(&run.TrainSettings{Checkpoint: ckpt}); err != nil {
		fmt.Println(err)
		return
	}
	opened, err := run.Open(ckpt, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _, err := opened.Evaluate(256, nil, false, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(opened.Spec.Method, opened.Step(), m.W2 > 0, m.NFE)
	// Output: fm 50 true 80
}

// The registered training methods, one line each in the registry.
func ExampleMethods() {
	for _, m := range run.Methods() {
		fmt.Printf("%s: %s\n", m.Name, m.About)
	}
	// Output:
	// fm: flow matching of a velocity MLP
	// am: Action Matching of a potential MLP
	// ofm: Optimal Flow Matching of an ICNN potential
	// am-optimal: Action Matching on optimal fields (ICNN potential)
	// cond: class-conditional flow matching on a labelled file target
}
