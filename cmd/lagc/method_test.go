package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	lagrun "github.com/lagc-dev/lagc/runtime/run"
)

// TestTrainMethods runs every --method end to end, small: training, the
// evaluation in summary.json and the plots.
func TestTrainMethods(t *testing.T) {
	for _, m := range []string{"am", "ofm", "am-optimal"} {
		t.Run(m, func(t *testing.T) {
			run := filepath.Join(t.TempDir(), "run")
			code, _, errs := lagc(t, "", "train", "--method", m, "--iters", "20", "--batch", "32", "--hidden", "8,8",
				"--eval-n", "64", "--quiet", "-o", run)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var sum lagrun.Summary
			readJSON(t, filepath.Join(run, "summary.json"), &sum)
			if sum.Method != m || sum.Iterations != 20 || sum.Eval == nil || !(sum.Eval.W2 > 0) {
				t.Errorf("summary %+v, eval %+v: want method %s, 20 iterations and W2 > 0", sum, sum.Eval, m)
			}
			files := []string{"samples.png", "trajectories.png"}
			if m == "ofm" { // the others' losses can be negative, which a log axis cannot show
				files = append(files, "loss.png")
			}
			for _, f := range files {
				if _, err := os.Stat(filepath.Join(run, f)); err != nil {
					t.Error(err)
				}
			}
			// The checkpoint serves sample, eval and plot like an fm run's,
			// and eval on it reproduces summary.json's W2 with the same draw
			// of points only up to the sampler settings: check it is finite
			// and that sample returns the points asked for.
			code, out, errs := lagc(t, "", "sample", run, "-n", "5")
			if code != 0 || len(strings.Split(strings.TrimSpace(out), "\n")) != 5 {
				t.Errorf("sample: exit %d, %q, %s", code, out, errs)
			}
			code, out, errs = lagc(t, "", "eval", run, "-n", "64")
			if code != 0 || !strings.Contains(out, `"w2":`) {
				t.Errorf("eval: exit %d, %q, %s", code, out, errs)
			}
			if code, _, errs := lagc(t, "", "plot", run, "-n", "32", "--format", "svg"); code != 0 {
				t.Errorf("plot: exit %d, %s", code, errs)
			}
			if code, _, errs := lagc(t, "", "train", "--resume", "--iters", "25", "--quiet", "--eval-n", "0", "-o", run); code != 0 {
				t.Errorf("resume of a %s run: exit %d, %s", m, code, errs)
			}
			readJSON(t, filepath.Join(run, "summary.json"), &sum)
			if sum.Iterations != 25 || sum.Method != m {
				t.Errorf("resumed %s run: summary %+v, want 25 iterations of %s", m, sum, m)
			}
		})
	}
}

func TestTrainMethodUsage(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--method", "sgd"}, "--method"},
		{[]string{"--method", "ofm", "--resume"}, "--resume"},
		{[]string{"--method", "am", "--act", "relu", "--iters", "1"}, "silu"},
	}
	for i, c := range cases {
		args := append([]string{"train", "--quiet", "-o", filepath.Join(dir, string(rune('a'+i)))}, c.args...)
		code, _, errs := lagc(t, "", args...)
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("train %v: exit %d, %q; want an error mentioning %s", c.args, code, errs, c.want)
		}
	}
}
