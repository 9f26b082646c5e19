package experiment

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A tiny labelled file — two well-separated 4-D clusters, label in the last
// column — gives per-class W2 far below the W2 to the other class, and a
// grid of samples.
func TestConditionalTinyInstance(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range 400 {
		k := i % 2
		for range 4 {
			fmt.Fprintf(&b, "%.4f,", 8*float64(k)+rng.NormFloat64())
		}
		fmt.Fprintf(&b, "%d\n", 3+4*k) // labels 3 and 7
	}
	path := filepath.Join(dir, "two.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	set := DefaultConditional()
	set.Data, set.Iters, set.Grid, set.PerRow, set.Height, set.Width = "csv:"+path, 400, filepath.Join(dir, "grid.png"), 3, 2, 2
	set.Train.Hidden, set.Train.Batch = []int{32, 32}, 64
	res, err := Conditional(&set)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Classes) != 2 || res.Classes[0].Label != 3 || res.Classes[1].Label != 7 {
		t.Fatalf("classes %+v, want labels 3 and 7", res.Classes)
	}
	for _, c := range res.Classes {
		if !(c.W2 < c.W2Other/3) {
			t.Errorf("class %v: W2 %.2f to its own held-out points, %.2f to the other class's: the label made little difference", c.Label, c.W2, c.W2Other)
		}
	}
	if _, err := os.Stat(set.Grid); err != nil {
		t.Errorf("no sample grid: %v", err)
	}
	var table strings.Builder
	if err := WriteConditionalTable(&table, res); err != nil || strings.Count(table.String(), "\n") != 4 {
		t.Errorf("table %q, %v", table.String(), err)
	}
}
