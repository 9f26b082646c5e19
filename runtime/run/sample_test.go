package run

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

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
// the samples of one batch (the source draws its points in sequence), and
// the transport's answer.
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
