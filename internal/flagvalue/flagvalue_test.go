package flagvalue

import (
	"flag"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestLists(t *testing.T) {
	var ints Ints
	var floats Floats
	var strs Strings
	var opt *int
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Var(&ints, "i", "")
	fs.Var(&floats, "f", "")
	fs.Var(&strs, "s", "")
	fs.Var(OptionalInt{P: &opt}, "o", "")
	if opt != nil {
		t.Fatal("OptionalInt set before it was given")
	}
	if err := fs.Parse([]string{"-i", "1, 2,64", "-f", "1,-2.5, 1e3", "-s", "a.lag", "-s", "b,c", "-o", " -3"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ints, []int{1, 2, 64}) || !slices.Equal(floats, []float64{1, -2.5, 1000}) || !slices.Equal(strs, []string{"a.lag", "b,c"}) || opt == nil || *opt != -3 {
		t.Errorf("parsed %v %v %q %v", ints, floats, strs, opt)
	}
	if ints.String() != "1,2,64" || floats.String() != "1,-2.5,1000" || (OptionalInt{P: &opt}).String() != "-3" {
		t.Errorf("String: %q %q", ints.String(), floats.String())
	}
	for _, bad := range []struct {
		v    flag.Value
		in   string
		want string
	}{
		{&ints, "0", "positive"}, {&ints, "1,,2", "positive"}, {&ints, "x", "positive"},
		{&floats, "1,x", "not a number"}, {OptionalInt{P: &opt}, "1.5", "not an integer"},
	} {
		if err := bad.v.Set(bad.in); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Set(%q): %v, want an error containing %q", bad.in, err, bad.want)
		}
	}
}

func TestNames(t *testing.T) {
	l := Names{"default"}
	for _, c := range []struct {
		in   string
		want []string
	}{{"", nil}, {"a", []string{"a"}}, {" a.lag, b ,c", []string{"a.lag", "b", "c"}}, {"a,,b", []string{"a", "", "b"}}} {
		if err := l.Set(c.in); err != nil || !slices.Equal(l, c.want) {
			t.Errorf("Set(%q) = %q, %v; want %q", c.in, l, err, c.want)
		}
	}
	if l.String() != "a,,b" {
		t.Errorf("String %q", l.String())
	}
}

func TestLabel(t *testing.T) {
	var label *float64
	l := Label{P: &label}
	if l.String() != "" || label != nil {
		t.Fatal("Label set before it was given")
	}
	if err := l.Set(" -3 "); err != nil || label == nil || *label != -3 || l.String() != "-3" {
		t.Errorf("Set(-3): %v, label %v", err, label)
	}
	for _, bad := range []string{"0.5", "zero", "NaN", "Inf", ""} {
		if err := l.Set(bad); err == nil || !strings.Contains(err.Error(), "integer class label") {
			t.Errorf("Set(%q): %v, want a refusal", bad, err)
		}
	}
}

func TestParams(t *testing.T) {
	p := Params{}
	if err := p.Set("w=2, m = 0.5"); err != nil {
		t.Fatal(err)
	}
	if err := p.Set("k=-1e-3"); err != nil {
		t.Fatal(err)
	}
	if p["w"] != 2 || p["m"] != 0.5 || p["k"] != -1e-3 || p.String() != "k=-0.001,m=0.5,w=2" {
		t.Errorf("params %v, String %q", map[string]float64(p), p.String())
	}
	for in, want := range map[string]string{
		"w=3": "given twice", "=1": "NAME=VALUE", "q": "NAME=VALUE", "q=NaN": "finite", "q=Inf": "finite", "q=1x": "finite",
	} {
		if err := p.Set(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Set(%q): %v, want an error containing %q", in, err, want)
		}
	}
}

// FuzzParams checks that any text is either refused or parsed into
// finite values under non-empty names.
func FuzzParams(f *testing.F) {
	for _, s := range []string{"w=2", "a=1,b=-2.5e3", "=", "w=NaN", "x=1,x=2", " w = 0x1p-2 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := Params{}
		if p.Set(s) != nil {
			return
		}
		for k, v := range p {
			if k == "" || math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("Set(%q) kept %q=%v", s, k, v)
			}
		}
	})
}

// FuzzInts checks that any text is refused or parsed into positive
// integers.
func FuzzInts(f *testing.F) {
	for _, s := range []string{"64,64", "1", "0", "-1", "", "1,,2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var l Ints
		if l.Set(s) != nil {
			return
		}
		for _, v := range l {
			if v < 1 {
				t.Errorf("Set(%q) kept %d", s, v)
			}
		}
	})
}
