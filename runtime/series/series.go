package series

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/lagc-dev/lagc/runtime/data"
)

// Series is a population observed at increasing times: Points[k] holds the
// Count(k) points (flat, D columns) observed at Times[k]. Counts may differ
// between times.
type Series struct {
	Times  []float64
	Points [][]float64
	D      int
}

// New checks and returns a Series over the given snapshots (not copied):
// at least 3 distinct increasing finite times, at least 2 finite points at
// each.
func New(times []float64, points [][]float64, d int) (*Series, error) {
	if d < 1 {
		return nil, fmt.Errorf("snapshot series: dimension %d; it must be at least 1", d)
	}
	if len(times) != len(points) {
		return nil, fmt.Errorf("snapshot series: %d times but %d snapshots", len(times), len(points))
	}
	if len(times) < 3 {
		return nil, fmt.Errorf("snapshot series: %d distinct time(s); at least 3 are needed (two to interpolate between and one to check against)", len(times))
	}
	for k, t := range times {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("snapshot series: time %d is %g; times must be finite", k, t)
		}
		if k > 0 && !(t > times[k-1]) {
			return nil, fmt.Errorf("snapshot series: times must increase, but time %d is %g after %g", k, t, times[k-1])
		}
		p := points[k]
		if len(p)%d != 0 {
			return nil, fmt.Errorf("snapshot series: time %g has %d values, not a multiple of the dimension %d", t, len(p), d)
		}
		if len(p)/d < 2 {
			return nil, fmt.Errorf("snapshot series: time %g has %d point(s); every time needs at least 2", t, len(p)/d)
		}
		for i, x := range p {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("snapshot series: time %g, point %d, column %d is %g; values must be finite", t, i/d, i%d, x)
			}
		}
	}
	return &Series{Times: times, Points: points, D: d}, nil
}

// Len is the number of times.
func (s *Series) Len() int { return len(s.Times) }

// Count is the number of points observed at time k.
func (s *Series) Count(k int) int { return len(s.Points[k]) / s.D }

// FromTable groups the rows of a table by the value of its column timeCol
// into a Series whose features are the columns cols, in that order.
func FromTable(t *data.Table, timeCol int, cols []int) (*Series, error) {
	if timeCol < 0 || timeCol >= t.D {
		return nil, fmt.Errorf("%s: time column %d out of range: the data has columns 0..%d", t.Origin, timeCol, t.D-1)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("%s: no feature columns", t.Origin)
	}
	for _, c := range cols {
		if c < 0 || c >= t.D {
			return nil, fmt.Errorf("%s: column %d out of range: the data has columns 0..%d", t.Origin, c, t.D-1)
		}
		if c == timeCol {
			return nil, fmt.Errorf("%s: column %d is the time column; it cannot also be a feature", t.Origin, c)
		}
	}
	byTime := map[float64][]float64{}
	for i := 0; i < t.N; i++ {
		row := t.Row(i)
		tm := row[timeCol]
		if math.IsNaN(tm) || math.IsInf(tm, 0) {
			return nil, fmt.Errorf("%s: row %d has time %g; times must be finite", t.Origin, i, tm)
		}
		for _, c := range cols {
			byTime[tm] = append(byTime[tm], row[c])
		}
	}
	times := make([]float64, 0, len(byTime))
	for tm := range byTime {
		times = append(times, tm)
	}
	slices.Sort(times)
	points := make([][]float64, len(times))
	for k, tm := range times {
		points[k] = byTime[tm]
	}
	s, err := New(times, points, len(cols))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Origin, err)
	}
	return s, nil
}

// LoadSettings say where a series is in a file.
type LoadSettings struct {
	// TimeColumn is the column of observation times: an index (negative
	// counts from the end) or, for a CSV file with a header row, a name.
	// Empty means column 0.
	TimeColumn string
	// Columns selects the feature columns: indices and ranges as in
	// data.ParseColumns ("1:3", "2,5"), or header names ("x,y"), or both.
	// Empty means every column but the time column.
	Columns string
	// Header says whether a CSV file starts with a header row; the default
	// detects one: the first row is a header when none of its fields is a
	// number.
	Header data.HeaderMode
}

// Load reads a series from a CSV or NumPy file spec ("csv:PATH",
// "npy:PATH", or a path ending in .csv, .csv.gz, .npy, .npz). Column names
// can be used with CSV files that start with a header row.
func Load(spec string, s *LoadSettings) (*Series, error) {
	if path, ok := csvPath(spec); ok {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return ReadCSV(f, path, s)
	}
	src, err := data.Open(spec, &data.Settings{Header: s.header()})
	if err != nil {
		return nil, err
	}
	t, ok := src.(*data.Table)
	if !ok {
		return nil, fmt.Errorf("%s: a snapshot series must come from a file (csv:PATH or npy:PATH), not a built-in distribution", spec)
	}
	return fromTable(t, nil, s)
}

// ReadCSV reads a series from CSV text (gzipped or not), as Load does;
// name is used in messages.
func ReadCSV(r io.Reader, name string, s *LoadSettings) (*Series, error) {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: looks gzipped but is not readable: %v", name, err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	text, err := io.ReadAll(br)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	var names []string
	if s.header() != data.HeaderAbsent {
		names = headerNames(text)
	}
	t, err := data.ReadCSV(bytes.NewReader(text), name, &data.Settings{Header: s.header()})
	if err != nil {
		return nil, err
	}
	return fromTable(t, names, s)
}

func (s *LoadSettings) header() data.HeaderMode {
	if s == nil {
		return data.HeaderAuto
	}
	return s.Header
}

func fromTable(t *data.Table, names []string, s *LoadSettings) (*Series, error) {
	if s == nil {
		s = &LoadSettings{}
	}
	timeSel := s.TimeColumn
	if timeSel == "" {
		timeSel = "0"
	}
	tc, err := resolveColumns(timeSel, t.D, names)
	if err != nil {
		return nil, fmt.Errorf("%s: time column: %w", t.Origin, err)
	}
	if len(tc) != 1 {
		return nil, fmt.Errorf("%s: time column %q: select exactly one column", t.Origin, s.TimeColumn)
	}
	var cols []int
	if strings.TrimSpace(s.Columns) == "" {
		for c := 0; c < t.D; c++ {
			if c != tc[0] {
				cols = append(cols, c)
			}
		}
	} else if cols, err = resolveColumns(s.Columns, t.D, names); err != nil {
		return nil, fmt.Errorf("%s: columns: %w", t.Origin, err)
	}
	return FromTable(t, tc[0], cols)
}

// resolveColumns is data.ParseColumns with header names allowed as items.
func resolveColumns(sel string, ncols int, names []string) ([]int, error) {
	if cols, err := data.ParseColumns(sel, ncols); err == nil {
		return cols, nil
	} else if names == nil {
		return nil, err
	}
	var out []int
	for item := range strings.SplitSeq(sel, ",") {
		item = strings.TrimSpace(item)
		if i := slices.Index(names, item); i >= 0 {
			out = append(out, i)
			continue
		}
		cols, err := data.ParseColumns(item, ncols)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a column of the header (%s) nor a column index or range", item, strings.Join(names, ", "))
		}
		out = append(out, cols...)
	}
	return out, nil
}

func csvPath(spec string) (string, bool) {
	kind, rest, ok := strings.Cut(spec, ":")
	if ok && strings.EqualFold(kind, "csv") {
		return rest, true
	}
	lower := strings.ToLower(spec)
	if strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".csv.gz") {
		return spec, true
	}
	return "", false
}

// headerNames returns the fields of a CSV text's first record when none
// of them is a number (a header row), else nil.
func headerNames(text []byte) []string {
	text = bytes.TrimPrefix(text, []byte("\uFEFF"))
	cr := csv.NewReader(bytes.NewReader(text))
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	rec, err := cr.Read()
	if err != nil {
		return nil // the table reader reports unreadable text
	}
	for _, f := range rec {
		if _, err := strconv.ParseFloat(strings.TrimSpace(f), 64); err == nil {
			return nil
		}
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	return rec
}

// Standardize maps every snapshot's points by the mean and standard
// deviation of all points pooled over time, in place, and returns the map
// (to take predictions back to data units). Times are not changed.
func (s *Series) Standardize() *data.Standardizer {
	var all []float64
	for _, p := range s.Points {
		all = append(all, p...)
	}
	t, _ := data.NewTable(all, len(all)/s.D, s.D, "series")
	st := data.FitStandardizer(t)
	for _, p := range s.Points {
		st.Apply(p, p, len(p)/s.D)
	}
	return st
}

// Flatten returns all points with their times as rows (time, features...),
// the layout Load reads.
func (s *Series) Flatten() (rows []float64, n int) {
	for k, p := range s.Points {
		for i := 0; i < len(p)/s.D; i++ {
			rows = append(rows, s.Times[k])
			rows = append(rows, p[i*s.D:(i+1)*s.D]...)
			n++
		}
	}
	return rows, n
}
