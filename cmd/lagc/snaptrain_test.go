package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// snapArgs train briefly on the example series.
func snapArgs(dir string, extra ...string) []string {
	return append([]string{"train", "--snapshots", "csv:" + snapCSV, "--time-col", "t", "--cols", "x,y",
		"-L", "../../examples/snapshots/harmonic.lag", "-p", "w=1.2", "--iters", "200", "--hidden", "32,32",
		"--batch", "64", "--quiet", "-o", dir}, extra...)
}

func TestTrainSnapshots(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, _, stderr := lagc(t, "", snapArgs(dir, "--leave-out", "2", "--standardize", "--iters", "100")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum map[string]any
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"loo_w1", "loo_w1_interpolation", "leave_out_t"} {
		if v, ok := sum[key].(float64); !ok || !(v > 0) || math.IsInf(v, 0) {
			t.Errorf("summary %s = %v", key, sum[key])
		}
	}
	if sum["leave_out"] != 2.0 {
		t.Errorf("summary leave_out = %v, want 2", sum["leave_out"])
	}
	// The directory holds a run: a second one is refused, --resume continues it.
	if code, _, stderr := lagc(t, "", snapArgs(dir, "--leave-out", "2")...); code != 1 || !strings.Contains(stderr, "--resume") {
		t.Errorf("training over a run: exit %d, %s", code, stderr)
	}
	if code, _, stderr := lagc(t, "", "train", "--resume", "-o", dir, "--iters", "120", "--quiet"); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}

	// sample --from a --to a gives back the snapshot at a, in the data's
	// units (through the standardization and back).
	code, out, stderr := lagc(t, "", "sample", dir, "--from", "0.5", "--to", "0.5")
	if code != 0 {
		t.Fatalf("sample: exit %d: %s", code, stderr)
	}
	csv, _ := os.ReadFile(snapCSV)
	var want []string
	for _, line := range strings.Split(string(csv), "\n") {
		if rest, ok := strings.CutPrefix(line, "0.5,"); ok {
			want = append(want, rest)
		}
	}
	got := strings.Split(strings.TrimSpace(out), "\n")
	if len(got) != len(want) || len(got) != 200 {
		t.Fatalf("sample from 0.5 to 0.5: %d rows, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := strings.Split(got[i], ","), strings.Split(want[i], ",")
		for j := range w {
			gv, _ := strconv.ParseFloat(g[j], 64)
			wv, _ := strconv.ParseFloat(w[j], 64)
			if math.Abs(gv-wv) > 1e-12*(1+math.Abs(wv)) {
				t.Fatalf("row %d: %s, want %s", i, got[i], want[i])
			}
		}
	}
	if code, out, stderr := lagc(t, "", "sample", dir, "--from", "0", "--to", "2"); code != 0 || len(strings.Split(strings.TrimSpace(out), "\n")) != 200 {
		t.Errorf("sample from 0 to 2: exit %d, %s", code, stderr)
	}

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sample", dir, "--from", "0.7"}, 2, "not an observed time"},
		{[]string{"sample", dir, "--from", "0.5", "--to", "3"}, 1, "outside the span"},
		{[]string{"eval", dir}, 1, "snapshot series"},
	} {
		if code, _, stderr := lagc(t, "", c.args...); code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %s; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// TestTrainSnapshotsUsage: the leave-out time must be interior (of the 5
// times 0..4 of the example), and snapshot flags need a series.
func TestTrainSnapshotsUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--leave-out", "0"}, "interior"},
		{[]string{"--leave-out", "4"}, "interior"},
		{[]string{"--leave-out", "9"}, "interior"},
		{[]string{"--leave-out", "x"}, "not an integer"},
		{[]string{"--method", "am"}, "does not train on snapshot series"},
	} {
		dir := filepath.Join(t.TempDir(), "run")
		code, _, stderr := lagc(t, "", snapArgs(dir, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	if code, _, _ := lagc(t, "", "train", "--leave-out", "1", "-o", filepath.Join(t.TempDir(), "r")); code != 2 {
		t.Errorf("--leave-out without --snapshots: exit %d, want 2", code)
	}
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := lagc(t, "", "train", "--iters", "5", "--quiet", "--no-plot", "--eval-n", "0", "-o", dir); code != 0 {
		t.Fatalf("moons run: %d %s", code, stderr)
	}
	if code, _, _ := lagc(t, "", "sample", dir, "--from", "0", "--to", "1"); code != 2 {
		t.Errorf("sample --from on a moons run: exit %d, want 2", code)
	}
}
