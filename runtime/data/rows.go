package data

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// RowWriter writes an n×d array of float64 rows as they arrive, so that a
// producer of any number of rows needs memory for one batch only. The
// format follows the name: a float64 .npy array of shape (n, d) for
// ".npy", gzipped CSV for ".gz", CSV otherwise; numbers are written in the
// shortest form that reads back to the same float64.
type RowWriter struct {
	bw      *bufio.Writer
	zw      *gzip.Writer
	npy     bool
	n, d    int
	written int
	buf     []byte
}

// NewRowWriter returns a RowWriter of n rows of d columns onto w.
func NewRowWriter(w io.Writer, name string, n, d int) *RowWriter {
	rw := &RowWriter{n: n, d: d}
	switch lower := strings.ToLower(name); {
	case strings.HasSuffix(lower, ".npy"):
		rw.npy = true
	case strings.HasSuffix(lower, ".gz"):
		rw.zw = gzip.NewWriter(w)
		w = rw.zw
	}
	rw.bw = bufio.NewWriterSize(w, 1<<16)
	return rw
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

// Write writes the first m rows of x.
func (rw *RowWriter) Write(x []float64, m int) error {
	if rw.written+m > rw.n || len(x) < m*rw.d {
		return fmt.Errorf("%d more rows of %d values: beyond the %d×%d announced", m, len(x)/max(rw.d, 1), rw.n, rw.d)
	}
	if rw.npy && rw.written == 0 {
		if _, err := rw.bw.Write(npyHeader(rw.n, rw.d)); err != nil {
			return err
		}
	}
	rw.written += m
	if rw.npy {
		for _, v := range x[:m*rw.d] {
			rw.buf = binary.LittleEndian.AppendUint64(rw.buf[:0], math.Float64bits(v))
			if _, err := rw.bw.Write(rw.buf); err != nil {
				return err
			}
		}
		return nil
	}
	for i := 0; i < m; i++ {
		rw.buf = rw.buf[:0]
		for j := 0; j < rw.d; j++ {
			if j > 0 {
				rw.buf = append(rw.buf, ',')
			}
			rw.buf = strconv.AppendFloat(rw.buf, x[i*rw.d+j], 'g', -1, 64)
		}
		rw.buf = append(rw.buf, '\n')
		if _, err := rw.bw.Write(rw.buf); err != nil {
			return err
		}
	}
	return nil
}

// Close flushes the rows; it is an error if fewer than n were written (a
// .npy header would announce rows that are not there).
func (rw *RowWriter) Close() error {
	if rw.written != rw.n {
		return fmt.Errorf("%d of %d rows written", rw.written, rw.n)
	}
	if err := rw.bw.Flush(); err != nil {
		return err
	}
	if rw.zw != nil {
		return rw.zw.Close()
	}
	return nil
}
