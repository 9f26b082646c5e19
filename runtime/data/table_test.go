package data

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/stat"
)

func TestParseColumns(t *testing.T) {
	for _, tc := range []struct {
		sel   string
		ncols int
		want  []int
	}{
		{"", 3, []int{0, 1, 2}},
		{"0:3", 5, []int{0, 1, 2}},
		{"0,3,5", 6, []int{0, 3, 5}},
		{"2:", 4, []int{2, 3}},
		{":-1", 4, []int{0, 1, 2}},
		{"-1", 4, []int{3}},
		{" 1 , 0 ", 2, []int{1, 0}},
		{"0:2,5,4:", 6, []int{0, 1, 5, 4, 5}},
	} {
		got, err := ParseColumns(tc.sel, tc.ncols)
		if err != nil {
			t.Errorf("ParseColumns(%q, %d): %v", tc.sel, tc.ncols, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParseColumns(%q, %d) (-want +got):\n%s", tc.sel, tc.ncols, diff)
		}
	}
}

func TestParseColumnsErrors(t *testing.T) {
	for _, tc := range []struct {
		sel   string
		ncols int
		want  string
	}{
		{"5", 5, "out of range"},
		{"-6", 5, "out of range"},
		{"3:2", 5, "selects no columns"},
		{"0:9", 5, "selects no columns"},
		{"a:b", 5, `"a" is not a column number`},
		{"0,,1", 5, `"" is not a column number`},
	} {
		_, err := ParseColumns(tc.sel, tc.ncols)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseColumns(%q, %d) error = %v, want one containing %q", tc.sel, tc.ncols, err, tc.want)
		}
	}
}

func testTable() *Table {
	// Column 2 is constant, as the border pixels of the digits are.
	x := []float64{
		1, 10, 7,
		2, 20, 7,
		3, 30, 7,
		4, 40, 7,
		5, 55, 7,
	}
	t, _ := NewTable(x, 5, 3, "test")
	return t
}

func TestStandardize(t *testing.T) {
	tab := testTable()
	z, s := tab.Standardize()
	for j := 0; j < tab.D; j++ {
		col := make([]float64, tab.N)
		zcol := make([]float64, tab.N)
		for i := range col {
			col[i], zcol[i] = tab.X[i*tab.D+j], z.X[i*tab.D+j]
		}
		mean, std := stat.PopMeanStdDev(col, nil)
		if std == 0 {
			std = 1
		}
		if math.Abs(s.Mean[j]-mean) > 1e-12 || math.Abs(s.Std[j]-std) > 1e-12 {
			t.Errorf("column %d: fitted (%v, %v), want (%v, %v)", j, s.Mean[j], s.Std[j], mean, std)
		}
		zm, zs := stat.PopMeanStdDev(zcol, nil)
		wantStd := 1.0
		if j == 2 {
			wantStd = 0 // a constant column maps to zeros, not NaN
		}
		if math.Abs(zm) > 1e-12 || math.Abs(zs-wantStd) > 1e-12 {
			t.Errorf("standardized column %d: mean %v std %v, want 0 and %v", j, zm, zs, wantStd)
		}
	}
	back := make([]float64, len(z.X))
	s.Invert(back, z.X, z.N)
	for i := range back {
		if math.Abs(back[i]-tab.X[i]) > 1e-12 {
			t.Fatalf("Invert(Apply(x))[%d] = %v, want %v", i, back[i], tab.X[i])
		}
	}
}

func TestSplit(t *testing.T) {
	tab := testTable()
	train, test, err := tab.Split(0.4, newRand(1))
	if err != nil {
		t.Fatal(err)
	}
	if train.N != 3 || test.N != 2 {
		t.Fatalf("split 0.4 of 5 rows gave %d + %d, want 3 + 2", train.N, test.N)
	}
	// Together the parts hold each row once.
	var got, want []string
	for _, part := range []*Table{train, test} {
		for i := 0; i < part.N; i++ {
			got = append(got, fmt.Sprint(part.Row(i)))
		}
	}
	for i := 0; i < tab.N; i++ {
		want = append(want, fmt.Sprint(tab.Row(i)))
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows of train+test differ from the table (-want +got):\n%s", diff)
	}
	// Same seed, same split.
	train2, _, _ := tab.Split(0.4, newRand(1))
	if diff := cmp.Diff(train.X, train2.X); diff != "" {
		t.Errorf("same seed, different split:\n%s", diff)
	}
	for _, h := range []float64{0, 1, -0.5, math.NaN(), 0.01, 0.99} {
		if _, _, err := tab.Split(h, newRand(1)); err == nil {
			t.Errorf("Split(%v) of 5 rows succeeded", h)
		}
	}
}

func TestTableSampleBootstrap(t *testing.T) {
	tab := testTable()
	const n = 50000
	dst := make([]float64, n*tab.D)
	tab.Sample(dst, n, newRand(2))
	counts := make([]float64, tab.N)
	for i := 0; i < n; i++ {
		row := dst[i*tab.D : (i+1)*tab.D]
		// Column 0 holds the row number + 1.
		k := int(row[0]) - 1
		if diff := cmp.Diff(tab.Row(k), row); diff != "" {
			t.Fatalf("sampled row %d is not a table row:\n%s", i, diff)
		}
		counts[k]++
	}
	p := 1 / float64(tab.N)
	for k, c := range counts {
		if !within(c, n*p, math.Sqrt(n*p*(1-p)), 5) {
			t.Errorf("row %d drawn %v times, want about %v", k, c, n*p)
		}
	}
	rng := newRand(3)
	if allocs := testing.AllocsPerRun(10, func() { tab.Sample(dst, 256, rng) }); allocs != 0 {
		t.Errorf("Table.Sample allocates %v times", allocs)
	}
}

func TestSelectColumns(t *testing.T) {
	tab := testTable()
	sel, err := tab.SelectColumns([]int{1, 0})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]float64{10, 1, 20, 2, 30, 3, 40, 4, 55, 5}, sel.X); diff != "" {
		t.Errorf("SelectColumns (-want +got):\n%s", diff)
	}
	if _, err := tab.SelectColumns([]int{3}); err == nil {
		t.Error("SelectColumns out of range succeeded")
	}
}
