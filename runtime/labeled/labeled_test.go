package labeled

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/data"
)

func table(t *testing.T, x []float64, n, d int) *data.Table {
	t.Helper()
	tab, err := data.NewTable(x, n, d, "test")
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestFromTableKeepsRowsWithTheirLabels(t *testing.T) {
	// Column 1 is the label; row i has features (i, 10i).
	x := []float64{
		0, 7, 0,
		1, 3, 10,
		2, 7, 20,
		3, 5, 30,
		4, 3, 40,
	}
	s, err := FromTable(table(t, x, 5, 3), 1)
	if err != nil {
		t.Fatal(err)
	}
	if s.X.D != 2 || s.X.N != 5 || s.Classes() != 3 {
		t.Fatalf("got %d×%d features and %d classes, want 5×2 and 3", s.X.N, s.X.D, s.Classes())
	}
	wantLabels := []float64{3, 5, 7}
	for k, v := range wantLabels {
		if s.Labels[k] != v {
			t.Fatalf("labels %v, want %v", s.Labels, wantLabels)
		}
	}
	for i := range 5 {
		if row := s.X.Row(i); row[0] != float64(i) || row[1] != 10*float64(i) {
			t.Errorf("row %d features %v", i, row)
		}
		if s.Labels[s.Class[i]] != x[i*3+1] {
			t.Errorf("row %d class %d (label %v), want label %v", i, s.Class[i], s.Labels[s.Class[i]], x[i*3+1])
		}
	}
	c7 := s.OfClass(2)
	if c7.N != 2 || c7.X[0] != 0 || c7.X[2] != 2 {
		t.Errorf("class of label 7: %+v, want rows 0 and 2", c7)
	}
	if k, err := s.ClassOf(5); err != nil || k != 1 {
		t.Errorf("ClassOf(5) = %d, %v; want 1", k, err)
	}
	if _, err := s.ClassOf(4); err == nil {
		t.Error("ClassOf(4) of labels 3, 5, 7 gave no error")
	}
	// Draws and splits keep each row with its label: feature 0 is the row
	// number, so the label can be checked.
	rng := rand.New(rand.NewPCG(1, 1))
	dst, class := make([]float64, 40), make([]int, 20)
	s.Sample(dst, class, 20, rng)
	for i := range 20 {
		r := int(dst[2*i])
		if class[i] != s.Class[r] {
			t.Errorf("draw %d: row %d with class %d, want %d", i, r, class[i], s.Class[r])
		}
	}
	train, test, err := s.Split(0.4, rng)
	if err != nil {
		t.Fatal(err)
	}
	if train.X.N != 3 || test.X.N != 2 {
		t.Errorf("split sizes %d and %d, want 3 and 2", train.X.N, test.X.N)
	}
	for _, part := range []*Set{train, test} {
		for i, c := range part.Class {
			r := int(part.X.Row(i)[0])
			if c != s.Class[r] {
				t.Errorf("split row %d (original %d) has class %d, want %d", i, r, c, s.Class[r])
			}
		}
	}
	oh := make([]float64, 3)
	OneHot(oh, 1)
	if oh[0] != 0 || oh[1] != 1 || oh[2] != 0 {
		t.Errorf("one-hot of class 1: %v", oh)
	}
}

func TestLabelErrors(t *testing.T) {
	x := []float64{0, 1.5, 1, 2}
	for _, tc := range []struct {
		name string
		run  func() error
		want string
	}{
		{"fractional label", func() error { _, err := FromTable(table(t, x, 2, 2), 1); return err }, "integers"},
		{"NaN label", func() error {
			_, err := New(table(t, []float64{0, 1}, 2, 1), []float64{0, math.NaN()})
			return err
		}, "integers"},
		{"column out of range", func() error { _, err := FromTable(table(t, x, 2, 2), 2); return err }, "out of range"},
		{"no feature column", func() error { _, err := FromTable(table(t, []float64{1, 2}, 2, 1), 0); return err }, "feature"},
		{"label count", func() error { _, err := New(table(t, []float64{0, 1}, 2, 1), []float64{0}); return err }, "labels for"},
		{"too many classes", func() error {
			n := MaxClasses + 1
			labels := make([]float64, n)
			for i := range labels {
				labels[i] = float64(i)
			}
			_, err := New(table(t, make([]float64, n), n, 1), labels)
			return err
		}, "distinct labels"},
	} {
		err := tc.run()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

// Features draws rows of the set, whole, and only those.
func TestFeaturesSampleRowsOfTheSet(t *testing.T) {
	x := []float64{0, 0, 10, 1, 1, 11, 2, 0, 12}
	s, err := FromTable(table(t, x, 3, 3), 1)
	if err != nil {
		t.Fatal(err)
	}
	f := Features{Set: s}
	if f.Dim() != 2 {
		t.Fatalf("Dim %d, want 2", f.Dim())
	}
	const n = 300
	dst := make([]float64, 2*n)
	f.Sample(dst, n, rand.New(rand.NewPCG(1, 1)))
	seen := map[float64]int{}
	for i := range n {
		a, b := dst[2*i], dst[2*i+1]
		if b != a+10 || a < 0 || a > 2 || a != math.Trunc(a) {
			t.Fatalf("draw %d is (%v, %v), not a row of the set", i, a, b)
		}
		seen[a]++
	}
	for _, r := range []float64{0, 1, 2} {
		if seen[r] < 70 {
			t.Errorf("row %v drawn %d times of %d, want about a third", r, seen[r], n)
		}
	}
}
