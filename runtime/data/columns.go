package data

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseColumns turns a column selection into column indices for a file of
// ncols columns. The selection is a comma-separated list of items, each a
// column index or a half-open range a:b as in Python slicing: "0:64" is
// columns 0..63, "3" is column 3, "0,3,5" is three columns, "2:" is column 2
// to the end, ":-1" is every column but the last (negative numbers count
// from the end). The empty selection means all columns. Columns may repeat
// and come in any order; the result follows the selection.
func ParseColumns(sel string, ncols int) ([]int, error) {
	sel = strings.TrimSpace(sel)
	if sel == "" {
		cols := make([]int, ncols)
		for i := range cols {
			cols[i] = i
		}
		return cols, nil
	}
	var cols []int
	for item := range strings.SplitSeq(sel, ",") {
		item = strings.TrimSpace(item)
		lo, hi, isRange := strings.Cut(item, ":")
		if !isRange {
			c, err := columnIndex(item, ncols, sel)
			if err != nil {
				return nil, err
			}
			if c < 0 || c >= ncols {
				return nil, fmt.Errorf("columns %q: column %s out of range: the data has columns 0..%d", sel, item, ncols-1)
			}
			cols = append(cols, c)
			continue
		}
		a, b := 0, ncols
		var err error
		if s := strings.TrimSpace(lo); s != "" {
			if a, err = columnIndex(s, ncols, sel); err != nil {
				return nil, err
			}
		}
		if s := strings.TrimSpace(hi); s != "" {
			if b, err = columnIndex(s, ncols, sel); err != nil {
				return nil, err
			}
		}
		if a < 0 || b > ncols || a >= b {
			return nil, fmt.Errorf("columns %q: range %q selects no columns of 0..%d (ranges are half-open: 0:64 is columns 0 to 63)", sel, item, ncols-1)
		}
		for c := a; c < b; c++ {
			cols = append(cols, c)
		}
	}
	return cols, nil
}

// columnIndex parses one column number, resolving negative ones from the
// end.
func columnIndex(s string, ncols int, sel string) (int, error) {
	c, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("columns %q: %q is not a column number; write indices like 0,3,5 or ranges like 0:64", sel, s)
	}
	if c < 0 {
		c += ncols
	}
	return c, nil
}
