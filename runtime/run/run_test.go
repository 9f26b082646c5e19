package run

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/nn"
)

// small returns a spec and settings of method that train in milliseconds.
func small(t *testing.T, method string, iters int) (Spec, fm.Settings) {
	t.Helper()
	spec := DefaultSpec()
	spec.Method, spec.Iters = method, iters
	reg, err := Lookup(method)
	if err != nil {
		t.Fatal(err)
	}
	s := reg.Defaults()
	s.Pairs.Batch, s.Hidden = 16, []int{8, 8}
	if reg.Labelled {
		spec.Target, spec.LabelColumn, spec.Holdout = "csv:"+twoClasses(t, 60), 2, 0.25
	}
	return spec, s
}

// twoClasses writes n labelled points, class 0 around (-3, 0) and class 1
// around (3, 0), as x, y, label rows of a CSV file and returns its path.
func twoClasses(t *testing.T, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(9, 9))
	x := make([]float64, 3*n)
	for i := range n {
		k := float64(i % 2)
		x[3*i], x[3*i+1], x[3*i+2] = 6*k-3+0.3*rng.NormFloat64(), 0.3*rng.NormFloat64(), k
	}
	path := filepath.Join(t.TempDir(), "two.csv")
	if err := data.WriteCSV(path, x, n, 3, nil); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestResumeIsExact: for every method, 12 iterations straight equal 6, a
// checkpoint, Resume and 6 more, bit for bit: losses and state.
func TestResumeIsExact(t *testing.T) {
	for _, reg := range Methods() {
		t.Run(reg.Name, func(t *testing.T) {
			spec, set := small(t, reg.Name, 12)
			// One thread: ofm's inner solver sums in an order that depends
			// on the number of workers.
			one := &Options{Threads: 1}
			straight, err := New(spec, &set, one)
			if err != nil {
				t.Fatal(err)
			}
			if err := straight.Train(nil); err != nil {
				t.Fatal(err)
			}
			spec.Iters = 6
			first, err := New(spec, &set, one)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "model.ckpt")
			if err := first.Train(&TrainSettings{Checkpoint: path, Every: 4}); err != nil {
				t.Fatal(err)
			}
			resumed, err := Resume(path, 12, one)
			if err != nil {
				t.Fatal(err)
			}
			if resumed.Step() != 6 || resumed.Spec.Iters != 12 {
				t.Fatalf("resumed at step %d of %d, want 6 of 12", resumed.Step(), resumed.Spec.Iters)
			}
			if err := resumed.Train(&TrainSettings{Checkpoint: path}); err != nil {
				t.Fatal(err)
			}
			a, b := straight.Method.Losses(), resumed.Method.Losses()
			if len(a) != 12 || len(b) != 12 {
				t.Fatalf("%d losses straight, %d resumed; want 12", len(a), len(b))
			}
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("iteration %d: loss %.17g resumed, %.17g straight", i, b[i], a[i])
				}
			}
			sa, _ := straight.Method.State()
			sb, _ := resumed.Method.State()
			if !bytes.Equal(sa, sb) {
				t.Error("the model or optimiser state differs after resume")
			}
			ck, err := ReadCheckpoint(path)
			if err != nil || ck.Step() != 12 || ck.Spec.Method != reg.Name {
				t.Errorf("final checkpoint: step %d, method %q, err %v", ck.Step(), ck.Spec.Method, err)
			}
		})
	}
}

// TestOldCheckpointRefused: a checkpoint written by lagc before this
// package (format 1, testdata/format1.ckpt from `lagc train --iters 3`) is
// refused as written by an older lagc, not as corrupt.
func TestOldCheckpointRefused(t *testing.T) {
	_, err := Open("testdata/format1.ckpt", nil)
	if !errors.Is(err, ErrOldFormat) || errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "written by an older lagc") {
		t.Fatalf("err = %v, want one saying the checkpoint was written by an older lagc", err)
	}
}

func TestCorruptCheckpoints(t *testing.T) {
	spec, set := small(t, "fm", 1)
	r, err := New(spec, &set, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.ckpt")
	if err := r.Train(&TrainSettings{Checkpoint: path}); err != nil {
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
	ck, err := DecodeCheckpoint(good)
	if err != nil {
		t.Fatalf("good checkpoint: %v", err)
	}
	// Settings that ask for another network do not take the state.
	ck.Settings.Hidden = []int{32}
	other := filepath.Join(t.TempDir(), "other.ckpt")
	if err := WriteCheckpoint(other, ck); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(other, nil); err == nil {
		t.Error("opened a checkpoint whose state does not fit its settings")
	}
}

// TestDivergenceStops: with a learning rate of 1e3 the loss explodes at
// iteration 1; training stops there with a DivergedError before the weights
// change, the last checkpoint is the one written before (named only when it
// exists), and with the check off the same run trains on.
func TestDivergenceStops(t *testing.T) {
	dir := t.TempDir()
	spec, set := small(t, "fm", 20)
	set.Optim.LR = 1e3
	path := filepath.Join(dir, "model.ckpt")
	r, err := New(spec, &set, nil)
	if err != nil {
		t.Fatal(err)
	}
	var seen []float64
	err = r.Train(&TrainSettings{Checkpoint: path, Every: 1, Progress: func(_ int, loss float64) { seen = append(seen, loss) }})
	var de *DivergedError
	if !errors.As(err, &de) || !errors.Is(err, nn.ErrDiverged) {
		t.Fatalf("err = %v, want a DivergedError", err)
	}
	if de.Step != 1 || de.Checkpoint != path || de.CheckpointStep != 1 || !strings.Contains(err.Error(), "learning rate") {
		t.Errorf("error %q at step %d names checkpoint %q at %d; want step 1, %s at 1 and what to try", err, de.Step, de.Checkpoint, de.CheckpointStep, path)
	}
	// The refused iteration left no loss, no step and no checkpoint.
	if got := len(r.Method.Losses()); got != 1 || len(seen) != 1 {
		t.Errorf("%d losses recorded, %d reported; want 1", got, len(seen))
	}
	ck, err := ReadCheckpoint(path)
	if err != nil || ck.Step() != 1 {
		t.Fatalf("checkpoint after divergence: %v, want the one of step 1", err)
	}
	if state, _ := r.Method.State(); !bytes.Equal(state, ck.State) {
		t.Error("the weights changed in the iteration refused for divergence")
	}
	// A fresh run that diverges before any checkpoint names none.
	spec.Iters = 20
	fresh, _ := New(spec, &set, nil)
	err = fresh.Train(&TrainSettings{Checkpoint: filepath.Join(dir, "fresh.ckpt"), Every: 1000})
	if !errors.As(err, &de) || de.Checkpoint != "" || !strings.Contains(err.Error(), "no checkpoint") {
		t.Errorf("fresh run: err = %v, want a DivergedError naming no checkpoint", err)
	}
	if _, statErr := os.Stat(filepath.Join(dir, "fresh.ckpt")); statErr == nil {
		t.Error("a diverged fresh run wrote a checkpoint")
	}
	// Off switch: the same run is not stopped by the factor.
	off, _ := New(spec, &set, nil)
	if err := off.Train(&TrainSettings{Divergence: -1}); err != nil && !strings.Contains(err.Error(), "is +Inf") && !strings.Contains(err.Error(), "NaN") {
		t.Errorf("with the check off: %v", err)
	}
	if len(off.Method.Losses()) < 2 {
		t.Errorf("with the check off the run stopped at %d", len(off.Method.Losses()))
	}
}

// TestLibraryErrorsNameConcepts: the library says "learning rate", not
// a command-line flag.
func TestLibraryErrorsNameConcepts(t *testing.T) {
	spec, set := small(t, "fm", 1)
	set.Optim.LR = -1
	set.Activation = "swish"
	_, err := New(spec, &set, nil)
	if err == nil || !strings.Contains(err.Error(), "learning rate") || !strings.Contains(err.Error(), "activation") || strings.Contains(err.Error(), "--") {
		t.Errorf("err = %v, want concepts and no flags", err)
	}
	spec.Method = "sgd"
	if _, err := New(spec, nil, nil); err == nil || !strings.Contains(err.Error(), "training method") {
		t.Errorf("err = %v, want an unknown training method", err)
	}
}

// A conditional run knows its classes, refuses one it does not have and
// evaluates each class against its held-out points; an unconditional run
// has no classes to sample.
func TestConditionalRun(t *testing.T) {
	spec, set := small(t, "cond", 30)
	r, err := New(spec, &set, &Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Train(nil); err != nil {
		t.Fatal(err)
	}
	if got := r.Labels(); !slices.Equal(got, []float64{0, 1}) || r.Data.Dim != 2 || r.Data.Holdout.N != 15 {
		t.Fatalf("labels %v, dimension %d, %d held out; want [0 1], 2 and 15", got, r.Data.Dim, r.Data.Holdout.N)
	}
	if _, err := r.ClassTransport(1, false); err != nil {
		t.Error(err)
	}
	if _, err := r.ClassTransport(2, false); err == nil || !strings.Contains(err.Error(), "not among") {
		t.Errorf("class 2 of classes 0, 1: error %v", err)
	}
	cells, err := r.EvaluateClasses(5, nil, false, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	held := 0
	for _, c := range cells {
		held += c.N
		if !(c.W2 > 0) {
			t.Errorf("class %v: W2 %v", c.Label, c.W2)
		}
	}
	if len(cells) != 2 || held != 10 {
		t.Errorf("%d classes with %d samples in all; want 2 of 5 each", len(cells), held)
	}

	plain, err := New(DefaultSpec(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Labels() != nil {
		t.Errorf("unconditional run has labels %v", plain.Labels())
	}
	if _, err := plain.ClassTransport(0, false); !errors.Is(err, ErrNotConditional) {
		t.Errorf("class of an unconditional run: error %v, want ErrNotConditional", err)
	}
	if _, err := plain.EvaluateClasses(5, nil, false, nil); !errors.Is(err, ErrNotConditional) {
		t.Errorf("per-class evaluation of an unconditional run: error %v, want ErrNotConditional", err)
	}
}
