package fm

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
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

func TestTrainingReducesLoss(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Iters = 300
	cfg.Batch = 128
	tr, err := NewTrainer(cfg, kinetic{2}, sampler(t, "gaussian"), sampler(t, "moons"))
	if err != nil {
		t.Fatal(err)
	}
	var first, last float64
	for i := 0; i < cfg.Iters; i++ {
		loss, err := tr.Iterate()
		if err != nil {
			t.Fatal(err)
		}
		if i < 20 {
			first += loss / 20
		}
		if i >= cfg.Iters-20 {
			last += loss / 20
		}
	}
	if !(last < 0.5*first) {
		t.Errorf("mean loss went from %.4f to %.4f; want at least halved", first, last)
	}
}

func TestOTCouplingIsOptimal(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Batch = 64
	tr, err := NewTrainer(cfg, kinetic{2}, sampler(t, "gaussian"), sampler(t, "moons"))
	if err != nil {
		t.Fatal(err)
	}
	var b Batch
	if err := tr.NewBatch(&b, rand.New(rand.NewPCG(1, 2))); err != nil {
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
	cfg := DefaultConfig()
	tr, err := NewTrainer(cfg, kinetic{2}, sampler(t, "gaussian"), sampler(t, "moons"))
	if err != nil {
		t.Fatal(err)
	}
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
	cfg := DefaultConfig()
	src, _ := data.Lookup("8gaussians")
	tgt, _ := data.Lookup("moons")
	tr, err := NewTrainer(cfg, kinetic{2}, src, tgt)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tr.Iterate(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestResumeRepeatsUninterruptedRun trains 40 iterations straight, and 20 +
// save + load + 20, on one thread, and wants bit-identical losses.
func TestResumeRepeatsUninterruptedRun(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Batch, cfg.Iters, cfg.Threads = 64, 40, 1
	src, tgt := sampler(t, "8gaussians"), sampler(t, "moons")
	straight, err := NewTrainer(cfg, kinetic{2}, src, tgt)
	if err != nil {
		t.Fatal(err)
	}
	for straight.Step < cfg.Iters {
		if _, err := straight.Iterate(); err != nil {
			t.Fatal(err)
		}
	}
	first, _ := NewTrainer(cfg, kinetic{2}, src, tgt)
	for first.Step < 20 {
		first.Iterate()
	}
	path := t.TempDir() + "/model.ckpt"
	if err := first.Save(path); err != nil {
		t.Fatal(err)
	}
	ck, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	resumed, err := Resume(ck, kinetic{2}, src, tgt)
	if err != nil {
		t.Fatal(err)
	}
	for resumed.Step < cfg.Iters {
		if _, err := resumed.Iterate(); err != nil {
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
}

func TestCorruptCheckpoints(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Batch = 16
	tr, _ := NewTrainer(cfg, kinetic{2}, sampler(t, "gaussian"), sampler(t, "moons"))
	tr.Iterate()
	path := t.TempDir() + "/model.ckpt"
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)/2] ^= 0x40
	for name, b := range map[string][]byte{
		"empty":     nil,
		"not ckpt":  []byte("hello, world, this is not a checkpoint"),
		"truncated": good[:len(good)-100],
		"bit flip":  flipped,
	} {
		if _, err := DecodeCheckpoint(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
	if _, err := DecodeCheckpoint(good); err != nil {
		t.Errorf("good checkpoint: %v", err)
	}
	// A checkpoint whose config asks for another network is refused.
	ck, _ := DecodeCheckpoint(good)
	ck.Cfg.Hidden = []int{32}
	if _, err := Resume(ck, kinetic{2}, sampler(t, "gaussian"), sampler(t, "moons")); err == nil {
		t.Error("resumed a checkpoint into a different architecture")
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
		cfg := DefaultConfig()
		cfg.Batch, cfg.Coupling = 16, Independent
		tr, err := NewTrainer(cfg, kinetic{2}, sampler(t, "gaussian"), c)
		if err != nil {
			t.Fatal(err)
		}
		before := append([]float64(nil), tr.Net.Params()...)
		_, err = tr.Iterate()
		if err == nil || !strings.Contains(err.Error(), "iteration 0") || !strings.Contains(err.Error(), "try") {
			t.Errorf("target %v: err = %v; want an error naming iteration 0 and what to try", float64(c), err)
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
		cfg := DefaultConfig()
		cfg.Batch, cfg.Iters, cfg.Threads = 64, 30, threads
		tr, err := NewTrainer(cfg, kinetic{2}, sampler(t, "8gaussians"), sampler(t, "moons"))
		if err != nil {
			t.Fatal(err)
		}
		for tr.Step < cfg.Iters {
			if _, err := tr.Iterate(); err != nil {
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
