package data

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
)

// Source is what training and evaluation draw points from: a built-in
// distribution at a fixed dimension, or a Table of user data. Dim is always
// positive.
type Source interface {
	Sampler
	// Name says what the source is ("moons", "digits.csv.gz[0:64]").
	Name() string
}

// Settings are the options of Open and of the file loaders. The zero value
// (or nil) means: dimension 2 for "gaussian", all columns, header detected,
// comma-separated.
type Settings struct {
	// Dim is the dimension of distributions defined in any dimension
	// ("gaussian"); 0 means 2. For fixed-dimension sets it must be 0 or
	// equal to theirs.
	Dim int
	// Columns selects file columns, as in ParseColumns ("0:64", "0,3,5").
	Columns string
	// Header says whether a CSV file starts with a header line.
	Header HeaderMode
	// Comma separates CSV fields; 0 means ','.
	Comma rune
}

func (s *Settings) orDefault() *Settings {
	if s == nil {
		return &Settings{}
	}
	return s
}

func (s *Settings) comma() rune {
	if s.Comma == 0 {
		return ','
	}
	return s.Comma
}

// Open returns the Source a spec names. Specs are
//
//	NAME            a built-in set: gaussian (normal), 8gaussians, moons,
//	                checkerboard, circles, scurve
//	csv:PATH        a CSV file, gzipped or not
//	npy:PATH        a .npy file, or a .npz archive holding a single array
//	npy:PATH:KEY    the array KEY of a .npz archive (npz: works too)
//
// A bare PATH ending in .csv, .csv.gz, .npy or .npz is read as such a file.
// Files give a *Table, whose Sample draws rows with replacement; type-assert
// the Source to *Table to standardise or split it.
func Open(spec string, s *Settings) (Source, error) {
	s = s.orDefault()
	if s.Dim < 0 {
		return nil, fmt.Errorf("dimension %d: must be positive (or 0 for the default)", s.Dim)
	}
	kind, rest, hasKind := strings.Cut(spec, ":")
	kind = strings.ToLower(kind)
	lower := strings.ToLower(spec)
	var (
		t   *Table
		err error
	)
	switch {
	case hasKind && kind == "csv":
		t, err = LoadCSV(rest, s)
	case hasKind && (kind == "npy" || kind == "npz"):
		t, err = openNumPy(rest, s)
	case strings.HasSuffix(lower, ".csv"), strings.HasSuffix(lower, ".csv.gz"):
		t, err = LoadCSV(spec, s)
	case strings.HasSuffix(lower, ".npy"), strings.HasSuffix(lower, ".npz"):
		t, err = openNumPy(spec, s)
	default:
		return openBuiltin(spec, s)
	}
	if err != nil {
		return nil, err
	}
	if s.Dim != 0 && s.Dim != t.D {
		return nil, fmt.Errorf("%s: %d columns, but dimension %d was asked for; select columns to match", t.Origin, t.D, s.Dim)
	}
	return t, nil
}

// openBuiltin returns a built-in set as a Source of fixed dimension.
func openBuiltin(spec string, s *Settings) (Source, error) {
	sampler, err := Lookup(spec)
	if err != nil {
		return nil, err
	}
	name := strings.ToLower(strings.TrimSpace(spec))
	if s.Columns != "" {
		return nil, fmt.Errorf("column selection %q applies to data files, not to the built-in set %s", s.Columns, name)
	}
	d := sampler.Dim()
	switch {
	case d == 0 && s.Dim == 0:
		d = 2
	case d == 0:
		d = s.Dim
	case s.Dim != 0 && s.Dim != d:
		return nil, fmt.Errorf("data set %s is %d-dimensional, not %d; gaussian comes in any dimension", name, d, s.Dim)
	}
	return &builtinSource{Sampler: sampler, name: name, dim: d}, nil
}

// openNumPy opens PATH or PATH:KEY as a .npy file or a .npz archive,
// telling them apart by content.
func openNumPy(spec string, s *Settings) (*Table, error) {
	path, key := spec, ""
	if _, err := os.Stat(spec); err != nil {
		if i := strings.LastIndexByte(spec, ':'); i > 0 {
			path, key = spec[:i], spec[i+1:]
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	magic := make([]byte, 4)
	_, err = f.Read(magic)
	f.Close()
	if err == nil && bytes.Equal(magic, []byte("PK\x03\x04")) {
		return LoadNPZ(path, key, s)
	}
	if key != "" {
		return nil, fmt.Errorf("%s: a .npy file holds one array; the key %q is for .npz archives", path, key)
	}
	return LoadNPY(path, s)
}

// builtinSource fixes the dimension of a built-in sampler.
type builtinSource struct {
	Sampler
	name string
	dim  int
}

func (b *builtinSource) Dim() int     { return b.dim }
func (b *builtinSource) Name() string { return b.name }

// Sample writes n points into dst[:n*Dim()].
func (b *builtinSource) Sample(dst []float64, n int, rng *rand.Rand) {
	b.Sampler.Sample(dst[:n*b.dim], n, rng)
}
