package data

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Table is a data set held in memory: N rows of D columns, row-major in X
// (len(X) == N*D).
//
// A Table is a Source: Sample draws rows uniformly with replacement, the
// bootstrap minibatch of training on a finite data set.
type Table struct {
	N, D int
	X    []float64
	// Origin says where the rows came from ("digits.csv.gz[0:64]"), for
	// messages and logs.
	Origin string
}

// NewTable returns a Table over x (not copied) after checking its shape.
func NewTable(x []float64, n, d int, origin string) (*Table, error) {
	if n < 1 || d < 1 {
		return nil, fmt.Errorf("%s: table of %d×%d: need at least one row and one column", origin, n, d)
	}
	if len(x) != n*d {
		return nil, fmt.Errorf("%s: %d values cannot be %d rows × %d columns", origin, len(x), n, d)
	}
	return &Table{N: n, D: d, X: x, Origin: origin}, nil
}

// Dim returns the number of columns D.
func (t *Table) Dim() int { return t.D }

// Name returns t.Origin.
func (t *Table) Name() string { return t.Origin }

// Row returns row i, sharing storage with t.X.
func (t *Table) Row(i int) []float64 { return t.X[i*t.D : (i+1)*t.D] }

// Sample copies n rows chosen uniformly at random with replacement into
// dst[:n*D]. It does not allocate.
func (t *Table) Sample(dst []float64, n int, rng *rand.Rand) {
	d := t.D
	dst = dst[:n*d]
	for i := 0; i < n; i++ {
		r := rng.IntN(t.N)
		copy(dst[i*d:(i+1)*d], t.X[r*d:(r+1)*d])
	}
}

// Split shuffles the rows with rng and returns the first part as train and
// the last round(holdout·N) rows as test. Both get new storage, so t is left
// as it was. Each side must get at least one row.
func (t *Table) Split(holdout float64, rng *rand.Rand) (train, test *Table, err error) {
	if !(holdout > 0 && holdout < 1) {
		return nil, nil, fmt.Errorf("%s: holdout fraction %v must be strictly between 0 and 1 (0.1 or 0.2 are usual)", t.Origin, holdout)
	}
	nTest := int(math.Round(holdout * float64(t.N)))
	nTrain := t.N - nTest
	if nTest < 1 || nTrain < 1 {
		return nil, nil, fmt.Errorf("%s: holdout %v of %d rows leaves %d for training and %d for testing; need at least one each", t.Origin, holdout, t.N, nTrain, nTest)
	}
	perm := rng.Perm(t.N)
	d := t.D
	x := make([]float64, t.N*d)
	for i, r := range perm {
		copy(x[i*d:(i+1)*d], t.X[r*d:(r+1)*d])
	}
	train = &Table{N: nTrain, D: d, X: x[: nTrain*d : nTrain*d], Origin: t.Origin + " (train)"}
	test = &Table{N: nTest, D: d, X: x[nTrain*d:], Origin: t.Origin + " (holdout)"}
	return train, test, nil
}

// Standardizer is a per-column affine map z = (x − Mean)/Std, fitted on a
// table and kept so that generated samples can be mapped back to data
// units.
type Standardizer struct {
	Mean, Std []float64
}

// FitStandardizer returns the per-column mean and (population) standard
// deviation of t. A constant column (the blank border pixels of the digits,
// say) gets Std = 1 so that it maps to zero instead of to NaN.
func FitStandardizer(t *Table) *Standardizer {
	d := t.D
	s := &Standardizer{Mean: make([]float64, d), Std: make([]float64, d)}
	for i := 0; i < t.N; i++ {
		for j, v := range t.X[i*d : (i+1)*d] {
			s.Mean[j] += v
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= float64(t.N)
	}
	// Two passes: the one-pass formula loses digits when |mean| ≫ std.
	for i := 0; i < t.N; i++ {
		for j, v := range t.X[i*d : (i+1)*d] {
			r := v - s.Mean[j]
			s.Std[j] += r * r
		}
	}
	for j := range s.Std {
		s.Std[j] = math.Sqrt(s.Std[j] / float64(t.N))
		if s.Std[j] == 0 {
			s.Std[j] = 1
		}
	}
	return s
}

// Dim returns the number of columns the Standardizer was fitted on.
func (s *Standardizer) Dim() int { return len(s.Mean) }

// Apply writes (x − Mean)/Std for n rows of x into dst. dst may be x.
func (s *Standardizer) Apply(dst, x []float64, n int) {
	d := len(s.Mean)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			dst[i*d+j] = (x[i*d+j] - s.Mean[j]) / s.Std[j]
		}
	}
}

// Invert writes Mean + Std·z for n rows of z into dst, undoing Apply. dst
// may be z.
func (s *Standardizer) Invert(dst, z []float64, n int) {
	d := len(s.Mean)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			dst[i*d+j] = s.Mean[j] + s.Std[j]*z[i*d+j]
		}
	}
}

// Standardize returns a standardized copy of t and the map that made it.
func (t *Table) Standardize() (*Table, *Standardizer) {
	s := FitStandardizer(t)
	x := make([]float64, len(t.X))
	s.Apply(x, t.X, t.N)
	return &Table{N: t.N, D: t.D, X: x, Origin: t.Origin + " (standardized)"}, s
}

// SelectColumns returns a new table holding the given columns of t, in the
// given order.
func (t *Table) SelectColumns(cols []int) (*Table, error) {
	if len(cols) == 0 {
		return nil, errors.New(t.Origin + ": no columns selected")
	}
	for _, c := range cols {
		if c < 0 || c >= t.D {
			return nil, fmt.Errorf("%s: column %d out of range: the table has columns 0..%d", t.Origin, c, t.D-1)
		}
	}
	k := len(cols)
	x := make([]float64, t.N*k)
	for i := 0; i < t.N; i++ {
		for j, c := range cols {
			x[i*k+j] = t.X[i*t.D+c]
		}
	}
	return &Table{N: t.N, D: k, X: x, Origin: t.Origin}, nil
}
