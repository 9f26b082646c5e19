package experiment

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestFM2DTiny runs fm2d on a tiny instance (2 iterations, 32 points) from
// another directory, so the embedded examples must be found: one cell per
// solver with its NFE, W2 finite and positive, and a table row per
// (source, Lagrangian, solver) with the seeds' mean.
func TestFM2DTiny(t *testing.T) {
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(t.TempDir())
	var partial int
	cells, err := FM2D(&FM2DSettings{Seeds: 2, Iters: 2, N: 32, Sources: []string{"gaussian"}, Target: "moons", Coupling: "ot",
		Lagrangians: []string{"kinetic.lag", "harmonic.lag"}, Done: func(c []FM2DCell) { partial = len(c) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 2*2*3 || partial != len(cells) {
		t.Fatalf("%d cells (%d reported), want 2 Lagrangians × 2 seeds × 3 solvers", len(cells), partial)
	}
	nfe := map[string]int{"euler": 100, "rk4": 80}
	for _, c := range cells {
		if !(c.W2 > 0) || math.IsInf(c.W2, 0) {
			t.Errorf("%+v: W2 not finite and positive", c)
		}
		if want, ok := nfe[c.Solver]; ok && c.NFE != want {
			t.Errorf("%s: NFE %d, want %d", c.Solver, c.NFE, want)
		}
		if c.Source != "gaussian" || c.Target != "moons" {
			t.Errorf("%+v: wrong source or target", c)
		}
	}
	var b strings.Builder
	if err := WriteFM2DTable(&b, cells); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2+2*3 {
		t.Fatalf("table has %d lines, want a header, a rule and 6 rows:\n%s", len(lines), b.String())
	}
	for i, row := range lines[2:] {
		f := strings.Split(row, "|")
		if len(f) < 8 || strings.TrimSpace(f[6]) != "2" {
			t.Errorf("row %q: want 2 seeds", row)
			continue
		}
		w2, err := strconv.ParseFloat(strings.Fields(f[4])[0], 64)
		// The row's mean is that of its two seeds' cells.
		c0, c1 := cells[i/3*6+i%3], cells[i/3*6+3+i%3]
		if want := (c0.W2 + c1.W2) / 2; err != nil || math.Abs(w2-want) > 6e-4 {
			t.Errorf("row %q: W2 %v, want the seeds' mean %.4f", row, w2, want)
		}
	}
}

// TestEquivalenceSmall runs a small instance of the experiment: in d = 2
// the optimal-field methods must recover the closed-form OT map from every
// interpolation, independent coupling and harmonic paths included.
func TestEquivalenceSmall(t *testing.T) {
	set := DefaultEquivalence()
	set.Dims, set.Seeds, set.ItersFlow, set.ItersOpt, set.Batch, set.N = []int{2}, 1, 100, 500, 64, 1000
	set.ICNNHidden, set.Mixture = []int{8}, false
	rep, err := Equivalence(&set)
	if err != nil {
		t.Fatal(err)
	}
	// Two closed-form limits for each of the two independent rows.
	if want := len(EquivalenceRows)*len(EquivalenceMethods) + 4; len(rep.Cells) != want {
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
	var b strings.Builder
	if err := WriteEquivalenceTable(&b, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| interpolation p_t | FM | AM | OFM | AM-optimal | FM limit | AM limit |", "independent, harmonic ω=π/2", "d = 2"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}

// TestEquivalenceMixturePlots checks the mixture case's output: FM and OFM
// cells and their trajectory plots.
func TestEquivalenceMixturePlots(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two 2-D models")
	}
	dir := t.TempDir()
	set := DefaultEquivalence()
	set.Dims, set.Seeds, set.ItersFlow, set.ItersOpt, set.Batch, set.N = []int{2}, 1, 20, 20, 32, 300
	set.ICNNHidden, set.PlotDir = []int{4}, dir
	rep, err := Equivalence(&set)
	if err != nil {
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
