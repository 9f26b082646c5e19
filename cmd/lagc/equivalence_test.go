package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEquivalenceSmall runs a small instance of the experiment: in d = 2
// the optimal-field methods must recover the closed-form OT map from every
// interpolation, independent coupling and harmonic paths included.
func TestEquivalenceSmall(t *testing.T) {
	code, out, errs := lagc(t, "", "experiment", "equivalence", "--dims", "2", "--seeds", "1", "--iters", "100",
		"--iters-opt", "500", "--batch", "64", "--n", "1000", "--icnn-hidden", "8", "--mixture=false", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep equivalenceReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	// Two closed-form limits for each of the two independent rows.
	if want := len(equivalenceRows)*len(equivalenceMethods) + 4; len(rep.Cells) != want {
		t.Fatalf("%d cells, want %d", len(rep.Cells), want)
	}
	for _, c := range rep.Cells {
		if math.IsNaN(c.L2UVP) || c.L2UVP < 0 {
			t.Errorf("%+v: L2-UVP not a percentage", c)
		}
		if (c.Method == "ofm" || c.Method == "am-optimal") && c.L2UVP > 2 {
			t.Errorf("%s from %s: L2-UVP %.2f%%, want ≤ 2%%", c.Method, c.Interpolation, c.L2UVP)
		}
	}
	// The table prints the same cells.
	var b strings.Builder
	if err := writeEquivalenceTable(&b, &rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| interpolation p_t | FM | AM | OFM | AM-optimal | FM limit | AM limit |", "independent, harmonic ω=π/2", "d = 2"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}

// TestEquivalenceMixturePlots checks the mixture case's output: OFM's
// paths are straight, so their energy is that of their end points.
func TestEquivalenceMixturePlots(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two 2-D models")
	}
	dir := t.TempDir()
	code, out, errs := lagc(t, "", "experiment", "equivalence", "--dims", "2", "--seeds", "1", "--iters", "20",
		"--iters-opt", "20", "--batch", "32", "--n", "300", "--icnn-hidden", "4", "--plot", dir, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep equivalenceReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Mixture) != 2 {
		t.Fatalf("mixture cells %+v, want FM and OFM", rep.Mixture)
	}
	for _, f := range []string{"mixture-fm.png", "mixture-ofm.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestEquivalenceUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--seeds", "0"}, {"--dims", "2,x"}, {"--dims", "100"}, {"--lr", "-1"}, {"extra"},
	} {
		if code, _, _ := lagc(t, "", append([]string{"experiment", "equivalence"}, args...)...); code != 2 {
			t.Errorf("experiment equivalence %v: exit %d, want 2", args, code)
		}
	}
}
