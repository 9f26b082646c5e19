package data

import (
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRowWriterReadsBack writes rows in uneven batches in every format and
// reads them back with the package's own loaders: the same float64s.
func TestRowWriterReadsBack(t *testing.T) {
	const n, d = 11, 3
	x := make([]float64, n*d)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range x {
		x[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
	}
	x[4] = math.SmallestNonzeroFloat64
	dir := t.TempDir()
	for _, name := range []string{"r.npy", "r.csv", "r.csv.gz"} {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		rw := NewRowWriter(f, name, n, d)
		for done := 0; done < n; done += 4 {
			m := min(4, n-done)
			if err := rw.Write(x[done*d:], m); err != nil {
				t.Fatal(err)
			}
		}
		if err := rw.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		spec := "csv:" + path
		if strings.HasSuffix(name, ".npy") {
			spec = "npy:" + path
		}
		src, err := Open(spec, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tab := src.(*Table)
		if tab.N != n || tab.D != d {
			t.Fatalf("%s: %d×%d, want %d×%d", name, tab.N, tab.D, n, d)
		}
		for i := range x {
			if tab.X[i] != x[i] {
				t.Fatalf("%s: value %d reads back as %v, want %v", name, i, tab.X[i], x[i])
			}
		}
	}
}

func TestRowWriterCounts(t *testing.T) {
	rw := NewRowWriter(io.Discard, "a.npy", 2, 2)
	if err := rw.Write([]float64{1, 2, 3, 4, 5, 6}, 3); err == nil {
		t.Error("writing 3 rows of an announced 2 succeeded")
	}
	rw.Write([]float64{1, 2}, 1)
	if err := rw.Close(); err == nil {
		t.Error("closing after 1 of 2 rows succeeded")
	}
}

func TestNPYHeaderAlignment(t *testing.T) {
	for _, shape := range [][2]int{{1, 1}, {10, 3}, {1 << 40, 1000}} {
		h := npyHeader(shape[0], shape[1])
		if len(h)%64 != 0 || h[len(h)-1] != '\n' || !bytes.HasPrefix(h, []byte("\x93NUMPY\x01\x00")) {
			t.Errorf("shape %v: header %q is not a 64-byte aligned .npy 1.0 header", shape, h)
		}
		if hl := int(h[8]) | int(h[9])<<8; hl != len(h)-10 {
			t.Errorf("shape %v: header length field %d, want %d", shape, hl, len(h)-10)
		}
	}
}
