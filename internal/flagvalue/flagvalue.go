package flagvalue

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Ints is a list of comma-separated positive integers ("64,64,64");
// convert a *[]int to bind it: (*flagvalue.Ints)(&widths).
type Ints []int

func (l *Ints) String() string {
	s := make([]string, len(*l))
	for i, v := range *l {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ",")
}

// Set replaces the list.
func (l *Ints) Set(s string) error {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 1 {
			return fmt.Errorf("%q is not a positive integer", f)
		}
		out = append(out, v)
	}
	*l = out
	return nil
}

// Floats is a list of comma-separated numbers ("1,2.5,-3").
type Floats []float64

func (l *Floats) String() string {
	s := make([]string, len(*l))
	for i, v := range *l {
		s[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(s, ",")
}

// Set replaces the list.
func (l *Floats) Set(s string) error {
	var out []float64
	for f := range strings.SplitSeq(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", f)
		}
		out = append(out, v)
	}
	*l = out
	return nil
}

// Strings collects a repeatable flag's values, in order.
type Strings []string

func (l *Strings) String() string { return strings.Join(*l, ",") }

// Set appends s.
func (l *Strings) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// Names is a list of comma-separated names ("kinetic.lag,bump.lag"),
// each trimmed of spaces; the empty text is the empty list.
type Names []string

func (l *Names) String() string { return strings.Join(*l, ",") }

// Set replaces the list.
func (l *Names) Set(s string) error {
	*l = nil
	if s == "" {
		return nil
	}
	for f := range strings.SplitSeq(s, ",") {
		*l = append(*l, strings.TrimSpace(f))
	}
	return nil
}

// OptionalInt is an int that stays nil until given.
type OptionalInt struct{ P **int }

func (o OptionalInt) String() string {
	if o.P == nil || *o.P == nil {
		return ""
	}
	return strconv.Itoa(**o.P)
}

// Set stores the integer s.
func (o OptionalInt) Set(s string) error {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not an integer", s)
	}
	*o.P = &v
	return nil
}

// Label is an integer class label, written as an integer ("3", "-1"),
// that stays nil until given; it is a float64 because labels are read
// from the columns of data files.
type Label struct{ P **float64 }

func (l Label) String() string {
	if l.P == nil || *l.P == nil {
		return ""
	}
	return strconv.FormatFloat(**l.P, 'g', -1, 64)
}

// Set stores the label s.
func (l Label) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v != math.Trunc(v) {
		return fmt.Errorf("%q: want an integer class label", s)
	}
	*l.P = &v
	return nil
}

// Params collects NAME=VALUE pairs of finite numbers, comma-separated or
// repeated; a name given twice is refused.
type Params map[string]float64

func (p Params) String() string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.FormatFloat(p[k], 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}

// Set adds the pairs of s.
func (p Params) Set(s string) error {
	for kv := range strings.SplitSeq(s, ",") {
		name, val, ok := strings.Cut(kv, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return fmt.Errorf("want NAME=VALUE, got %q", kv)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("parameter %s: %q is not a finite number", name, val)
		}
		if _, dup := p[name]; dup {
			return fmt.Errorf("parameter %s given twice", name)
		}
		p[name] = f
	}
	return nil
}
