package fm

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/nn"
)

// kinetic is L = ½|v|² with its closed form, written by hand so that these
// tests do not depend on the compiler.
type kinetic struct{ d int }

func (k kinetic) Dim() int { return k.d }
func (k kinetic) L(t float64, x, v []float64) float64 {
	var s float64
	for _, vi := range v {
		s += vi * vi
	}
	return s / 2
}
func (k kinetic) Accel(dst []float64, t float64, x, v []float64) { clear(dst[:k.d]) }
func (k kinetic) Clone() lagrangian.System                       { return k }
func (k kinetic) Path(xt, vt []float64, t float64, x0, x1 []float64) error {
	for i := range x0 {
		xt[i] = (1-t)*x0[i] + t*x1[i]
		vt[i] = x1[i] - x0[i]
	}
	return nil
}
func (k kinetic) Action(x0, x1 []float64) (float64, error) {
	var s float64
	for i := range x0 {
		s += (x1[i] - x0[i]) * (x1[i] - x0[i])
	}
	return s / 2, nil
}

func sampler(t *testing.T, name string) data.Sampler {
	t.Helper()
	s, err := data.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// trainer builds a Trainer of sys from src to tgt with the default settings
// changed by edit (when not nil).
func trainer(t testing.TB, sys lagrangian.System, src, tgt data.Sampler, edit func(*Settings, *Problem)) *Trainer {
	t.Helper()
	s, p := DefaultSettings(), Problem{Sys: sys, Source: src, Target: tgt, Seed: 1}
	if edit != nil {
		edit(&s, &p)
	}
	tr, err := NewTrainer(&p, &s)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestTrainingReducesLoss(t *testing.T) {
	const iters = 300
	tr := trainer(t, kinetic{2}, sampler(t, "gaussian"), sampler(t, "moons"), func(s *Settings, p *Problem) { s.Pairs.Batch, p.Iters = 128, iters })
	var first, last float64
	for i := 0; i < iters; i++ {
		loss, err := tr.Iterate(nil)
		if err != nil {
			t.Fatal(err)
		}
		if i < 20 {
			first += loss / 20
		}
		if i >= iters-20 {
			last += loss / 20
		}
	}
	if !(last < 0.5*first) {
		t.Errorf("mean loss went from %.4f to %.4f; want at least halved", first, last)
	}
}

func TestOTCouplingIsOptimal(t *testing.T) {
	tr := trainer(t, kinetic{2}, sampler(t, "gaussian"), sampler(t, "moons"), func(s *Settings, _ *Problem) { s.Pairs.Batch = 64 })
	var b Batch
	if err := tr.Pairs.NewBatch(&b, rand.New(rand.NewPCG(1, 2))); err != nil {
		t.Fatal(err)
	}
	// No swap of two targets lowers the total squared distance (2-opt
	// optimality, a necessary condition checked by brute force).
	d := 2
	sq := func(i, j int) float64 {
		dx, dy := b.X0[i*d]-b.X1[j*d], b.X0[i*d+1]-b.X1[j*d+1]
		return dx*dx + dy*dy
	}
	for i := 0; i < b.N; i++ {
		for j := i + 1; j < b.N; j++ {
			if sq(i, j)+sq(j, i) < sq(i, i)+sq(j, j)-1e-12 {
				t.Fatalf("swapping targets of %d and %d lowers the cost", i, j)
			}
		}
	}
}

func TestSampleExactField(t *testing.T) {
	// The field of a trained model is replaced by an untrained net's output
	// check: sample with every solver and compare against a fine RK4 run.
	tr := trainer(t, kinetic{2}, sampler(t, "gaussian"), sampler(t, "moons"), nil)
	n := 50
	x0 := make([]float64, n*2)
	sampler(t, "gaussian").Sample(x0, n, rand.New(rand.NewPCG(3, 4)))
	ref, err := Sample(tr.Net, x0, n, &SampleSettings{Solver: RK4, Steps: 400})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		solver string
		steps  int
		tol    float64
		nfe    int
	}{{Euler, 200, 1e-2, 200}, {Midpoint, 100, 1e-4, 200}, {RK4, 40, 1e-5, 160}, {Adaptive, 0, 1e-4, -1}} {
		res, err := Sample(tr.Net, x0, n, &SampleSettings{Solver: tc.solver, Steps: tc.steps, Trajectory: 5})
		if err != nil {
			t.Fatal(err)
		}
		if tc.nfe > 0 && res.NFE != tc.nfe {
			t.Errorf("%s: NFE %d, want %d", tc.solver, res.NFE, tc.nfe)
		}
		if len(res.Traj) != 5 || res.TrajT[4] != 1 {
			t.Errorf("%s: %d snapshots ending at %v, want 5 ending at 1", tc.solver, len(res.Traj), res.TrajT)
		}
		var worst float64
		for i := range ref.X {
			worst = math.Max(worst, math.Abs(res.X[i]-ref.X[i]))
		}
		if worst > tc.tol {
			t.Errorf("%s: max deviation from fine RK4 %.3g > %.3g", tc.solver, worst, tc.tol)
		}
	}
}

func BenchmarkIterationKineticOT(b *testing.B) {
	src, _ := data.Lookup("8gaussians")
	tgt, _ := data.Lookup("moons")
	tr := trainer(b, kinetic{2}, src, tgt, nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tr.Iterate(nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRestoreRepeatsUninterruptedRun trains 40 iterations straight, and 20 +
// State + Restore into a fresh trainer + 20, on one thread, and wants
// bit-identical losses and weights.
func TestRestoreRepeatsUninterruptedRun(t *testing.T) {
	const iters = 40
	src, tgt := sampler(t, "8gaussians"), sampler(t, "moons")
	edit := func(s *Settings, p *Problem) { s.Pairs.Batch, p.Iters, p.Threads = 64, iters, 1 }
	straight := trainer(t, kinetic{2}, src, tgt, edit)
	for straight.Step < iters {
		if _, err := straight.Iterate(nil); err != nil {
			t.Fatal(err)
		}
	}
	first := trainer(t, kinetic{2}, src, tgt, edit)
	for first.Step < 20 {
		first.Iterate(nil)
	}
	state, err := first.State()
	if err != nil {
		t.Fatal(err)
	}
	resumed := trainer(t, kinetic{2}, src, tgt, edit)
	if err := resumed.Restore(first.Losses(), state); err != nil {
		t.Fatal(err)
	}
	for resumed.Step < iters {
		if _, err := resumed.Iterate(nil); err != nil {
			t.Fatal(err)
		}
	}
	for i := range straight.Loss {
		if straight.Loss[i] != resumed.Loss[i] {
			t.Fatalf("iteration %d: loss %.17g resumed, %.17g uninterrupted", i, resumed.Loss[i], straight.Loss[i])
		}
	}
	for i, p := range straight.Net.Params() {
		if resumed.Net.Params()[i] != p {
			t.Fatalf("weight %d differs after resume", i)
		}
	}
	// A state does not go into another architecture, nor does a damaged one.
	other := trainer(t, kinetic{2}, src, tgt, func(s *Settings, p *Problem) { edit(s, p); s.Hidden = []int{32} })
	if err := other.Restore(first.Losses(), state); err == nil {
		t.Error("restored a state into a different architecture")
	}
	if err := resumed.Restore(first.Losses(), state[:len(state)/2]); err == nil {
		t.Error("restored a truncated state")
	}
}

// constant is a sampler of one repeated value, for data that make the loss
// overflow (1e200) or turn NaN.
type constant float64

func (c constant) Dim() int { return 2 }
func (c constant) Sample(dst []float64, n int, _ *rand.Rand) {
	for i := range dst[:2*n] {
		dst[i] = float64(c)
	}
}

// TestDivergenceIsReported wants a non-finite loss stopped with an error
// naming the iteration and a remedy, before the weights are touched.
func TestDivergenceIsReported(t *testing.T) {
	for _, c := range []constant{1e200, constant(math.NaN())} {
		tr := trainer(t, kinetic{2}, sampler(t, "gaussian"), c, func(s *Settings, _ *Problem) { s.Pairs.Batch, s.Pairs.Coupling = 16, Independent })
		before := append([]float64(nil), tr.Net.Params()...)
		_, err := tr.Iterate(nil)
		if err == nil || !strings.Contains(err.Error(), "iteration 0") || !errors.Is(err, nn.ErrDiverged) {
			t.Errorf("target %v: err = %v; want an error naming iteration 0 and wrapping nn.ErrDiverged", float64(c), err)
		}
		for i, p := range tr.Net.Params() {
			if p != before[i] {
				t.Fatalf("target %v: weight %d changed although the step failed", float64(c), i)
			}
		}
		if tr.Step != 0 {
			t.Errorf("target %v: step advanced to %d", float64(c), tr.Step)
		}
	}
}

// TestPrefetchChangesNothing trains with batches prefetched on another
// goroutine (Threads 0) and without (Threads 1): the losses must be the
// same bits.
func TestPrefetchChangesNothing(t *testing.T) {
	losses := make([][]float64, 2)
	for i, threads := range []int{0, 1} {
		tr := trainer(t, kinetic{2}, sampler(t, "8gaussians"), sampler(t, "moons"), func(s *Settings, p *Problem) {
			s.Pairs.Batch, p.Iters, p.Threads = 64, 30, threads
		})
		for tr.Step < 30 {
			if _, err := tr.Iterate(nil); err != nil {
				t.Fatal(err)
			}
		}
		losses[i] = tr.Loss
	}
	for k := range losses[0] {
		if losses[0][k] != losses[1][k] {
			t.Fatalf("iteration %d: loss %.17g with prefetching, %.17g without", k, losses[0][k], losses[1][k])
		}
	}
}
