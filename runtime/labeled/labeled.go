package labeled

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/lagc-dev/lagc/runtime/data"
)

// MaxClasses bounds the number of distinct labels.
const MaxClasses = 256

// Set is a table of points with a class per row.
type Set struct {
	// X holds the feature columns.
	X *data.Table
	// Class is the class index of each row, in [0, len(Labels)).
	Class []int
	// Labels are the label values of the classes, increasing.
	Labels []float64
}

// FromTable splits t into the label column labelCol and the remaining
// feature columns (in their order).
func FromTable(t *data.Table, labelCol int) (*Set, error) {
	if labelCol < 0 || labelCol >= t.D {
		return nil, fmt.Errorf("%s: label column %d out of range: the table has columns 0..%d", t.Origin, labelCol, t.D-1)
	}
	if t.D < 2 {
		return nil, fmt.Errorf("%s: a label column and at least one feature column are needed, the table has %d column", t.Origin, t.D)
	}
	cols := make([]int, 0, t.D-1)
	for c := range t.D {
		if c != labelCol {
			cols = append(cols, c)
		}
	}
	x, err := t.SelectColumns(cols)
	if err != nil {
		return nil, err
	}
	x.Origin = fmt.Sprintf("%s without label column %d", t.Origin, labelCol)
	labels := make([]float64, t.N)
	for i := range t.N {
		labels[i] = t.X[i*t.D+labelCol]
	}
	return New(x, labels)
}

// New pairs the rows of x with the labels (one per row).
func New(x *data.Table, labels []float64) (*Set, error) {
	if len(labels) != x.N {
		return nil, fmt.Errorf("%s: %d labels for %d rows", x.Origin, len(labels), x.N)
	}
	var values []float64
	for i, v := range labels {
		if math.IsNaN(v) || math.IsInf(v, 0) || v != math.Trunc(v) {
			return nil, fmt.Errorf("%s: row %d has label %v; labels must be integers", x.Origin, i, v)
		}
		if _, found := slices.BinarySearch(values, v); !found {
			values = append(values, v)
			slices.Sort(values)
			if len(values) > MaxClasses {
				return nil, fmt.Errorf("%s: more than %d distinct labels; is the label column right?", x.Origin, MaxClasses)
			}
		}
	}
	s := &Set{X: x, Class: make([]int, x.N), Labels: values}
	for i, v := range labels {
		s.Class[i], _ = slices.BinarySearch(values, v)
	}
	return s, nil
}

// Classes is the number of classes.
func (s *Set) Classes() int { return len(s.Labels) }

// ClassOf returns the class index of the label value v.
func (s *Set) ClassOf(v float64) (int, error) {
	k, found := slices.BinarySearch(s.Labels, v)
	if !found {
		return 0, fmt.Errorf("class %v: not among the labels %v", v, s.Labels)
	}
	return k, nil
}

// OneHot writes the one-hot code of class k into dst (length Classes()).
func OneHot(dst []float64, k int) {
	clear(dst)
	dst[k] = 1
}

// Sample draws n rows uniformly with replacement into dst (n×D) and their
// classes into class (length n).
func (s *Set) Sample(dst []float64, class []int, n int, rng *rand.Rand) {
	d := s.X.D
	for i := range n {
		r := rng.IntN(s.X.N)
		copy(dst[i*d:(i+1)*d], s.X.X[r*d:(r+1)*d])
		class[i] = s.Class[r]
	}
}

// OfClass returns the rows of class k as a new table, or nil if it has
// none.
func (s *Set) OfClass(k int) *data.Table {
	d := s.X.D
	var x []float64
	for i, c := range s.Class {
		if c == k {
			x = append(x, s.X.X[i*d:(i+1)*d]...)
		}
	}
	if x == nil {
		return nil
	}
	return &data.Table{N: len(x) / d, D: d, X: x, Origin: fmt.Sprintf("%s class %v", s.X.Origin, s.Labels[k])}
}

// Split shuffles the rows with rng and holds out round(holdout·N) of them,
// keeping every row with its label and both sides with the full list of
// classes.
func (s *Set) Split(holdout float64, rng *rand.Rand) (train, test *Set, err error) {
	n, d := s.X.N, s.X.D
	nTest := int(math.Round(holdout * float64(n)))
	if !(holdout > 0 && holdout < 1) || nTest < 1 || nTest >= n {
		return nil, nil, fmt.Errorf("%s: holdout fraction %v of %d rows must leave at least one row on each side", s.X.Origin, holdout, n)
	}
	perm := rng.Perm(n)
	x := make([]float64, n*d)
	class := make([]int, n)
	for i, r := range perm {
		copy(x[i*d:(i+1)*d], s.X.X[r*d:(r+1)*d])
		class[i] = s.Class[r]
	}
	nTrain := n - nTest
	train = &Set{X: &data.Table{N: nTrain, D: d, X: x[: nTrain*d : nTrain*d], Origin: s.X.Origin + " (train)"}, Class: class[:nTrain:nTrain], Labels: s.Labels}
	test = &Set{X: &data.Table{N: nTest, D: d, X: x[nTrain*d:], Origin: s.X.Origin + " (holdout)"}, Class: class[nTrain:], Labels: s.Labels}
	return train, test, nil
}

// Features is the data.Sampler of a Set's points without their labels,
// which carries the Set to trainers that know about labels
// (runtime/condflow) through interfaces that take any data.Sampler.
type Features struct{ Set *Set }

// Dim is the number of feature columns.
func (f Features) Dim() int { return f.Set.X.D }

// Sample draws n rows uniformly with replacement into dst (n×Dim).
func (f Features) Sample(dst []float64, n int, rng *rand.Rand) {
	d := f.Set.X.D
	for i := range n {
		r := rng.IntN(f.Set.X.N)
		copy(dst[i*d:(i+1)*d], f.Set.X.X[r*d:(r+1)*d])
	}
}
