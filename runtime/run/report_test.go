package run

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/fm"
)

// TestStart: a new run refuses a directory holding a checkpoint; resuming
// refuses settings the run does not have and continues with its own; the
// lock is held until release.
func TestStart(t *testing.T) {
	dir := t.TempDir()
	spec, set := small(t, "fm", 3)
	r, ckpt, release, err := Start(spec, &set, &StartSettings{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if ckpt != filepath.Join(dir, CheckpointName) {
		t.Errorf("checkpoint %s", ckpt)
	}
	if _, _, _, err := Start(spec, &set, &StartSettings{Dir: dir}); err == nil {
		t.Error("a second Start on a locked directory succeeded")
	}
	if err := r.Train(&TrainSettings{Checkpoint: ckpt}); err != nil {
		t.Fatal(err)
	}
	release()
	var exists *ExistsError
	if _, _, _, err := Start(spec, &set, &StartSettings{Dir: dir}); !errors.As(err, &exists) || exists.Checkpoint != ckpt {
		t.Errorf("new run over a checkpoint: %v, want *ExistsError", err)
	}
	other := set
	other.Optim.LR *= 2
	var differ *MismatchError
	_, _, _, err = Start(spec, &other, &StartSettings{Dir: dir, Resume: true, Asked: []string{"learning rate"}})
	if !errors.As(err, &differ) || len(differ.Diffs) != 1 || !strings.Contains(differ.Diffs[0], "learning rate") {
		t.Errorf("resume with another learning rate: %v, want *MismatchError naming it", err)
	}
	r, _, release, err = Start(spec, &other, &StartSettings{Dir: dir, Resume: true, Iters: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if r.Step() != 3 || r.Spec.Iters != 5 || r.Settings.Optim.LR != set.Optim.LR {
		t.Errorf("resumed at step %d of %d with lr %g; want 3 of 5 with the run's %g", r.Step(), r.Spec.Iters, r.Settings.Optim.LR, set.Optim.LR)
	}
}

// TestReport: summary.json holds what the run did, its evaluation equals
// Evaluate's with the same stream, and the text names them.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	spec, set := small(t, "fm", 4)
	r, err := New(spec, &set, &Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Train(nil); err != nil {
		t.Fatal(err)
	}
	sum, err := r.Report(&ReportSettings{Dir: dir, Checkpoint: "c", EvalN: 64, Plots: true, WallSeconds: 2, Trained: 4})
	if err != nil {
		t.Fatal(err)
	}
	var got Summary
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Iterations != 4 || got.ItersPerSec != 2 || got.Method != "fm" || got.Checkpoint != "c" || got.Eval == nil || got.Eval.N != 64 {
		t.Errorf("summary %+v", got)
	}
	if want := FinalLoss(r.Method.Losses()); got.FinalLoss != want {
		t.Errorf("final loss %g, want %g", got.FinalLoss, want)
	}
	if !(got.Eval.W2 > 0) || math.Abs(got.Eval.W2-sum.Eval.W2) > 1e-12 {
		t.Errorf("W2 in the file %g, returned %g", got.Eval.W2, sum.Eval.W2)
	}
	for _, f := range PlotFiles("png") {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("plot %s: %v", f, err)
		}
	}
	var text bytes.Buffer
	if err := sum.WriteText(&text, r.Reg.Title, dir); err != nil {
		t.Fatal(err)
	}
	if s := text.String(); !strings.Contains(s, "trained FM for 4 iterations") || !strings.Contains(s, "(2 it/s)") || !strings.Contains(s, "W2 to fresh target samples") || !strings.Contains(s, "rk4, 20 steps") {
		t.Errorf("text:\n%s", s)
	}
	// Plot draws the same figures elsewhere and says which.
	out := t.TempDir()
	files, err := r.Plot(out, "svg", 32, &fm.SampleSettings{Solver: fm.RK4, Steps: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(files, PlotFiles("svg")) {
		t.Errorf("Plot drew %v", files)
	}
}

// TestSamplerRequests: the request picks the sampler; requests the model
// cannot serve are refused before any sample is drawn.
func TestSamplerRequests(t *testing.T) {
	spec, set := small(t, "fm", 2)
	r, err := New(spec, &set, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &fm.SampleSettings{Solver: fm.Euler, Steps: 2}
	n, sample, err := r.Sampler(&SampleRequest{N: 10, Settings: s, Seed: 1})
	if err != nil || n != 10 {
		t.Fatalf("plain request: n %d, %v", n, err)
	}
	rows := 0
	if _, _, err := sample(func(x []float64, k int) error { rows += k; return nil }); err != nil || rows != 10 {
		t.Errorf("sampled %d rows (%v), want 10", rows, err)
	}
	from, label := 0.5, 1.0
	if _, _, err := r.Sampler(&SampleRequest{N: 10, Settings: s, From: &from}); !errors.Is(err, ErrNotSeries) {
		t.Errorf("push from a plain model: %v, want ErrNotSeries", err)
	}
	if _, _, err := r.Sampler(&SampleRequest{N: 10, Settings: s, Class: &label}); !errors.Is(err, ErrNotConditional) {
		t.Errorf("class of a plain model: %v, want ErrNotConditional", err)
	}

	sr, err := New(seriesSpec(t, 2), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ser := sr.Data.Series
	unobserved := (ser.Times[0] + ser.Times[1]) / 2
	if _, _, err := sr.Sampler(&SampleRequest{Settings: s, From: &unobserved}); !errors.Is(err, ErrNotObserved) {
		t.Errorf("push from an unobserved time: %v, want ErrNotObserved", err)
	}
	n, sample, err = sr.Sampler(&SampleRequest{N: 999, Settings: s})
	if err != nil || n != ser.Count(0) {
		t.Fatalf("series request: n %d (want the first snapshot's %d), %v", n, ser.Count(0), err)
	}
	// The pushed points come out in the data's units: as Push's, inverted
	// by the standardizer when there is one.
	var got []float64
	if _, _, err := sample(func(x []float64, k int) error { got = append(got, x...); return nil }); err != nil {
		t.Fatal(err)
	}
	x, _, _ := sr.Snapshot(ser.Times[0])
	res, err := sr.Push(x, n, ser.Times[0], ser.Times[ser.Len()-1], false, s)
	if err != nil {
		t.Fatal(err)
	}
	if sr.Data.Std != nil {
		sr.Data.Std.Invert(res.X, res.X, n)
	}
	if !slices.Equal(got, res.X) {
		t.Error("PushSample differs from Push in the data's units")
	}
}

func TestMethodList(t *testing.T) {
	list := MethodList()
	for _, m := range Methods() {
		if !strings.Contains(list, m.Name+" ("+m.About+")") {
			t.Errorf("MethodList %q lacks %s", list, m.Name)
		}
	}
}
