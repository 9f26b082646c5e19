package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const snapCSV = "../../examples/snapshots/harmonic.csv"

// TestPathInterval: x(t) = (x0 sin ω(t1−t) + x1 sin ω(t−t0))/sin ω(t1−t0)
// on [2, 3] with ω = π/2, reported at physical times with dx/dt.
func TestPathInterval(t *testing.T) {
	code, out, stderr := lagc(t, "", "path", ex+"harmonic.lag", "--x0", "1", "--x1", "0.5", "--t0", "2", "--t1", "3", "--t", "2,2.25,3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var p struct {
		T []float64
		X [][]float64
		V [][]float64
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	w := math.Pi / 2
	for i, tt := range []float64{2, 2.25, 3} {
		want := (1*math.Sin(w*(3-tt)) + 0.5*math.Sin(w*(tt-2))) / math.Sin(w)
		wantV := w * (-1*math.Cos(w*(3-tt)) + 0.5*math.Cos(w*(tt-2))) / math.Sin(w)
		if p.T[i] != tt || math.Abs(p.X[i][0]-want) > 1e-12 || math.Abs(p.V[i][0]-wantV) > 1e-12 {
			t.Errorf("t=%g: got t=%g x=%g v=%g, want x=%g v=%g", tt, p.T[i], p.X[i][0], p.V[i][0], want, wantV)
		}
	}
	for _, args := range [][]string{{"--t0", "3", "--t1", "2"}, {"--t0", "0", "--t1", "1", "--t", "1.5"}} {
		a := append([]string{"path", ex + "harmonic.lag", "--x0", "1", "--x1", "0.5"}, args...)
		if code, _, _ := lagc(t, "", a...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	// ω(t1 − t0) = π/2·2.5 > π: a conjugate point inside the interval.
	code, _, stderr = lagc(t, "", "path", ex+"harmonic.lag", "--x0", "1", "--x1", "0.5", "--t0", "0", "--t1", "2.5")
	if code != 1 || !strings.Contains(stderr, "conjugate point") || !strings.Contains(stderr, "[0, 2.5]") {
		t.Errorf("conjugate interval: exit %d, %s", code, stderr)
	}
}

func TestFitCommand(t *testing.T) {
	lag := "../../examples/snapshots/harmonic.lag"
	code, out, stderr := lagc(t, "", "fit", lag, "--snapshots", "csv:"+snapCSV, "--time-col", "t", "--cols", "x,y",
		"--fit", "w", "--bound", "w=0:3", "--starts", "1", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if strings.Join(keys, ",") != "initial_loss,iterations,loss,params,seconds" {
		t.Errorf("keys %v", keys)
	}
	var res struct {
		Params      map[string]*float64
		Loss        float64
		InitialLoss float64 `json:"initial_loss"`
	}
	json.Unmarshal([]byte(out), &res)
	if w := res.Params["w"]; w == nil || math.Abs(*w-1.2) > 0.06 || !(res.Loss < res.InitialLoss) {
		t.Errorf("fit: %s", out)
	}

	// -o refuses to overwrite, then writes a loadable file with --force.
	dst := filepath.Join(t.TempDir(), "fitted.lag")
	os.WriteFile(dst, []byte("old"), 0o644)
	args := []string{"fit", lag, "--snapshots", snapCSV, "--time-col", "t", "--fit", "w", "--starts", "1", "-o", dst}
	if code, _, stderr := lagc(t, "", args...); code != 1 || !strings.Contains(stderr, "--force") {
		t.Errorf("overwrite without --force: exit %d, %s", code, stderr)
	}
	if code, _, stderr := lagc(t, "", append(args, "--force")...); code != 0 {
		t.Fatalf("--force: exit %d, %s", code, stderr)
	}
	b, _ := os.ReadFile(dst)
	if !strings.Contains(string(b), "param w = 1.2") || !strings.Contains(string(b), "in [0, 3]") {
		t.Errorf("fitted file:\n%s", b)
	}

	// A mass that only scales L cannot be identified: null, and a warning.
	mass := writeFile(t, "mass.lag", "param m = 2\nparam w = 1\nL = m*(0.5*|v|^2 - 0.5*w^2*|x|^2)\n")
	code, out, stderr = lagc(t, "", "fit", mass, "--snapshots", snapCSV, "--time-col", "t", "--fit", "m,w",
		"--bound", "m=0.1:3", "--bound", "w=0:3", "--starts", "1", "--json")
	if code != 0 || !strings.Contains(out, `"m":null`) || !strings.Contains(stderr, "m cannot be identified") {
		t.Errorf("unidentifiable: exit %d, %s %s", code, out, stderr)
	}

	// Standardized snapshots: the units change, and the output says so.
	code, out, stderr = lagc(t, "", "fit", lag, "--snapshots", snapCSV, "--time-col", "t", "--fit", "w", "--starts", "1", "--standardize", "--json")
	if code != 0 || !strings.Contains(stderr, "standardized units") || !strings.Contains(out, `"params":{"w":`) {
		t.Errorf("--standardize: exit %d, %s %s", code, out, stderr)
	}

	// --profile prints the loss along w, lowest near 1.2.
	code, out, stderr = lagc(t, "", "fit", lag, "--snapshots", snapCSV, "--time-col", "t", "--profile", "w=0.8:1.6:5")
	if code != 0 {
		t.Fatalf("profile: exit %d, %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[3], "1.2 ") {
		t.Errorf("profile:\n%s", out)
	}
	best, bestLine := math.Inf(1), ""
	for _, l := range lines[1:] {
		var w, loss float64
		f := strings.Fields(l)
		json.Unmarshal([]byte(f[0]), &w)
		json.Unmarshal([]byte(f[1]), &loss)
		if loss < best {
			best, bestLine = loss, l
		}
	}
	if !strings.HasPrefix(bestLine, "1.2 ") {
		t.Errorf("profile minimum at %q, want w = 1.2:\n%s", bestLine, out)
	}

	fast := writeFile(t, "fast.lag", "param w = 1\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n")
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"fit", lag, "--fit", "w"}, 2, "--snapshots is required"},
		{[]string{"fit", lag, "--snapshots", snapCSV}, 2, "--fit"},
		{[]string{"fit", lag, "--snapshots", snapCSV, "--time-col", "t", "--fit", "q"}, 1, `no parameter "q"`},
		{[]string{"fit", lag, "--snapshots", snapCSV, "--time-col", "hour", "--fit", "w"}, 1, "neither a column"},
		{[]string{"fit", lag, "--snapshots", snapCSV, "--time-col", "t", "--fit", "w", "--leave-out", "4"}, 1, "not interior"},
		{[]string{"fit", lag, "--snapshots", snapCSV, "--profile", "w=1:0:3"}, 2, "LO ≤ HI"},
		{[]string{"fit", fast, "--snapshots", snapCSV, "--fit", "w", "-p", "w=4"}, 1, "conjugate point"},
		{[]string{"fit", lag, "--snapshots", snapCSV, "--fit", "w", "-p", "w=4"}, 1, "outside its bounds"},
		{[]string{"fit", lag, "--snapshots", snapCSV, "--fit", "w", "--bound", "w=3:0"}, 2, "LO ≤ HI"},
		{[]string{"fit", lag, "--snapshots", snapCSV, "--fit", "w", "--profile", "w=0:1:3", "--json"}, 2, "not both"},
	} {
		code, _, stderr := lagc(t, "", c.args...)
		if code != c.code || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d (want %d), %q (want %q)", c.args, code, c.code, stderr, c.msg)
		}
	}
}

func TestLOOCommand(t *testing.T) {
	kin := "../../examples/snapshots/kinetic.lag"
	truth := writeFile(t, "truth.lag", "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n")
	code, out, stderr := lagc(t, "", "experiment", "loo", "--snapshots", snapCSV, "--time-col", "t", "-L", kin, "-L", truth, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		Lagrangians []struct {
			File   string
			Params map[string]float64
			LOO    []struct {
				K               int
				T               float64
				W1Interpolation float64  `json:"w1_interpolation"`
				W1Model         *float64 `json:"w1_model"`
			}
			MeanW1Interpolation float64  `json:"mean_w1_interpolation"`
			MeanW1Model         *float64 `json:"mean_w1_model"`
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Lagrangians) != 2 || res.Lagrangians[0].File != kin || res.Lagrangians[1].Params["w"] != 1.2 {
		t.Fatalf("output: %s", out)
	}
	for _, l := range res.Lagrangians {
		if len(l.LOO) != 3 || l.LOO[0].K != 1 || l.LOO[0].T != 0.5 || l.MeanW1Model != nil || l.LOO[0].W1Model != nil {
			t.Errorf("row: %+v", l)
		}
	}
	if !(res.Lagrangians[1].MeanW1Interpolation < 0.5*res.Lagrangians[0].MeanW1Interpolation) {
		t.Errorf("the true Lagrangian (%g) should beat the kinetic one (%g) clearly", res.Lagrangians[1].MeanW1Interpolation, res.Lagrangians[0].MeanW1Interpolation)
	}
	// --iters N > 0 fills the model column (the snapshot trainer's
	// leave-out models).
	code, out, stderr = lagc(t, "", "experiment", "loo", "--snapshots", snapCSV, "-L", kin, "--iters", "5", "--json")
	res.Lagrangians = nil
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || len(res.Lagrangians) != 1 {
		t.Fatalf("--iters 5: exit %d, %s %s", code, stderr, out)
	}
	for _, l := range res.Lagrangians[0].LOO {
		if l.W1Model == nil || !(*l.W1Model > 0) {
			t.Errorf("--iters 5, k=%d: model column %v", l.K, l.W1Model)
		}
	}
	if res.Lagrangians[0].MeanW1Model == nil {
		t.Error("--iters 5: no mean of the model column")
	}
	two := writeFile(t, "two.csv", "0,1,2\n0,2,3\n1,3,4\n1,4,5\n")
	if code, _, stderr := lagc(t, "", "experiment", "loo", "--snapshots", two, "-L", kin); code != 1 || !strings.Contains(stderr, "at least 3") {
		t.Errorf("two times: exit %d, %s", code, stderr)
	}
	dir := t.TempDir()
	if code, _, stderr := lagc(t, "", "experiment", "loo", "--snapshots", snapCSV, "-L", kin, "--plot", dir); code != 0 {
		t.Fatalf("--plot: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "kinetic_k2.png")); err != nil {
		t.Error(err)
	}
}
