package data

import (
	"bytes"
	"compress/gzip"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadCSV(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		s        *Settings
		n, d     int
		x        []float64
	}{
		{"plain", "1,2\n3,4\n", nil, 2, 2, []float64{1, 2, 3, 4}},
		{"header auto", "x,y\n1,2\n3,4\n", nil, 2, 2, []float64{1, 2, 3, 4}},
		{"header forced", "1,2\n3,4\n", &Settings{Header: HeaderPresent}, 1, 2, []float64{3, 4}},
		{"header absent", "1,2\n", &Settings{Header: HeaderAbsent}, 1, 2, []float64{1, 2}},
		{"comments blanks spaces CRLF", "# made by hand\r\n1, 2.5e-1\r\n\r\n -3 ,\"4\"\r\n", nil, 2, 2, []float64{1, 0.25, -3, 4}},
		{"no final newline", "1,2\n3,4", nil, 2, 2, []float64{1, 2, 3, 4}},
		{"columns skip label", "a,b,label\n1,2,cat\n3,4,dog\n", &Settings{Columns: "0:2"}, 2, 2, []float64{1, 2, 3, 4}},
		{"columns reorder", "1,2,3\n4,5,6\n", &Settings{Columns: "2,0"}, 2, 2, []float64{3, 1, 6, 4}},
		{"semicolon", "1;2\n3;4\n", &Settings{Comma: ';'}, 2, 2, []float64{1, 2, 3, 4}},
		{"tab", "1\t2\n", &Settings{Comma: '\t'}, 1, 2, []float64{1, 2}},
		{"one column", "1\n2\n3\n", nil, 3, 1, []float64{1, 2, 3}},
		{"byte-order mark", "\uFEFF1,2\n", nil, 1, 2, []float64{1, 2}},
	} {
		tab, err := ReadCSV(strings.NewReader(tc.in), "in.csv", tc.s)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if tab.N != tc.n || tab.D != tc.d {
			t.Errorf("%s: %d×%d, want %d×%d", tc.name, tab.N, tab.D, tc.n, tc.d)
		}
		if diff := cmp.Diff(tc.x, tab.X); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestReadCSVErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		s        *Settings
		want     string
	}{
		{"bad number", "1,2\n3,x4\n", nil, `in.csv:2:3: field 1 "x4" is not a number`},
		{"bad number after comment", "# c\n1,2\n\n3,4\n5,\n", nil, `in.csv:5:3: field 1 "" is not a number`},
		{"ragged", "1,2\n3,4,5\n", nil, "in.csv:2: 3 fields, but line 1 has 2"},
		{"nan", "1,2\nNaN,3\n", nil, `in.csv:2:1: field 0 "NaN" is not finite`},
		{"inf", "1,+Inf\n", nil, `in.csv:1:3: field 1 "+Inf" is not finite`},
		{"empty", "", nil, "in.csv: no data rows"},
		{"header only", "x,y\n", nil, "in.csv: no data rows"},
		{"bad quote", "1,\"2\n", nil, "in.csv:1:"},
		{"bad columns", "1,2\n", &Settings{Columns: "0:5"}, "in.csv:1: columns \"0:5\""},
		{"bad comma", "1,2\n", &Settings{Comma: '"'}, "cannot separate CSV fields"},
		{"typo in first row is not a header", "1,x\n3,4\n", nil, `in.csv:1:3: field 1 "x" is not a number`},
	} {
		_, err := ReadCSV(strings.NewReader(tc.in), "in.csv", tc.s)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	x := []float64{0.1, -2e-300, math.Pi, 1e300, -0, 42, math.SmallestNonzeroFloat64, 1.0 / 3}
	dir := t.TempDir()
	for _, name := range []string{"a.csv", "b.csv.gz"} {
		path := filepath.Join(dir, name)
		if err := WriteCSV(path, x, 4, 2, []string{"x,1", `y "2"`}); err != nil {
			t.Fatal(err)
		}
		tab, err := LoadCSV(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if tab.N != 4 || tab.D != 2 {
			t.Fatalf("%s: %d×%d, want 4×2", name, tab.N, tab.D)
		}
		if diff := cmp.Diff(x, tab.X); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", name, diff)
		}
	}
	// The .gz file really is gzipped.
	raw, _ := os.ReadFile(filepath.Join(dir, "b.csv.gz"))
	if !bytes.HasPrefix(raw, gzipMagic) {
		t.Error("b.csv.gz is not gzipped")
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("directory holds %d entries after two writes, want 2", len(entries))
	}
}

func TestWriteCSVErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		x    []float64
		n, d int
		hdr  []string
		path string
	}{
		{"short", []float64{1, 2, 3}, 2, 2, nil, "a.csv"},
		{"empty", nil, 0, 2, nil, "a.csv"},
		{"header", []float64{1, 2}, 1, 2, []string{"x"}, "a.csv"},
		{"no dir", []float64{1, 2}, 1, 2, nil, "missing/a.csv"},
	} {
		if err := WriteCSV(filepath.Join(dir, tc.path), tc.x, tc.n, tc.d, tc.hdr); err == nil {
			t.Errorf("%s: WriteCSV succeeded", tc.name)
		}
	}
}

func TestReadCSVGzipByContent(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("1,2\n3,4\n"))
	zw.Close()
	tab, err := ReadCSV(&buf, "noext", nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]float64{1, 2, 3, 4}, tab.X); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := ReadCSV(bytes.NewReader([]byte{0x1f, 0x8b, 1, 2, 3}), "bad.gz", nil); err == nil {
		t.Error("corrupt gzip read without error")
	}
}

// digitsPath is the shared real data set, beside the checkout.
const digitsPath = "../../../shared/data/digits.csv.gz"

func TestDigits(t *testing.T) {
	if _, err := os.Stat(digitsPath); err != nil {
		t.Skipf("shared data set absent (%v); it lives at ../shared/data/digits.csv.gz beside the checkout", err)
	}
	all, err := LoadCSV(digitsPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	if all.N != 1797 || all.D != 65 {
		t.Fatalf("digits: %d×%d, want 1797×65", all.N, all.D)
	}
	pix, err := LoadCSV(digitsPath, &Settings{Columns: "0:64"})
	if err != nil {
		t.Fatal(err)
	}
	if pix.N != 1797 || pix.D != 64 {
		t.Fatalf("digits[0:64]: %d×%d, want 1797×64", pix.N, pix.D)
	}
	for i, v := range pix.X {
		if v < 0 || v > 16 || v != math.Trunc(v) {
			t.Fatalf("pixel %d = %v, want an integer grey level in 0..16", i, v)
		}
		if v != all.X[i/64*65+i%64] {
			t.Fatalf("pixel %d differs between the full and the selected load", i)
		}
	}
	// Labels are the digits 0..9, all present.
	seen := map[float64]bool{}
	for i := 0; i < all.N; i++ {
		seen[all.X[i*65+64]] = true
	}
	if len(seen) != 10 {
		t.Errorf("labels take %d values, want 10", len(seen))
	}
}

func FuzzReadCSV(f *testing.F) {
	// More seeds are in testdata/fuzz/FuzzReadCSV.
	f.Add([]byte("1,2\n3,4\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ReadCSV(bytes.NewReader(in), "fuzz.csv", nil)
		if err != nil {
			return
		}
		if tab.N < 1 || tab.D < 1 || len(tab.X) != tab.N*tab.D {
			t.Fatalf("table %d×%d with %d values", tab.N, tab.D, len(tab.X))
		}
		for _, v := range tab.X {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("non-finite value %v accepted", v)
			}
		}
		// What was read writes back and reads again to the same numbers.
		var buf bytes.Buffer
		if err := EncodeCSV(&buf, tab.X, tab.N, tab.D, nil); err != nil {
			t.Fatal(err)
		}
		again, err := ReadCSV(&buf, "again.csv", &Settings{Header: HeaderAbsent})
		if err != nil {
			t.Fatalf("re-reading written CSV: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(tab.X, again.X); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}
