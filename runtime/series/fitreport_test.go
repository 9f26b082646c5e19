package series

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestParseBound(t *testing.T) {
	for _, c := range []struct {
		in     string
		name   string
		lo, hi float64
		bad    string
	}{
		{in: "w=0:3", name: "w", lo: 0, hi: 3},
		{in: " m = -Inf : 2.5", name: "m", lo: math.Inf(-1), hi: 2.5},
		{in: "w=3:0", bad: "LO ≤ HI"}, {in: "w=NaN:1", bad: "LO ≤ HI"}, {in: "w=1", bad: "NAME=LO:HI"}, {in: "=0:1", bad: "NAME=LO:HI"},
	} {
		name, lo, hi, err := ParseBound(c.in)
		if c.bad != "" {
			if err == nil || !strings.Contains(err.Error(), c.bad) {
				t.Errorf("ParseBound(%q): %v, want an error containing %q", c.in, err, c.bad)
			}
			continue
		}
		if err != nil || name != c.name || lo != c.lo || hi != c.hi {
			t.Errorf("ParseBound(%q) = %q, %g, %g, %v", c.in, name, lo, hi, err)
		}
	}
}

func TestParseProfile(t *testing.T) {
	name, xs, err := ParseProfile("w=0.8:1.6:5")
	want := []float64{0.8, 1, 1.2, 1.4, 1.6}
	if err != nil || name != "w" || len(xs) != len(want) {
		t.Fatalf("got %q %v %v", name, xs, err)
	}
	for i := range want {
		if math.Abs(xs[i]-want[i]) > 1e-15 {
			t.Errorf("value %d: %v, want %v", i, xs[i], want[i])
		}
	}
	if _, xs, err := ParseProfile("w=2:2:1"); err != nil || !slices.Equal(xs, []float64{2}) {
		t.Errorf("one step: %v %v", xs, err)
	}
	for _, bad := range []string{"w=1:0:3", "w=0:Inf:3", "w=0:1:0", "w=0:1:10001", "w=0:1", "w"} {
		if _, _, err := ParseProfile(bad); err == nil {
			t.Errorf("ParseProfile(%q) accepted", bad)
		}
	}
}

func TestFitBounds(t *testing.T) {
	sys := load(t, "param a = 1 in [0, 2]\nparam b = 1\nL = 0.5*|v|^2 - 0.5*(a^2*x[0]^2 + b^2*x[1]^2)")
	lo, hi := FitBounds(sys, []string{"a", "b"}, nil)
	if lo[0] != 0 || hi[0] != 2 || !math.IsInf(lo[1], -1) || !math.IsInf(hi[1], 1) {
		t.Errorf("declared bounds: %v %v", lo, hi)
	}
	lo, hi = FitBounds(sys, []string{"b", "a"}, map[string][2]float64{"a": {0.5, 1.5}})
	if lo[1] != 0.5 || hi[1] != 1.5 || !math.IsInf(lo[0], -1) {
		t.Errorf("overridden bounds: %v %v", lo, hi)
	}
}

// TestFitReport: the JSON has null for unidentifiable parameters, the text
// one line per parameter, and the profile's minimum lies at the truth of
// synthetic snapshots.
func TestFitReport(t *testing.T) {
	res := &FitResult{Names: []string{"w", "m"}, Values: []float64{1.2, 1}, Initial: []float64{0.5, 1}, Loss: 0.01, InitialLoss: 0.3, Iterations: 7, Evaluations: 20, Unidentifiable: []string{"m"}}
	b, err := json.Marshal(res.Report(1.5))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"params":{"m":null,"w":1.2},"loss":0.01,"initial_loss":0.3,"iterations":7,"seconds":1.5}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	if got := res.Identified(); len(got) != 1 || got["w"] != 1.2 {
		t.Errorf("Identified %v", got)
	}
	var text bytes.Buffer
	if err := res.WriteTable(&text, 1.5); err != nil {
		t.Fatal(err)
	}
	if s := text.String(); !strings.Contains(s, "w = 1.2  (initial 0.5)\n") || !strings.Contains(s, "m = 1  (initial 1)  (not identifiable: kept)") || !strings.Contains(s, "7 iterations, 20 evaluations") {
		t.Errorf("table:\n%s", s)
	}

	ser := synth(t, "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", fiveTimes, 150, 1)
	sys := load(t, harmonicSrc)
	if err := CheckDim("h.lag", sys, ser); err != nil {
		t.Fatal(err)
	}
	_, xs, _ := ParseProfile("w=0.6:1.8:7")
	prof, err := FitProfile(sys, ser, nil, nil, "w", xs, 0)
	if err != nil {
		t.Fatal(err)
	}
	best := slices.Index(prof.Loss, slices.Min(prof.Loss))
	if math.Abs(prof.Values[best]-1.2) > 1e-9 {
		t.Errorf("profile %v over %v: minimum at %g, want the truth 1.2", prof.Loss, prof.Values, prof.Values[best])
	}
	var table bytes.Buffer
	if err := prof.WriteTable(&table); err != nil || strings.Count(table.String(), "\n") != 8 {
		t.Errorf("profile table (%v):\n%s", err, table.String())
	}
}

func TestCheckDim(t *testing.T) {
	ser := synth(t, harmonicSrc, fiveTimes, 10, 1)
	if err := CheckDim("f.lag", load(t, "L = 0.5*|v|^2 - x[2]^2"), ser); err == nil || !strings.Contains(err.Error(), "dimension ≥ 3") {
		t.Errorf("minimum dimension: %v", err)
	}
}
