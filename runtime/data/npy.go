package data

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/sbinet/npyio"
	"gonum.org/v1/gonum/mat"
)

// LoadNPY reads a 2-D NumPy array (n rows × d columns) from a .npy file
// into a Table. Arrays of float64, float32 and integers of any width are
// accepted, in C or Fortran order; s.Columns selects columns as in LoadCSV.
func LoadNPY(path string, s *Settings) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return decodeNPY(f, fi.Size(), path, s.orDefault())
}

// LoadNPZ reads one array of a .npz archive (as written by numpy.savez)
// into a Table, like LoadNPY. key names the array ("x" for the member
// x.npy); it may be empty when the archive holds a single array.
func LoadNPZ(path, key string, s *Settings) (*Table, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable .npz archive: %v", path, err)
	}
	defer zr.Close()
	var keys []string
	var member *zip.File
	for _, f := range zr.File {
		k := strings.TrimSuffix(f.Name, ".npy")
		keys = append(keys, k)
		if k == key || (key == "" && len(zr.File) == 1) {
			member = f
		}
	}
	if member == nil {
		switch {
		case len(keys) == 0:
			return nil, fmt.Errorf("%s: the archive holds no arrays", path)
		case key == "":
			return nil, fmt.Errorf("%s: the archive holds %d arrays (%s); name one as npy:%s:KEY", path, len(keys), strings.Join(keys, ", "), path)
		}
		msg := fmt.Sprintf("%s: no array %q in the archive", path, key)
		if near := closest(key, keys); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		return nil, fmt.Errorf("%s; it holds %s", msg, strings.Join(keys, ", "))
	}
	rc, err := member.Open()
	if err != nil {
		return nil, fmt.Errorf("%s:%s: %v", path, key, err)
	}
	defer rc.Close()
	return decodeNPY(rc, int64(member.UncompressedSize64), path+":"+strings.TrimSuffix(member.Name, ".npy"), s.orDefault())
}

// fullReader reads whole buffers and counts bytes. npyio reads each element
// with a single Read and ignores short reads, which decompressors may give
// in the middle of a stream; io.ReadFull makes every read complete, and the
// count shows whether the data was all there.
type fullReader struct {
	r io.Reader
	n int64
}

func (f *fullReader) Read(p []byte) (int, error) {
	k, err := io.ReadFull(f.r, p)
	f.n += int64(k)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return k, err
}

// decodeNPY reads one .npy stream of size bytes (−1 if unknown).
func decodeNPY(r io.Reader, size int64, name string, s *Settings) (t *Table, err error) {
	// npyio indexes into the header without checking it; a malformed
	// header must be an error, not a crash.
	defer func() {
		if p := recover(); p != nil {
			t, err = nil, fmt.Errorf("%s: malformed .npy header (%v)", name, p)
		}
	}()
	fr := &fullReader{r: bufio.NewReader(r)}
	rd, err := npyio.NewReader(fr)
	if err != nil {
		return nil, fmt.Errorf("%s: not a .npy array: %v", name, err)
	}
	hdr := rd.Header.Descr
	if len(hdr.Shape) != 2 {
		hint := ""
		if len(hdr.Shape) == 1 {
			hint = "; reshape it to (n, 1) for n points in 1D or (1, d) for one point"
		}
		return nil, fmt.Errorf("%s: array of shape %v: want 2 dimensions, n points × d coordinates%s", name, hdr.Shape, hint)
	}
	n, d := hdr.Shape[0], hdr.Shape[1]
	if n < 1 || d < 1 {
		return nil, fmt.Errorf("%s: array of shape %v holds no points", name, hdr.Shape)
	}
	rt := npyio.TypeFrom(hdr.Type)
	if rt == nil || !numericKinds[rt.Kind()] {
		return nil, fmt.Errorf("%s: array of dtype %q: want float64, float32 or integers", name, hdr.Type)
	}
	elemSize := int64(rt.Size())
	if d > math.MaxInt32/n {
		return nil, fmt.Errorf("%s: array of shape %v is too large", name, hdr.Shape)
	}
	count := n * d
	if size >= 0 && size-fr.n < int64(count)*elemSize {
		return nil, fmt.Errorf("%s: truncated: shape %v of %s needs %d bytes of data, the file has %d", name, hdr.Shape, hdr.Type, int64(count)*elemSize, size-fr.n)
	}

	start := fr.n
	ptr := reflect.New(reflect.SliceOf(rt))
	ptr.Elem().Set(reflect.MakeSlice(reflect.SliceOf(rt), count, count))
	if err := rd.Read(ptr.Interface()); err != nil && err != io.EOF {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if got := fr.n - start; got != int64(count)*elemSize {
		return nil, fmt.Errorf("%s: truncated: shape %v of %s needs %d bytes of data, read %d", name, hdr.Shape, hdr.Type, int64(count)*elemSize, got)
	}
	x := toFloat64(ptr.Elem())
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: element %d (row %d, column %d) is %v; data must be finite", name, i, i/d, i%d, v)
		}
	}
	if hdr.Fortran {
		// Column-major on disk: element (i, j) is at j*n + i.
		rowMajor := make([]float64, count)
		for i := 0; i < n; i++ {
			for j := 0; j < d; j++ {
				rowMajor[i*d+j] = x[j*n+i]
			}
		}
		x = rowMajor
	}
	t = &Table{N: n, D: d, X: x, Origin: name}
	if s.Columns != "" {
		cols, err := ParseColumns(s.Columns, d)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		if t, err = t.SelectColumns(cols); err != nil {
			return nil, err
		}
		t.Origin = name + "[" + s.Columns + "]"
	}
	return t, nil
}

var numericKinds = map[reflect.Kind]bool{
	reflect.Float64: true, reflect.Float32: true,
	reflect.Int8: true, reflect.Int16: true, reflect.Int32: true, reflect.Int64: true,
	reflect.Uint8: true, reflect.Uint16: true, reflect.Uint32: true, reflect.Uint64: true,
}

// toFloat64 converts a slice of any numeric kind to []float64.
func toFloat64(v reflect.Value) []float64 {
	if x, ok := v.Interface().([]float64); ok {
		return x
	}
	x := make([]float64, v.Len())
	for i := range x {
		e := v.Index(i)
		switch {
		case e.CanFloat():
			x[i] = e.Float()
		case e.CanInt():
			x[i] = float64(e.Int())
		default:
			x[i] = float64(e.Uint())
		}
	}
	return x
}

// WriteNPY writes n rows of d columns of x to path as a float64 .npy array
// of shape (n, d), atomically (see WriteCSV).
func WriteNPY(path string, x []float64, n, d int) error {
	if err := checkShape(x, n, d); err != nil {
		return fmt.Errorf("write %s: %v", path, err)
	}
	m := mat.NewDense(n, d, slices.Clip(x[:n*d]))
	return writeFileAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := npyio.Write(bw, m); err != nil {
			return err
		}
		return bw.Flush()
	})
}
