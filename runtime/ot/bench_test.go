package ot

import "testing"

// benchClouds are the 2D minibatches of flow matching: standard normal
// sources against a moons target, and against another normal sample.
var benchClouds = []struct {
	name   string
	target func(seed uint64, n int) []float64
}{
	{"gaussian-moons", func(seed uint64, n int) []float64 { return moonsCloud(newRand(seed), n) }},
	{"gaussian-gaussian", func(seed uint64, n int) []float64 { return gaussianCloud(newRand(seed), n, 2) }},
}

func benchmarkAssign(b *testing.B, n int) {
	for _, bc := range benchClouds {
		b.Run(bc.name, func(b *testing.B) {
			// Several instances, cycled, so one lucky matrix does not decide.
			const instances = 4
			costs := make([][]float64, instances)
			for k := range costs {
				x := gaussianCloud(newRand(uint64(100+k)), n, 2)
				costs[k] = sqDistNaive(x, n, bc.target(uint64(200+k), n), n, 2)
			}
			dst := make([]int, n)
			var a Assigner
			cpu0, runs := processCPU(), 0
			for i := 0; b.Loop(); i++ {
				if _, err := a.Assign(dst, costs[i%instances], n, nil); err != nil {
					b.Fatal(err)
				}
				runs++
			}
			if cpu := processCPU() - cpu0; cpu > 0 {
				// CPU time per solve: on a loaded machine wall-clock time
				// also counts the time other processes held the core.
				b.ReportMetric(float64(cpu)/float64(runs)/1e6, "cpu-ms/op")
			}
		})
	}
}

func BenchmarkAssign256(b *testing.B)  { benchmarkAssign(b, 256) }
func BenchmarkAssign1024(b *testing.B) { benchmarkAssign(b, 1024) }
func BenchmarkAssign4096(b *testing.B) { benchmarkAssign(b, 4096) }

func benchmarkSqDist(b *testing.B, n, d int) {
	x := gaussianCloud(newRand(1), n, d)
	y := gaussianCloud(newRand(2), n, d)
	dst := make([]float64, n*n)
	for b.Loop() {
		if err := SqDist(dst, x, n, y, n, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSqDist256(b *testing.B)    { benchmarkSqDist(b, 256, 2) }
func BenchmarkSqDist1024(b *testing.B)   { benchmarkSqDist(b, 1024, 2) }
func BenchmarkSqDist1024d8(b *testing.B) { benchmarkSqDist(b, 1024, 8) }

func benchmarkPlan(b *testing.B, n, m int) {
	x := gaussianCloud(newRand(1), n, 2)
	cost := sqDistNaive(x, n, moonsCloud(newRand(2), m), m, 2)
	var plan []Flow
	for b.Loop() {
		var err error
		if plan, _, err = Plan(plan[:0], cost, n, m, nil, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlan256x200(b *testing.B)  { benchmarkPlan(b, 256, 200) }
func BenchmarkPlan1024x768(b *testing.B) { benchmarkPlan(b, 1024, 768) }

// BenchmarkSinkhorn256 runs at ε = 1e-2 of the cost range to tolerance 1e-6.
func BenchmarkSinkhorn256(b *testing.B) {
	const n = 256
	x := gaussianCloud(newRand(1), n, 2)
	cost := sqDistNaive(x, n, moonsCloud(newRand(2), n), n, 2)
	lo, hi, _, _ := checkCost(cost, n, n)
	plan := make([]float64, n*n)
	for b.Loop() {
		if _, err := Sinkhorn(plan, nil, nil, cost, n, n, nil, nil, 1e-2*(hi-lo), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkW2_2048 is the evaluation metric: 2,048 samples against 2,048.
func BenchmarkW2_2048(b *testing.B) {
	const n = 2048
	x := gaussianCloud(newRand(1), n, 2)
	y := moonsCloud(newRand(2), n)
	for b.Loop() {
		if _, err := W2(x, n, y, n, 2); err != nil {
			b.Fatal(err)
		}
	}
}
