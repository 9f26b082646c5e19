package ot_test

import (
	"fmt"
	"log"

	"github.com/lagc-dev/lagc/runtime/ot"
)

func ExampleAssign() {
	// cost[i*3+j] is the cost of giving row i column j.
	cost := []float64{
		4, 1, 3,
		2, 0, 5,
		3, 2, 2,
	}
	dst := make([]int, 3)
	total, err := ot.Assign(dst, cost, 3, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(dst, total)
	// Output: [1 0 2] 5
}

// An Assigner keeps its buffers, so pairing a minibatch every training
// iteration does not allocate; Duals certifies the answer.
func ExampleAssigner() {
	var a ot.Assigner
	src := []float64{0, 0, 1, 0, 2, 0} // three points on a line, d = 2
	dst := make([]int, 3)
	cost := make([]float64, 9)
	for step := range 2 {
		tgt := []float64{2.1, float64(step), 0.1, 0, 1.1, 0}
		if err := ot.SqDist(cost, src, 3, tgt, 3, 2); err != nil {
			log.Fatal(err)
		}
		total, err := a.Assign(dst, cost, 3, nil)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("step %d: %v, total %.2f\n", step, dst, total)
	}
	u, v := make([]float64, 3), make([]float64, 3)
	if err := a.Duals(u, v); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Σu + Σv = %.2f\n", u[0]+u[1]+u[2]+v[0]+v[1]+v[2])
	// Output:
	// step 0: [1 2 0], total 0.03
	// step 1: [1 2 0], total 1.03
	// Σu + Σv = 1.03
}

// Two equally weighted sources feed three equally weighted targets on a
// line; each source splits its mass.
func ExamplePlan() {
	x := []float64{0, 1}
	y := []float64{0, 0.5, 1}
	cost := make([]float64, 2*3)
	if err := ot.SqDist(cost, x, 2, y, 3, 1); err != nil {
		log.Fatal(err)
	}
	plan, total, err := ot.Plan(nil, cost, 2, 3, nil, nil, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range plan {
		fmt.Printf("%d → %d: %.4f\n", f.I, f.J, f.Mass)
	}
	fmt.Printf("cost %.4f\n", total)
	// Output:
	// 0 → 0: 0.3333
	// 0 → 1: 0.1667
	// 1 → 1: 0.1667
	// 1 → 2: 0.3333
	// cost 0.0833
}

// At small ε the entropic plan is close to the exact one.
func ExampleSinkhorn() {
	cost := []float64{
		0, 1,
		1, 0,
	}
	plan := make([]float64, 4)
	f, g := make([]float64, 2), make([]float64, 2)
	res, err := ot.Sinkhorn(plan, f, g, cost, 2, 2, nil, nil, 0.1, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("plan %.4f\ncost %.4f\n", plan, res.Cost)
	// Output:
	// plan [0.5000 0.0000 0.0000 0.5000]
	// cost 0.0000
}

func ExampleW2() {
	// Two unit segments, one a unit above the other.
	x := []float64{0, 0, 1, 0}
	y := []float64{0, 1, 1, 1}
	w, err := ot.W2(x, 2, y, 2, 2)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(w)
	// Output: 1
}

func ExampleW1() {
	x := []float64{0, 1, 2} // d = 1
	y := []float64{0.5, 3}
	w, err := ot.W1(x, 3, y, 2, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%.4f\n", w)
	// Output: 0.9167
}

func ExampleSqDist() {
	x := []float64{0, 0, 3, 4} // two points in 2D
	y := []float64{0, 0}       // one point
	dst := make([]float64, 2)
	if err := ot.SqDist(dst, x, 2, y, 1, 2); err != nil {
		log.Fatal(err)
	}
	fmt.Println(dst)
	// Output: [0 25]
}
