package data

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// HeaderMode says whether the first record of a CSV file is a header.
type HeaderMode int

const (
	// HeaderAuto treats the first record as a header when none of its
	// selected fields is a number.
	HeaderAuto HeaderMode = iota
	// HeaderPresent always skips the first record.
	HeaderPresent
	// HeaderAbsent reads the first record as data.
	HeaderAbsent
)

// gzipMagic starts every gzip stream.
var gzipMagic = []byte{0x1f, 0x8b}

// LoadCSV reads a CSV file of numbers into a Table. A gzipped file is
// recognised by its content, whatever its name. See ReadCSV.
func LoadCSV(path string, s *Settings) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadCSV(f, path, s)
}

// ReadCSV reads CSV records of numbers from r into a Table. name is used in
// messages ("name:line:column: ..."). Gzipped input is decompressed.
//
// Lines starting with # are comments; blank lines are skipped; fields may be
// quoted and may have leading spaces. Every record must have as many fields
// as the first. Only the columns selected by s.Columns are parsed, so a
// text label column can be left out. Values must be finite: NaN or Inf in
// training data is an error, reported with its line.
func ReadCSV(r io.Reader, name string, s *Settings) (*Table, error) {
	s = s.orDefault()
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && string(magic) == string(gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: looks gzipped but is not readable: %v", name, err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	// Spreadsheets often start UTF-8 files with a byte-order mark, which
	// would otherwise glue itself to the first number.
	if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(LineLimitReader(br, "", 0))
	cr.Comma = s.comma()
	cr.Comment = '#'
	cr.FieldsPerRecord = -1 // checked here, for a clearer message
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	if cr.Comma == cr.Comment || cr.Comma == '"' || cr.Comma == '\r' || cr.Comma == '\n' || cr.Comma == 0xFFFD {
		return nil, fmt.Errorf("%s: %q cannot separate CSV fields; use ',' ';' or '\\t'", name, cr.Comma)
	}

	var (
		x         []float64
		cols      []int
		ncols     int
		firstLine int
		rows      int
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
			}
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		line, _ := cr.FieldPos(0)
		if cols == nil {
			ncols, firstLine = len(rec), line
			if cols, err = ParseColumns(s.Columns, ncols); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, line, err)
			}
			if skipHeader(rec, cols, s.Header) {
				continue
			}
		}
		if len(rec) != ncols {
			return nil, fmt.Errorf("%s:%d: %d fields, but line %d has %d; every record needs the same number of fields", name, line, len(rec), firstLine, ncols)
		}
		for _, c := range cols {
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				l, col := cr.FieldPos(c)
				what := "is not a number"
				if err == nil {
					what = "is not finite"
				}
				return nil, fmt.Errorf("%s:%d:%d: field %d %q %s", name, l, col, c, rec[c], what)
			}
			x = append(x, v)
		}
		rows++
	}
	if rows == 0 {
		return nil, fmt.Errorf("%s: no data rows", name)
	}
	origin := name
	if s.Columns != "" {
		origin += "[" + s.Columns + "]"
	}
	return &Table{N: rows, D: len(cols), X: x, Origin: origin}, nil
}

// skipHeader reports whether the first record is a header to skip.
func skipHeader(rec []string, cols []int, mode HeaderMode) bool {
	switch mode {
	case HeaderPresent:
		return true
	case HeaderAbsent:
		return false
	}
	// A header has no numbers among the selected fields. Requiring all of
	// them to fail keeps a data row with one typo from being dropped
	// silently as a "header": it is reported with its line instead.
	for _, c := range cols {
		if _, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 64); err == nil {
			return false
		}
	}
	return true
}

// WriteCSV writes n rows of d columns of x to path as CSV, with an optional
// header line (nil for none), gzipped when path ends in ".gz". Numbers are
// written in the shortest form that reads back to the same float64. The
// file is written atomically: readers see the old file or the whole new one.
func WriteCSV(path string, x []float64, n, d int, header []string) error {
	if err := checkShape(x, n, d); err != nil {
		return fmt.Errorf("write %s: %v", path, err)
	}
	if header != nil && len(header) != d {
		return fmt.Errorf("write %s: %d header names for %d columns", path, len(header), d)
	}
	return writeFileAtomic(path, func(w io.Writer) error {
		if strings.HasSuffix(strings.ToLower(path), ".gz") {
			zw := gzip.NewWriter(w)
			if err := EncodeCSV(zw, x, n, d, header); err != nil {
				return err
			}
			return zw.Close()
		}
		return EncodeCSV(w, x, n, d, header)
	})
}

// EncodeCSV writes n rows of d columns of x as CSV to w, with an optional
// header line (nil for none), numbers as in WriteCSV.
func EncodeCSV(w io.Writer, x []float64, n, d int, header []string) error {
	bw := bufio.NewWriter(w)
	if header != nil {
		cw := csv.NewWriter(bw)
		if err := cw.Write(header); err != nil {
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	var buf []byte
	for i := 0; i < n; i++ {
		buf = buf[:0]
		for j := 0; j < d; j++ {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendFloat(buf, x[i*d+j], 'g', -1, 64)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// checkShape checks that x holds n rows of d columns.
func checkShape(x []float64, n, d int) error {
	if n < 1 || d < 1 {
		return fmt.Errorf("%d×%d points: need at least one row and one column", n, d)
	}
	if len(x) < n*d {
		return fmt.Errorf("%d values are too few for %d rows × %d columns", len(x), n, d)
	}
	return nil
}
