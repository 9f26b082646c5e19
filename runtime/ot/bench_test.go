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
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if _, err := a.Assign(dst, costs[i%instances], n, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAssign256(b *testing.B)  { benchmarkAssign(b, 256) }
func BenchmarkAssign1024(b *testing.B) { benchmarkAssign(b, 1024) }
func BenchmarkAssign4096(b *testing.B) { benchmarkAssign(b, 4096) }
