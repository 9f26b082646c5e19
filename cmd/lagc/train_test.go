package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lagrun "github.com/lagc-dev/lagc/runtime/run"
)

// TestTrainResumeSampleEvalPlot runs the main job small, end to end.
func TestTrainResumeSampleEvalPlot(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	small := []string{"--batch", "32", "--hidden", "16,16", "--eval-n", "64", "--quiet", "-o", run}
	code, _, errs := lagc(t, "", append([]string{"train", "--iters", "30", "--ckpt-every", "10"}, small...)...)
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errs)
	}
	var sum lagrun.Summary
	readJSON(t, filepath.Join(run, "summary.json"), &sum)
	if sum.Iterations != 30 || sum.Eval == nil || !(sum.Eval.W2 > 0) || sum.Eval.NFE != 80 {
		t.Errorf("summary %+v, eval %+v: want 30 iterations and an eval with W2 > 0 and NFE 80", sum, sum.Eval)
	}
	for _, f := range []string{"model.ckpt", "samples.png", "trajectories.png", "loss.png"} {
		if _, err := os.Stat(filepath.Join(run, f)); err != nil {
			t.Error(err)
		}
	}
	// A second train into the same directory must not overwrite the run.
	if code, _, errs := lagc(t, "", append([]string{"train", "--iters", "5"}, small...)...); code != 1 || !strings.Contains(errs, "--resume") {
		t.Errorf("train over an existing run: exit %d, %s; want 1 and a hint to --resume", code, errs)
	}
	if code, _, errs := lagc(t, "", "train", "--resume", "--iters", "45", "--quiet", "--eval-n", "0", "--no-plot", "-o", run); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	readJSON(t, filepath.Join(run, "summary.json"), &sum)
	if sum.Iterations != 45 {
		t.Errorf("resumed run reports %d iterations, want 45", sum.Iterations)
	}
	code, out, errs := lagc(t, "", "sample", run, "-n", "7", "--solver", "euler", "--steps", "5")
	if code != 0 {
		t.Fatalf("sample: exit %d: %s", code, errs)
	}
	if rows := strings.Split(strings.TrimSpace(out), "\n"); len(rows) != 7 || len(strings.Split(rows[0], ",")) != 2 {
		t.Errorf("sample printed %q, want 7 rows of 2 columns", out)
	}
	code, out, errs = lagc(t, "", "eval", filepath.Join(run, "model.ckpt"), "-n", "50", "--solver", "dopri5")
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("eval output %q: %v", out, err)
	}
	for _, k := range []string{"w2", "w1", "mmd", "nfe", "path_energy"} {
		if v, ok := m[k].(float64); !ok || math.IsNaN(v) {
			t.Errorf("eval JSON lacks the number %s: %s", k, out)
		}
	}
	if code, _, errs := lagc(t, "", "plot", run, "--format", "svg", "-n", "40"); code != 0 {
		t.Fatalf("plot: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(run, "trajectories.svg")); err != nil {
		t.Error(err)
	}
	// A damaged checkpoint is refused with a clear error.
	ckpt := filepath.Join(run, "model.ckpt")
	b, _ := os.ReadFile(ckpt)
	os.WriteFile(ckpt, b[:len(b)/2], 0o644)
	if code, _, errs := lagc(t, "", "eval", ckpt); code != 1 || !strings.Contains(errs, "corrupt checkpoint") {
		t.Errorf("eval of a truncated checkpoint: exit %d: %s", code, errs)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestTrainUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"train", "--batch", "0"},
		{"train", "--coupling", "sinkhorn2"},
		{"train", "--hidden", "64,-1"},
		{"train", "extra-arg"},
		{"train", "--lr", "-1"},
		{"train", "--act", "foo"},
		{"train", "--method", "magic"},
		{"train", "--diverge", "-1"},
		{"train", "--threads", "-1"},
	} {
		if code, _, _ := lagc(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	// Library errors name concepts; the command adds the flag.
	for flag, concept := range map[string]string{"--lr": "learning rate", "--act": "activation", "--method": "training method"} {
		value := map[string]string{"--lr": "-1", "--act": "foo", "--method": "magic"}[flag]
		_, _, errs := lagc(t, "", "train", flag, value, "-o", t.TempDir())
		if !strings.Contains(errs, concept) || !strings.Contains(errs, flag) {
			t.Errorf("train %s %s: %q, want the concept %q and the flag", flag, value, errs, concept)
		}
	}
	if code, _, errs := lagc(t, "", "train", "--target", "mooons", "-o", t.TempDir()); code != 1 || !strings.Contains(errs, "moons") {
		t.Errorf("unknown target: exit %d, %s; want 1 and a suggestion", code, errs)
	}
}

// TestPathCommand checks lagc path against the closed form of the harmonic
// oscillator and its error cases.
func TestPathCommand(t *testing.T) {
	code, out, errs := lagc(t, "", "path", ex+"harmonic.lag", "--x0", "1,2", "--x1", "-0.5,3", "--t", "0,0.3,1", "-p", "w=1.2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var p struct {
		T          []float64
		X, V       [][]float64
		Action     float64
		Method     string
		Iterations int
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	w := 1.2
	x0, x1 := []float64{1, 2}, []float64{-0.5, 3}
	for k, tt := range p.T {
		for i := range x0 {
			want := (math.Sin(w*(1-tt))*x0[i] + math.Sin(w*tt)*x1[i]) / math.Sin(w)
			if math.Abs(p.X[k][i]-want) > 1e-12 {
				t.Errorf("x(%g)[%d] = %.15g, want %.15g", tt, i, p.X[k][i], want)
			}
		}
	}
	wantS := w / (2 * math.Sin(w)) * ((5+9.25)*math.Cos(w) - 2*(-0.5+6))
	if math.Abs(p.Action-wantS) > 1e-12 || p.Method != "closed-form" {
		t.Errorf("action %.15g method %q, want %.15g closed-form", p.Action, p.Method, wantS)
	}
	// The numeric solver on the bump: the endpoints are met.
	code, out, errs = lagc(t, "", "path", ex+"bump.lag", "--x0", "-2,0.5", "--x1", "2,0.3", "--t", "0,1")
	if code != 0 || !strings.Contains(out, `"x":[[-2,0.5],[2,0.3]]`) {
		t.Errorf("bump: exit %d, %s %s", code, out, errs)
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"path", ex + "harmonic.lag", "--x0", "1,2", "--x1", "1"}, 2, "components"},
		{[]string{"path", ex + "harmonic.lag", "--x0", "1,2"}, 2, "required"},
		{[]string{"path", ex + "harmonic.lag", "--x0", "1,NaN", "--x1", "1,1"}, 2, "finite"},
		{[]string{"path", ex + "harmonic.lag", "--x0", "1,2", "--x1", "0,1", "-p", "w=4"}, 1, "conjugate point"},
		{[]string{"path", ex + "magnetic.lag", "--x0", "1,2,3", "--x1", "0,1,2"}, 1, "dimension"},
		{[]string{"path", ex + "harmonic.lag", "--x0", "1", "--x1", "2", "--t", "1.5"}, 2, "[0, 1]"},
	} {
		code, _, errs := lagc(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.msg)
		}
	}
}

// TestTrainDivergence: a learning rate of 1e9 makes the loss explode at
// iteration 1; train exits 1 saying what to try, names the checkpoint
// written before only when there is one, and writes no summary.
func TestTrainDivergence(t *testing.T) {
	for _, every := range []string{"1000", "1"} {
		dir := filepath.Join(t.TempDir(), "run")
		code, _, errs := lagc(t, "", "train", "--lr", "1e9", "--iters", "200", "--batch", "16", "--hidden", "8",
			"--quiet", "--ckpt-every", every, "-o", dir)
		if code != 1 || !strings.Contains(errs, "diverged") || !strings.Contains(errs, "--lr") {
			t.Errorf("--ckpt-every %s: exit %d, %q; want 1, divergence and what to try", every, code, errs)
		}
		_, statErr := os.Stat(filepath.Join(dir, "model.ckpt"))
		named := strings.Contains(errs, "the last checkpoint written before it is")
		if named != (statErr == nil) || (every == "1000" && named) {
			t.Errorf("--ckpt-every %s: checkpoint exists %v, named %v: %s", every, statErr == nil, named, errs)
		}
		if _, err := os.Stat(filepath.Join(dir, "summary.json")); err == nil {
			t.Errorf("--ckpt-every %s: a diverged run wrote summary.json", every)
		}
	}
}
