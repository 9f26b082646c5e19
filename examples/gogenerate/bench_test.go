package gogenerate

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/lagc-dev/lagc/eulerlag"
)

// BenchmarkAccel compares one acceleration evaluation by the generated code,
// the interpreter (eulerlag.Evaluator) and a hand-written Go function:
//
//	go test ./examples/gogenerate -run - -bench Accel -benchtime 200ms
func BenchmarkAccel(b *testing.B) {
	load := func(path string) *eulerlag.System {
		src, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		sys, err := eulerlag.Load(path, src, nil)
		if err != nil {
			b.Fatal(err)
		}
		return sys
	}
	harmonic, bump := load("../lagrangians/harmonic.lag"), load("bump.lag")
	for _, d := range []int{2, 64} {
		rng := rand.New(rand.NewPCG(1, 2))
		x, v, a := randVec(rng, d), randVec(rng, d), make([]float64, d)
		gh, _ := NewHarmonic(d)
		gb, _ := NewBump(d)
		ih, _ := harmonic.Evaluator(d)
		ib, _ := bump.Evaluator(d)
		cases := []struct {
			name  string
			accel func()
		}{
			{"harmonic/generated", func() { gh.Accel(a, 0.5, x, v) }},
			{"harmonic/interpreter", func() { ih.Accel(a, 0.5, x, v) }},
			{"harmonic/hand", func() { handHarmonic(a, gh.W, x) }},
			{"bump/generated", func() { gb.Accel(a, 0.5, x, v) }},
			{"bump/interpreter", func() { ib.Accel(a, 0.5, x, v) }},
			{"bump/hand", func() { handBump(a, gb.A, gb.S, x) }},
		}
		for _, c := range cases {
			b.Run(fmt.Sprintf("%s/d=%d", c.name, d), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					c.accel()
				}
			})
		}
	}
}
