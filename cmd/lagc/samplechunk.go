package main

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
)

// sampleChunk is how many samples lagc sample transports at once: memory
// stays at a few chunks whatever -n is. Up to one chunk, the samples are
// the same as transporting all at once.
const sampleChunk = 1 << 16

// sampleChunks draws n source points with rng and transports them chunk
// points at a time, mapping them back to the data's units when std is not
// nil, and hands each chunk's rows to emit in order. It returns the largest
// number of network evaluations a chunk needed.
func sampleChunks(transport fm.Transport, src data.Sampler, std *data.Standardizer, n, d, chunk int, set *fm.SampleSettings, rng *rand.Rand, emit func(x []float64, rows int) error) (nfe int, err error) {
	x0 := make([]float64, min(n, chunk)*d)
	for done := 0; done < n; done += chunk {
		m := min(chunk, n-done)
		x := x0[:m*d]
		src.Sample(x, m, rng)
		res, err := transport(x, m, set)
		if err != nil {
			return nfe, err
		}
		if std != nil {
			std.Invert(res.X, res.X, m)
		}
		for _, v := range res.X[:m*d] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nfe, fmt.Errorf("the model produced a non-finite sample (%v); the checkpoint may hold a diverged model", v)
			}
		}
		nfe = max(nfe, res.NFE)
		if err := emit(res.X, m); err != nil {
			return nfe, err
		}
	}
	return nfe, nil
}

// sampleWriter writes n×d samples in one of lagc sample's formats as rows
// arrive: CSV (gzipped for .gz) or a float64 .npy array of shape (n, d).
type sampleWriter struct {
	bw     *bufio.Writer
	zw     *gzip.Writer
	npy    bool
	buf    []byte
	d      int
	header bool // npy header written
	n      int
}

func newSampleWriter(w io.Writer, name string, n, d int) *sampleWriter {
	sw := &sampleWriter{d: d, n: n}
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".npy"):
		sw.npy = true
	case strings.HasSuffix(lower, ".gz"):
		sw.zw = gzip.NewWriter(w)
		w = sw.zw
	}
	sw.bw = bufio.NewWriterSize(w, 1<<16)
	return sw
}

// npyHeader is the .npy format 1.0 header of a little-endian float64 array
// of shape (n, d), padded so that the data start at a multiple of 64 bytes.
func npyHeader(n, d int) []byte {
	dict := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }", n, d)
	const pre = 10 // magic (6), version (2), header length (2)
	total := (pre + len(dict) + 1 + 63) / 64 * 64
	h := make([]byte, 0, total)
	h = append(h, "\x93NUMPY\x01\x00"...)
	h = binary.LittleEndian.AppendUint16(h, uint16(total-pre))
	h = append(h, dict...)
	for len(h) < total-1 {
		h = append(h, ' ')
	}
	return append(h, '\n')
}

func (sw *sampleWriter) rows(x []float64, m int) error {
	if sw.npy {
		if !sw.header {
			sw.header = true
			if _, err := sw.bw.Write(npyHeader(sw.n, sw.d)); err != nil {
				return err
			}
		}
		for _, v := range x[:m*sw.d] {
			sw.buf = binary.LittleEndian.AppendUint64(sw.buf[:0], math.Float64bits(v))
			if _, err := sw.bw.Write(sw.buf); err != nil {
				return err
			}
		}
		return nil
	}
	for i := 0; i < m; i++ {
		sw.buf = sw.buf[:0]
		for j := 0; j < sw.d; j++ {
			if j > 0 {
				sw.buf = append(sw.buf, ',')
			}
			sw.buf = strconv.AppendFloat(sw.buf, x[i*sw.d+j], 'g', -1, 64)
		}
		sw.buf = append(sw.buf, '\n')
		if _, err := sw.bw.Write(sw.buf); err != nil {
			return err
		}
	}
	return nil
}

func (sw *sampleWriter) close() error {
	if err := sw.bw.Flush(); err != nil {
		return err
	}
	if sw.zw != nil {
		return sw.zw.Close()
	}
	return nil
}
