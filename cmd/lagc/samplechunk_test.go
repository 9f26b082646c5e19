package main

import (
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/internal/atomicfile"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
)

// affine is a transport with a known answer: x ↦ 2x + 1, one evaluation.
func affine(x0 []float64, n int, _ *fm.SampleSettings) (*fm.SampleResult, error) {
	x := make([]float64, len(x0))
	for i, v := range x0 {
		x[i] = 2*v + 1
	}
	return &fm.SampleResult{X: x, NFE: 1}, nil
}

// TestSampleChunksMatchOneBatch checks that transporting in chunks gives
// the samples of one batch (the source draws points in sequence), and
// that both writers read back to them exactly.
func TestSampleChunksMatchOneBatch(t *testing.T) {
	const n, d = 10, 3
	collect := func(chunk int) []float64 {
		var all []float64
		nfe, err := sampleChunks(affine, data.Gaussian{}, nil, n, d, chunk, &fm.SampleSettings{}, rand.New(rand.NewPCG(1, 0)),
			func(x []float64, m int) error { all = append(all, x[:m*d]...); return nil })
		if err != nil || nfe != 1 {
			t.Fatalf("chunk %d: nfe %d, err %v", chunk, nfe, err)
		}
		return all
	}
	want := collect(n)
	x0 := make([]float64, n*d)
	data.Gaussian{}.Sample(x0, n, rand.New(rand.NewPCG(1, 0)))
	for i := range want {
		if want[i] != 2*x0[i]+1 {
			t.Fatalf("sample %d = %v, want 2·x0+1 = %v", i, want[i], 2*x0[i]+1)
		}
	}
	for _, chunk := range []int{1, 3, 4, 9} {
		got := collect(chunk)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("chunk %d: value %d = %v, want %v", chunk, i, got[i], want[i])
			}
		}
	}

	dir := t.TempDir()
	for _, name := range []string{"s.npy", "s.csv", "s.csv.gz"} {
		path := filepath.Join(dir, name)
		err := atomicfile.WriteNew(path, func(w io.Writer) error {
			sw := newSampleWriter(w, name, n, d)
			if _, err := sampleChunks(affine, data.Gaussian{}, nil, n, d, 4, &fm.SampleSettings{}, rand.New(rand.NewPCG(1, 0)), sw.rows); err != nil {
				return err
			}
			return sw.close()
		})
		if err != nil {
			t.Fatal(err)
		}
		spec := "csv:" + path
		if strings.HasSuffix(name, ".npy") {
			spec = "npy:" + path
		}
		src, err := data.Open(spec, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tab := src.(*data.Table)
		if tab.N != n || tab.D != d {
			t.Fatalf("%s: %d×%d, want %d×%d", name, tab.N, tab.D, n, d)
		}
		for i := range want {
			if tab.X[i] != want[i] {
				t.Fatalf("%s: value %d reads back as %v, want %v", name, i, tab.X[i], want[i])
			}
		}
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

func TestSampleChunksRefuseNonFinite(t *testing.T) {
	blowup := func(x0 []float64, n int, _ *fm.SampleSettings) (*fm.SampleResult, error) {
		x := make([]float64, len(x0))
		x[len(x)-1] = math.Inf(1)
		return &fm.SampleResult{X: x, NFE: 1}, nil
	}
	emitted := 0
	_, err := sampleChunks(blowup, data.Gaussian{}, nil, 4, 2, 4, &fm.SampleSettings{}, rand.New(rand.NewPCG(1, 0)),
		func(x []float64, m int) error { emitted++; return nil })
	if err == nil || !strings.Contains(err.Error(), "non-finite") || emitted != 0 {
		t.Errorf("err = %v, emitted %d chunks; want a non-finite error before any output", err, emitted)
	}
}
