package seriesfm

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/series"
)

const (
	kineticSrc  = "L = 0.5*|v|^2"
	harmonicSrc = "param w = 1.5\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2"
	bumpSrc     = "L = 0.5*|v|^2 + exp(-|x|^2)"
)

func system(t testing.TB, src string) lagrangian.System {
	t.Helper()
	sys, err := eulerlag.Load("test.lag", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := sys.Instantiate(2)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// synth draws n particles per time moving from N((−2, 0), 0.3²) to
// N((2, 1), 0.8²) along the least-action paths of sys, fresh at each time.
func synth(t testing.TB, sys lagrangian.System, times []float64, n int) *series.Series {
	t.Helper()
	ser, err := series.Synthesize(sys, times, n, series.Normal{Mean: []float64{-2, 0}, Std: 0.3}, series.Normal{Mean: []float64{2, 1}, Std: 0.8}, 7, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ser
}

// small are quick settings for tests.
func small() *fm.Settings {
	s := fm.DefaultSettings()
	s.Hidden = []int{32, 32}
	s.Pairs.Batch = 128
	s.Pairs.Sigma = 0.02
	s.Optim.LR = 3e-3
	s.Optim.EMADecay = 0.99
	return &s
}

func train(t testing.TB, tr *Trainer, iters int) {
	t.Helper()
	for range iters {
		if _, err := tr.Iterate(nil); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLeaveOutKinetic is the protocol on a series whose truth is kinetic
// (straight lines between OT-coupled endpoints, with unevenly spaced times
// and unequal counts): a short-trained model predicts the left-out time
// about as well as the least-action interpolation, and far better than the
// trivial prediction (the previous snapshot unchanged).
func TestLeaveOutKinetic(t *testing.T) {
	sys := system(t, kineticSrc)
	ser := synth(t, sys, []float64{1, 1.3, 2, 2.4, 3}, 150)
	ser.Points[3] = ser.Points[3][:2*120] // unequal counts: a plan, not a permutation
	tr, err := NewTrainer(&Problem{Sys: sys, Series: ser, LeaveOut: 2, Seed: 3}, small())
	if err != nil {
		t.Fatal(err)
	}
	train(t, tr, 600)
	// Time 2 is left out: times 1.3 and 2.4 are coupled across the gap.
	if len(tr.legs) != 3 || tr.legs[1].ta != 1.3 || tr.legs[1].tb != 2.4 || tr.legs[1].pairs < 120 {
		t.Fatalf("intervals %+v", tr.legs)
	}
	sc, err := tr.LeaveOutScore(false, nil)
	if err != nil {
		t.Fatal(err)
	}
	trivial, err := W1(ser.Points[1], ser.Count(1), ser.Points[2], ser.Count(2), 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("W1 model %.4f, interpolation %.4f, trivial %.4f", sc.W1, sc.W1Interpolation, trivial)
	if sc.K != 2 || sc.T != 2 {
		t.Errorf("scored time %d (t=%g), want 2 (t=2)", sc.K, sc.T)
	}
	if !(sc.W1 < sc.W1Interpolation+0.1) {
		t.Errorf("model W1 %.4f is not close to the interpolation's %.4f", sc.W1, sc.W1Interpolation)
	}
	if !(sc.W1 < 0.3*trivial) {
		t.Errorf("model W1 %.4f is not far below the trivial prediction's %.4f", sc.W1, trivial)
	}
}

// TestPush: a push over no time is the identity, and a push forward then
// back returns to the start up to the solver's error.
func TestPush(t *testing.T) {
	sys := system(t, kineticSrc)
	ser := synth(t, sys, []float64{0, 0.5, 1}, 40)
	tr, err := NewTrainer(&Problem{Sys: sys, Series: ser, Seed: 1}, small())
	if err != nil {
		t.Fatal(err)
	}
	train(t, tr, 50)
	x := ser.Points[1]
	res, err := tr.Push(x, 40, 0.5, 0.5, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.X, x) {
		t.Error("a push from t to t changed the points")
	}
	fwd, err := tr.Push(x, 40, 0.5, 1, false, &fm.SampleSettings{Steps: 200})
	if err != nil {
		t.Fatal(err)
	}
	back, err := tr.Push(fwd.X, 40, 1, 0.5, false, &fm.SampleSettings{Steps: 200})
	if err != nil {
		t.Fatal(err)
	}
	var moved, worst float64
	for i := range x {
		moved = max(moved, math.Abs(fwd.X[i]-x[i]))
		worst = max(worst, math.Abs(back.X[i]-x[i]))
	}
	if !(moved > 0.1) || !(worst < 1e-6) {
		t.Errorf("forward moved points by up to %g, back returned within %g; want > 0.1 and < 1e-6", moved, worst)
	}
	for _, tt := range [][2]float64{{-0.1, 0.5}, {0, 1.01}, {math.NaN(), 1}} {
		if _, err := tr.Push(x, 40, tt[0], tt[1], false, nil); err == nil {
			t.Errorf("push from %g to %g outside [0, 1]: no error", tt[0], tt[1])
		}
	}
}

// TestResume: stopping, encoding the state and continuing in a new trainer
// repeats an uninterrupted run bit for bit.
func TestResume(t *testing.T) {
	sys := system(t, kineticSrc)
	ser := synth(t, sys, []float64{0, 0.5, 1, 1.5}, 30)
	p := &Problem{Sys: sys, Series: ser, LeaveOut: 1, Seed: 5}
	whole, _ := NewTrainer(p, small())
	train(t, whole, 40)
	half, _ := NewTrainer(p, small())
	train(t, half, 20)
	state, err := half.State()
	if err != nil {
		t.Fatal(err)
	}
	resumed, _ := NewTrainer(p, small())
	if err := resumed.Restore(half.Losses(), state); err != nil {
		t.Fatal(err)
	}
	train(t, resumed, 20)
	if !slices.Equal(whole.Losses(), resumed.Losses()) || !slices.Equal(whole.Net.Params(), resumed.Net.Params()) {
		t.Error("the resumed run differs from the uninterrupted one")
	}
}

// TestHermite: the kept knots reproduce the bridges' own paths between
// them, for a closed form (harmonic, on a physical interval) and for
// numerically solved paths (a bump).
func TestHermite(t *testing.T) {
	for _, c := range []struct {
		name, src string
		tol       float64
	}{{"harmonic", harmonicSrc, 1e-6}, {"bump", bumpSrc, 1e-4}} {
		t.Run(c.name, func(t *testing.T) {
			sys := system(t, c.src)
			ser := synth(t, system(t, kineticSrc), []float64{0.3, 0.8, 1.1}, 6)
			tr, err := NewTrainer(&Problem{Sys: sys, Series: ser, Seed: 1}, small())
			if err != nil {
				t.Fatal(err)
			}
			if err := tr.couple(); err != nil {
				t.Fatal(err)
			}
			lg := tr.legs[1]
			br, err := series.Couple(sys, ser.Points[1], 6, ser.Points[2], 6, 0.8, 1.1, nil)
			if err != nil {
				t.Fatal(err)
			}
			want, wantV := make([]float64, 12), make([]float64, 12)
			x, v := make([]float64, 2), make([]float64, 2)
			rng := rand.New(rand.NewPCG(1, 2))
			for range 20 {
				s := rng.Float64()
				if err := br.At(want, wantV, 0.8+0.3*s); err != nil {
					t.Fatal(err)
				}
				for f := range 6 {
					lg.at(x, v, f, s, 2)
					for j := range 2 {
						if e := math.Abs(x[j] - want[f*2+j]); !(e < c.tol) {
							t.Fatalf("pair %d at s=%g: position off by %g", f, s, e)
						}
						if e := math.Abs(v[j]/0.3 - wantV[f*2+j]); !(e < 100*c.tol) {
							t.Fatalf("pair %d at s=%g: velocity off by %g", f, s, e)
						}
					}
				}
			}
		})
	}
}

func TestCheckLeaveOut(t *testing.T) {
	sys := system(t, kineticSrc)
	ser := synth(t, sys, []float64{0, 1, 2, 3}, 5)
	for _, c := range []struct {
		k  int
		ok bool
	}{{-1, false}, {1, true}, {2, true}, {3, false}, {4, false}} {
		_, err := NewTrainer(&Problem{Sys: sys, Series: ser, LeaveOut: c.k}, small())
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrLeaveOut)) {
			t.Errorf("leave out %d of 4 times: error %v, want ok=%v", c.k, err, c.ok)
		}
	}
	if err := CheckLeaveOut(0, 4); err == nil {
		t.Error("leave out time 0: no error")
	}
	s := small()
	s.Pairs.Coupling = fm.Independent
	if _, err := NewTrainer(&Problem{Sys: sys, Series: ser}, s); err == nil {
		t.Error("independent coupling accepted")
	}
	s = small()
	s.Pairs.Schedule = "bridge"
	if _, err := NewTrainer(&Problem{Sys: sys, Series: ser}, s); err == nil {
		t.Error("bridge noise schedule accepted")
	}
}

// TestNumericPaths trains on paths without a closed form (a bump), solved
// by bvp once and kept at the knots.
func TestNumericPaths(t *testing.T) {
	sys := system(t, bumpSrc)
	ser := synth(t, system(t, kineticSrc), []float64{0, 0.5, 1}, 10)
	tr, err := NewTrainer(&Problem{Sys: sys, Series: ser, Seed: 2}, small())
	if err != nil {
		t.Fatal(err)
	}
	train(t, tr, 5)
	for _, l := range tr.Losses() {
		if !(l > 0) || math.IsInf(l, 0) {
			t.Fatalf("losses %v", tr.Losses())
		}
	}
	if len(tr.legs) != 2 || tr.legs[0].pairs != 10 {
		t.Fatalf("%d intervals, %d pairs in the first; want 2 and 10", len(tr.legs), tr.legs[0].pairs)
	}
}

func BenchmarkIterate(b *testing.B) {
	sys := system(b, kineticSrc)
	ser := synth(b, sys, []float64{0, 0.5, 1, 1.5, 2}, 800)
	tr, err := NewTrainer(&Problem{Sys: sys, Series: ser, Seed: 1}, nil)
	if err != nil {
		b.Fatal(err)
	}
	train(b, tr, 1) // the couplings
	b.ResetTimer()
	for range b.N {
		if _, err := tr.Iterate(nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCouple is the first iteration's work on 5 times × 800 points in
// 2-D: four exact couplings and the paths at the knots.
func BenchmarkCouple(b *testing.B) {
	sys := system(b, kineticSrc)
	ser := synth(b, sys, []float64{0, 0.5, 1, 1.5, 2}, 800)
	for range b.N {
		tr, err := NewTrainer(&Problem{Sys: sys, Series: ser, Seed: 1}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := tr.couple(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestModelScoreSharesCouplings: the models of ModelScore reuse the
// couplings of the intervals they share, and score as a trainer built
// alone does.
func TestModelScoreSharesCouplings(t *testing.T) {
	sys := system(t, kineticSrc)
	ser := synth(t, sys, []float64{0, 0.5, 1, 1.5, 2}, 30)
	score := ModelScore(sys, ser, 20, 4, small(), 0)
	for _, k := range []int{1, 3} {
		got, err := score(k)
		if err != nil {
			t.Fatal(err)
		}
		tr, _ := NewTrainer(&Problem{Sys: sys, Series: ser, LeaveOut: k, Seed: 4}, small())
		train(t, tr, 20)
		want, err := tr.LeaveOutScore(false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got != want.W1 {
			t.Errorf("k=%d: ModelScore %v, a trainer alone %v", k, got, want.W1)
		}
	}
}
