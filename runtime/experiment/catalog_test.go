package experiment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/series"
)

func TestCatalog(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range Catalog {
		if a.Name == "" || a.Summary == "" || seen[a.Name] || strings.Contains(a.Description, "--") {
			t.Errorf("entry %+v: want a new name, a summary and a description naming no flag", a)
		}
		seen[a.Name] = true
		if Describe(a.Name) != a {
			t.Errorf("Describe(%q) = %+v", a.Name, Describe(a.Name))
		}
	}
	if (Describe("nope") != About{}) {
		t.Error("Describe of an unknown experiment is not the zero About")
	}
}

// TestPlotLOO draws one file per Lagrangian and held-out time, named by
// the Lagrangian's base name and the time's index.
func TestPlotLOO(t *testing.T) {
	ser, err := series.Load("csv:../../examples/snapshots/harmonic.csv", &series.LoadSettings{TimeColumn: "t"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := LOO(ser, []string{"kinetic.lag"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := PlotLOO(dir, ser, rep); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if ser.D >= 2 && len(entries) != len(rep.Lagrangians[0].Held) {
		t.Errorf("%d files for %d held-out times", len(entries), len(rep.Lagrangians[0].Held))
	}
	for _, h := range rep.Lagrangians[0].Held {
		if _, err := os.Stat(filepath.Join(dir, "kinetic_k"+string(rune('0'+h.K))+".png")); ser.D >= 2 && err != nil {
			t.Error(err)
		}
	}
}
