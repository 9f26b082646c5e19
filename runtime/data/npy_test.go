package data

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rawNPY builds a version 1.0 .npy file by hand from the format
// specification, independently of npyio.
func rawNPY(descr string, fortran bool, shape string, data []byte) []byte {
	order := "False"
	if fortran {
		order = "True"
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr, order, shape)
	// Magic (6) + version (2) + length (2) + dict + padding + '\n' is a
	// multiple of 64.
	pad := 63 - (10+len(dict))%64
	dict += strings.Repeat(" ", pad) + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(dict)))
	b.WriteString(dict)
	b.Write(data)
	return b.Bytes()
}

func encode(order binary.ByteOrder, vals any) []byte {
	var b bytes.Buffer
	binary.Write(&b, order, vals)
	return b.Bytes()
}

func writeTemp(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadNPYTypes(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	want := []float64{1, 2, 3, 4, 5, 6} // 2 rows × 3 columns
	for _, tc := range []struct {
		name, descr string
		fortran     bool
		data        []byte
	}{
		{"f8", "<f8", false, encode(le, want)},
		{"f8 big-endian", ">f8", false, encode(be, want)},
		{"f4", "<f4", false, encode(le, []float32{1, 2, 3, 4, 5, 6})},
		{"i8", "<i8", false, encode(le, []int64{1, 2, 3, 4, 5, 6})},
		{"i4", "<i4", false, encode(le, []int32{1, 2, 3, 4, 5, 6})},
		{"u1", "|u1", false, []byte{1, 2, 3, 4, 5, 6}},
		// Column-major: the columns (1,4), (2,5), (3,6) one after another.
		{"fortran", "<f8", true, encode(le, []float64{1, 4, 2, 5, 3, 6})},
	} {
		path := writeTemp(t, "a.npy", rawNPY(tc.descr, tc.fortran, "(2, 3)", tc.data))
		tab, err := LoadNPY(path, nil)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if tab.N != 2 || tab.D != 3 {
			t.Errorf("%s: %d×%d, want 2×3", tc.name, tab.N, tab.D)
		}
		if diff := cmp.Diff(want, tab.X); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestLoadNPYErrors(t *testing.T) {
	le := binary.LittleEndian
	six := encode(le, []float64{1, 2, 3, 4, 5, 6})
	for _, tc := range []struct {
		name    string
		content []byte
		s       *Settings
		want    string
	}{
		{"1-D", rawNPY("<f8", false, "(6,)", six), nil, "reshape it to (n, 1)"},
		{"3-D", rawNPY("<f8", false, "(1, 2, 3)", six), nil, "want 2 dimensions"},
		{"empty", rawNPY("<f8", false, "(0, 3)", nil), nil, "holds no points"},
		{"strings", rawNPY("<U5", false, "(2, 3)", make([]byte, 120)), nil, `dtype "<U5"`},
		{"complex", rawNPY("<c16", false, "(1, 1)", make([]byte, 16)), nil, `dtype "<c16"`},
		{"truncated", rawNPY("<f8", false, "(2, 3)", six[:40]), nil, "truncated"},
		{"huge shape", rawNPY("<f8", false, "(100000000, 100000000)", six), nil, "too large"},
		{"nan", rawNPY("<f8", false, "(1, 2)", encode(le, []float64{1, math.NaN()})), nil, "row 0, column 1"},
		{"not npy", []byte("1,2\n3,4\n"), nil, "not a .npy array"},
		{"header without newline", []byte("\x93NUMPY\x01\x00\x04\x00abcd"), nil, "a.npy"},
		{"garbled header", []byte("\x93NUMPY\x01\x00\x08\x00{'x': 1\n"), nil, "a.npy"},
		{"bad columns", rawNPY("<f8", false, "(2, 3)", six), &Settings{Columns: "3"}, "out of range"},
	} {
		path := writeTemp(t, "a.npy", tc.content)
		_, err := LoadNPY(path, tc.s)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestNPYRoundTrip(t *testing.T) {
	x := []float64{0.5, -1, math.Pi, 1e-300, 7, 8}
	path := filepath.Join(t.TempDir(), "out.npy")
	if err := WriteNPY(path, x, 3, 2); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Independent check of the layout: C order, little-endian float64 at
	// the end of the file, shape (3, 2) in the header.
	if !bytes.Contains(raw, []byte("'shape': (3, 2)")) || !bytes.Contains(raw, []byte("'descr': '<f8'")) {
		t.Errorf("header lacks shape (3, 2) or dtype <f8:\n%q", raw[:min(len(raw), 128)])
	}
	tail := raw[len(raw)-8*len(x):]
	for i, v := range x {
		if got := math.Float64frombits(binary.LittleEndian.Uint64(tail[8*i:])); got != v {
			t.Errorf("element %d on disk = %v, want %v", i, got, v)
		}
	}
	tab, err := LoadNPY(path, &Settings{Columns: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]float64{-1, 1e-300, 8}, tab.X); diff != "" {
		t.Errorf("column 1 (-want +got):\n%s", diff)
	}
	if err := WriteNPY(path, x, 4, 2); err == nil {
		t.Error("WriteNPY of 6 values as 4×2 succeeded")
	}
}

// writeNPZ builds a .npz archive (a zip of .npy members) by hand.
func writeNPZ(t *testing.T, members map[string][]byte, order []string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		w, err := zw.Create(name + ".npy")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(members[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, "a.npz", buf.Bytes())
}

func TestLoadNPZ(t *testing.T) {
	le := binary.LittleEndian
	members := map[string][]byte{
		"train": rawNPY("<f8", false, "(2, 2)", encode(le, []float64{1, 2, 3, 4})),
		"test":  rawNPY("<f4", false, "(1, 2)", encode(le, []float32{5, 6})),
	}
	path := writeNPZ(t, members, []string{"train", "test"})
	for _, tc := range []struct {
		key  string
		want []float64
		err  string
	}{
		{key: "train", want: []float64{1, 2, 3, 4}},
		{key: "test", want: []float64{5, 6}},
		{key: "", err: "holds 2 arrays (train, test)"},
		{key: "tset", err: `did you mean "test"?`},
	} {
		tab, err := LoadNPZ(path, tc.key, nil)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("key %q: error = %v, want one containing %q", tc.key, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("key %q: %v", tc.key, err)
			continue
		}
		if diff := cmp.Diff(tc.want, tab.X); diff != "" {
			t.Errorf("key %q (-want +got):\n%s", tc.key, diff)
		}
	}
	single := writeNPZ(t, map[string][]byte{"arr_0": members["train"]}, []string{"arr_0"})
	if tab, err := LoadNPZ(single, "", nil); err != nil || tab.N != 2 {
		t.Errorf("single-array archive without a key: %v", err)
	}
	if _, err := LoadNPZ(writeTemp(t, "b.npz", []byte("not a zip")), "", nil); err == nil {
		t.Error("LoadNPZ of a non-archive succeeded")
	}
}
