package dsl_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lagc-dev/lagc/ast"
	"github.com/lagc-dev/lagc/dsl"
)

const examplesDir = "../examples/lagrangians"

// TestExampleFiles loads every example Lagrangian, checks what the checker
// learns against a table written from the files by hand, and checks that
// the canonical printing parses back to the same tree.
func TestExampleFiles(t *testing.T) {
	type want struct {
		dim, minDim int
		params      map[string]float64
	}
	table := map[string]want{
		"kinetic.lag":     {0, 1, nil},
		"harmonic.lag":    {0, 1, map[string]float64{"w": math.Pi / 2}},
		"inverted.lag":    {0, 1, map[string]float64{"w": 1}},
		"gravity.lag":     {0, 2, map[string]float64{"g": 2}},
		"bump.lag":        {0, 1, map[string]float64{"A": 2, "s": 1}},
		"conformal.lag":   {0, 1, nil},
		"magnetic.lag":    {2, 2, map[string]float64{"B": 1}},
		"damped.lag":      {0, 1, map[string]float64{"g": 0.5, "w": 1}},
		"anisotropic.lag": {2, 2, map[string]float64{"wx": 1, "wy": 2.5}},
		"pendulum.lag":    {0, 1, map[string]float64{"k": 1}},
	}
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.lag"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples in %s: %v", examplesDir, err)
	}
	seen := 0
	for _, file := range files {
		name := filepath.Base(file)
		w, ok := table[name]
		if !ok {
			t.Errorf("%s is not in this test's table; add it", name)
			continue
		}
		seen++
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if len(src) == 0 || src[0] != '#' {
			t.Errorf("%s does not start with a comment saying what it is", name)
		}
		info, err := dsl.Load(name, src, nil)
		if err != nil {
			t.Errorf("%s:\n%s", name, dsl.Detail(err))
			continue
		}
		if info.Dim != w.dim || info.MinDim != w.minDim {
			t.Errorf("%s: Dim %d MinDim %d, want %d %d", name, info.Dim, info.MinDim, w.dim, w.minDim)
		}
		got := map[string]float64{}
		for _, p := range info.Params {
			got[p.Name] = p.Value
		}
		if !cmp.Equal(got, w.params, cmpopts.EquateEmpty()) {
			t.Errorf("%s: params %v, want %v", name, got, w.params)
		}
		text := ast.String(info.File)
		again, err := dsl.ParseFile(name, []byte(text))
		if err != nil {
			t.Errorf("%s: canonical text does not parse:\n%s\n%s", name, text, dsl.Detail(err))
			continue
		}
		if d := cmp.Diff(info.File, again, ignorePos); d != "" {
			t.Errorf("%s: round trip changes the tree (-file +reprinted):\n%s", name, d)
		}
	}
	if seen != len(table) {
		t.Errorf("found %d of the %d example files in the table", seen, len(table))
	}
}
