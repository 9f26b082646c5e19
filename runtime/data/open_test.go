package data

import (
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "pts.csv")
	if err := WriteCSV(csvPath, []float64{1, 2, 3, 4, 5, 6}, 2, 3, nil); err != nil {
		t.Fatal(err)
	}
	npyPath := filepath.Join(dir, "pts.npy")
	if err := WriteNPY(npyPath, []float64{1, 2, 3, 4}, 2, 2); err != nil {
		t.Fatal(err)
	}
	npzPath := writeNPZ(t, map[string][]byte{
		"a": rawNPY("<f8", false, "(1, 4)", encode(binary.LittleEndian, []float64{1, 2, 3, 4})),
		"b": rawNPY("<f8", false, "(2, 1)", encode(binary.LittleEndian, []float64{1, 2})),
	}, []string{"a", "b"})

	for _, tc := range []struct {
		spec    string
		s       *Settings
		dim, n  int // n = rows for tables, 0 for built-ins
		nameHas string
	}{
		{"moons", nil, 2, 0, "moons"},
		{"8gaussians", &Settings{Dim: 2}, 2, 0, "8gaussians"},
		{"gaussian", nil, 2, 0, "gaussian"},
		{"normal", &Settings{Dim: 7}, 7, 0, "normal"},
		{"csv:" + csvPath, nil, 3, 2, "pts.csv"},
		{"csv:" + csvPath, &Settings{Columns: "0:2"}, 2, 2, "pts.csv[0:2]"},
		{csvPath, nil, 3, 2, "pts.csv"},
		{"npy:" + npyPath, nil, 2, 2, "pts.npy"},
		{npyPath, nil, 2, 2, "pts.npy"},
		{"npy:" + npzPath + ":b", nil, 1, 2, "a.npz:b"},
		{"npz:" + npzPath + ":a", nil, 4, 1, "a.npz:a"},
	} {
		src, err := Open(tc.spec, tc.s)
		if err != nil {
			t.Errorf("Open(%q): %v", tc.spec, err)
			continue
		}
		if src.Dim() != tc.dim || !strings.Contains(src.Name(), tc.nameHas) {
			t.Errorf("Open(%q): Dim %d Name %q, want %d and a name with %q", tc.spec, src.Dim(), src.Name(), tc.dim, tc.nameHas)
		}
		if tab, ok := src.(*Table); ok != (tc.n > 0) || (ok && tab.N != tc.n) {
			t.Errorf("Open(%q) = %T, want a table of %d rows", tc.spec, src, tc.n)
		}
		// Sample fills exactly n·Dim values and nothing beyond.
		const n = 5
		dst := make([]float64, n*src.Dim()+1)
		dst[len(dst)-1] = 12345
		src.Sample(dst, n, newRand(1))
		if dst[len(dst)-1] != 12345 {
			t.Errorf("Open(%q).Sample wrote past n·Dim", tc.spec)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "pts.csv")
	WriteCSV(csvPath, []float64{1, 2}, 1, 2, nil)
	npyPath := filepath.Join(dir, "pts.npy")
	WriteNPY(npyPath, []float64{1, 2}, 1, 2)
	for _, tc := range []struct {
		spec string
		s    *Settings
		want string
	}{
		{"mons", nil, `did you mean "moons"?`},
		{"moons", &Settings{Dim: 3}, "moons is 2-dimensional, not 3"},
		{"moons", &Settings{Columns: "0"}, "applies to data files"},
		{"gaussian", &Settings{Dim: -1}, "must be positive"},
		{"csv:" + filepath.Join(dir, "missing.csv"), nil, "no such file"},
		{"csv:" + csvPath, &Settings{Dim: 3}, "2 columns, but dimension 3"},
		{"npy:" + npyPath + ":x", nil, "the key \"x\" is for .npz archives"},
		{"npy:" + filepath.Join(dir, "missing.npz") + ":x", nil, "no such file"},
	} {
		_, err := Open(tc.spec, tc.s)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%q) error = %v, want one containing %q", tc.spec, err, tc.want)
		}
	}
}
