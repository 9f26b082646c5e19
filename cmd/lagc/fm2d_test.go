package main

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/experiment"
)

// TestFM2DCommand runs a tiny fm2d through the command (the numbers are
// tested in runtime/experiment): --json gives the cells, the default the
// table; an output file that cannot be written fails the command before
// any training, and one that fails later does not lose the table.
func TestFM2DCommand(t *testing.T) {
	args := []string{"experiment", "fm2d", "--iters", "2", "--seeds", "1", "-n", "16", "--sources", "gaussian", "-L", "kinetic.lag"}
	code, out, errs := lagc(t, "", append(args, "--json")...)
	var cells []experiment.FM2DCell
	if code != 0 || json.Unmarshal([]byte(out), &cells) != nil || len(cells) != 3 {
		t.Fatalf("--json: exit %d, %d cells from %q, %s; want 3 cells", code, len(cells), out, errs)
	}
	bad := filepath.Join(t.TempDir(), "missing", "dir", "cells.json")
	code, out, errs = lagc(t, "", append(args, "--out", bad)...)
	if code != 1 || !strings.Contains(errs, "cells.json") || out != "" {
		t.Errorf("unwritable --out: exit %d, %q, stdout %q; want 1 naming the file, before any output", code, errs, out)
	}
	var stdout strings.Builder
	boom := errors.New("disk full")
	err := printResult(&env{stdout: &stdout}, false, cells, func() error { return experiment.WriteFM2DTable(&stdout, cells) }, boom)
	if !errors.Is(err, boom) {
		t.Errorf("printResult = %v, want the write error", err)
	}
	if lines := strings.Split(strings.TrimSpace(stdout.String()), "\n"); len(lines) != 2+3 || !strings.Contains(lines[2], "kinetic.lag") {
		t.Errorf("table %q: want a header, a rule and 3 rows", stdout.String())
	}
}
