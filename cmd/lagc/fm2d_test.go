package main

import (
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/experiment"
)

// TestFM2DTiny runs fm2d on a tiny instance (2 iterations, 32 points) and
// checks the cells and the table: one cell per solver with its NFE, W2
// finite and positive, and a table row per (source, Lagrangian, solver).
func TestFM2DTiny(t *testing.T) {
	args := []string{"experiment", "fm2d", "--iters", "2", "--seeds", "2", "-n", "32", "--sources", "gaussian",
		"-L", ex + "kinetic.lag," + ex + "harmonic.lag"}
	code, out, errs := lagc(t, "", append(args, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var cells []experiment.FM2DCell
	if err := json.Unmarshal([]byte(out), &cells); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	if len(cells) != 2*2*3 {
		t.Fatalf("%d cells, want 2 Lagrangians × 2 seeds × 3 solvers", len(cells))
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
	// An output file that cannot be written is found before any training.
	bad := filepath.Join(t.TempDir(), "missing", "dir", "cells.json")
	code, out, errs = lagc(t, "", append(args, "--out", bad)...)
	if code != 1 || !strings.Contains(errs, "cells.json") || out != "" {
		t.Errorf("unwritable --out: exit %d, %q, stdout %q; want 1 naming the file, before any output", code, errs, out)
	}
	// A file that fails to write later does not lose the table.
	var stdout strings.Builder
	boom := errors.New("disk full")
	err := printResult(&env{stdout: &stdout}, false, cells, func() error { return experiment.WriteFM2DTable(&stdout, cells) }, boom)
	if !errors.Is(err, boom) {
		t.Errorf("printResult = %v, want the write error", err)
	}
	out = stdout.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2+2*3 {
		t.Fatalf("table has %d lines, want a header, a rule and 6 rows:\n%s", len(lines), out)
	}
	for _, row := range lines[2:] {
		f := strings.Split(row, "|")
		if len(f) < 8 || strings.TrimSpace(f[6]) != "2" {
			t.Errorf("row %q: want 2 seeds", row)
			continue
		}
		w2, err := strconv.ParseFloat(strings.Fields(f[4])[0], 64)
		if err != nil || !(w2 > 0) {
			t.Errorf("row %q: W2 column not a positive number", row)
		}
	}
}
