package series

import (
	"math"
	"syscall"
	"testing"
)

// cpuSeconds is the process's user+system CPU time: on a loaded machine
// the wall time of a benchmark says little, its CPU time more.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return math.NaN()
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func BenchmarkLossHarmonic800(b *testing.B) {
	ser := synth(b, "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", fiveTimes, 800, 1)
	obj, err := NewObjective(load(b, harmonicSrc), ser, []string{"w"}, 0, nil)
	if err != nil {
		b.Fatal(err)
	}
	g := make([]float64, 1)
	for i := 0; b.Loop(); i++ {
		if _, err := obj.Loss(g, []float64{1 + 0.01*float64(i%7)}); err != nil {
			b.Fatal(err)
		}
	}
}

const bumpSrc = "param A = 1\nparam s = 1\nL = 0.5*|v|^2 + A*exp(-|x|^2/s^2)"

// bumpSeries crosses the bump at the origin: N((−2, 0), 0.4²) to
// N((2, 0), 0.4²) on [0, 2] under A = 1, s = 1. With times 0, 1, 2 the one
// interior time is predicted across the whole crossing, where the bump
// bends the paths most (with five times the half-length intervals are
// nearly straight and A is only weakly identified).
func bumpSeries(t testing.TB, n int, times []float64) *Series {
	ev := inst(t, load(t, "L = 0.5*|v|^2 + exp(-|x|^2)"), 2)
	ser, err := Synthesize(ev, times, n, Normal{Mean: []float64{-2, 0}, Std: 0.4}, Normal{Mean: []float64{2, 0}, Std: 0.4}, 11, &Settings{BVPTol: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	return ser
}

func BenchmarkLossBump(b *testing.B) {
	ser := bumpSeries(b, 64, fiveTimes)
	obj, err := NewObjective(load(b, bumpSrc), ser, []string{"A"}, 0, &Settings{BVPTol: 1e-6})
	if err != nil {
		b.Fatal(err)
	}
	g := make([]float64, 1)
	for i := 0; b.Loop(); i++ {
		if _, err := obj.Loss(g, []float64{1 + 0.01*float64(i%7)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitBump256 fits the bump's strength A (no closed form: numeric
// couplings, paths and sensitivity equations) at 256 points per time.
func BenchmarkFitBump256(b *testing.B) {
	ser := bumpSeries(b, 256, []float64{0, 1, 2})
	cpu := cpuSeconds()
	for b.Loop() {
		res, err := Fit(load(b, bumpSrc), ser, []string{"A"}, &FitSettings{Lower: []float64{0}, Upper: []float64{3}, Starts: 1, Series: &Settings{BVPTol: 1e-6}})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("A = %.4g (truth 1), loss %.5g from %.5g, %d iterations, %d evaluations, %.1f CPU-s", res.Values[0], res.Loss, res.InitialLoss, res.Iterations, res.Evaluations, cpuSeconds()-cpu)
		if !(res.Loss <= res.InitialLoss) {
			b.Errorf("loss %g above the initial %g", res.Loss, res.InitialLoss)
		}
	}
}

// BenchmarkFit5x800 fits 5 times × 800 points in 2-D with closed forms:
// the isotropic ω and the anisotropic (a, b), each within 5% of the truth.
func BenchmarkFit5x800(b *testing.B) {
	cases := []struct {
		name, truth, model string
		names              []string
		want               []float64
	}{
		{"isotropic", "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", harmonicSrc, []string{"w"}, []float64{1.2}},
		{"anisotropic", "L = 0.5*|v|^2 - 0.5*(1.2^2*x[0]^2 + 0.6^2*x[1]^2)", "param a = 1\nparam b = 1\nL = 0.5*|v|^2 - 0.5*(a^2*x[0]^2 + b^2*x[1]^2)", []string{"a", "b"}, []float64{1.2, 0.6}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ser := synth(b, c.truth, fiveTimes, 800, 1)
			lo, hi := make([]float64, len(c.names)), make([]float64, len(c.names))
			for i := range hi {
				hi[i] = 3
			}
			cpu := cpuSeconds()
			for b.Loop() {
				res, err := Fit(load(b, c.model), ser, c.names, &FitSettings{Lower: lo, Upper: hi, Starts: 2})
				if err != nil {
					b.Fatal(err)
				}
				b.Logf("%v = %v (truth %v), loss %.5g from %.5g, %d iterations, %d evaluations, %.1f CPU-s", c.names, res.Values, c.want, res.Loss, res.InitialLoss, res.Iterations, res.Evaluations, cpuSeconds()-cpu)
				for i, w := range c.want {
					if math.Abs(res.Values[i]-w) > 0.05*w {
						b.Errorf("%s = %g, truth %g", c.names[i], res.Values[i], w)
					}
				}
			}
		})
	}
}

// BenchmarkLOO800 is `lagc experiment loo --iters 0` on 5 times × 800
// points: 3 interior times × 2 Lagrangians (kinetic and harmonic).
func BenchmarkLOO800(b *testing.B) {
	ser := synth(b, "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", fiveTimes, 800, 1)
	cpu := cpuSeconds()
	defer func() { b.Logf("%.2f CPU-s per run", (cpuSeconds()-cpu)/float64(b.N)) }()
	for b.Loop() {
		for _, src := range []string{"L = 0.5*|v|^2", "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2"} {
			if _, err := LeaveOneOut(inst(b, load(b, src), 2), ser, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}
