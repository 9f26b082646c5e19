package sizelimit

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestExactOT(t *testing.T) {
	cases := []struct {
		n, m  int
		ok    bool
		bytes int64
	}{
		{2, 2, true, 60},
		{MaxExactOT, MaxExactOT, true, 15 * MaxExactOT * MaxExactOT},
		{MaxExactOT + 1, 3, false, 15 * (MaxExactOT + 1) * 3},
		{100000, 100000, false, 15e10},
		{math.MaxInt, 2, false, math.MaxInt64},
	}
	for _, c := range cases {
		if got := ExactOTBytes(c.n, c.m); got != c.bytes {
			t.Errorf("ExactOTBytes(%d, %d) = %d, want %d", c.n, c.m, got, c.bytes)
		}
		err := ExactOT("evaluation samples", c.n, c.m, "evaluate on fewer samples")
		if (err == nil) != c.ok {
			t.Errorf("ExactOT(%d, %d) = %v, want ok = %v", c.n, c.m, err, c.ok)
		}
		var se *Error
		if err != nil && (!errors.As(err, &se) || se.Max != MaxExactOT || !strings.Contains(err.Error(), "evaluate on fewer samples")) {
			t.Errorf("ExactOT(%d, %d) = %v, want the limit and the alternative", c.n, c.m, err)
		}
	}
	if got := ExactOT("points", 100000, 100000, "x").Error(); !strings.Contains(got, "150 GB") || !strings.Contains(got, "16384") {
		t.Errorf("message %q does not say 150 GB and the limit 16384", got)
	}
}

func TestFloats(t *testing.T) {
	// 21 trajectory times × n × 2 dims: the largest n under 4 GiB.
	maxN := int(Budget / (8 * 21 * 2))
	if err := Floats("samples", maxN, []int{21, maxN, 2}, "x"); err != nil {
		t.Errorf("at the limit: %v", err)
	}
	err := Floats("samples", maxN+1, []int{21, maxN + 1, 2}, "fewer")
	var se *Error
	if !errors.As(err, &se) || se.Max != maxN || se.Bytes != 8*21*2*int64(maxN+1) {
		t.Errorf("above the limit: %+v, want Max %d", err, maxN)
	}
	err = Floats("samples", math.MaxInt/2, []int{21, math.MaxInt / 2, 2}, "fewer")
	if !errors.As(err, &se) || se.Bytes != math.MaxInt64 || se.Max != maxN {
		t.Errorf("overflowing size: %+v, want Max %d and an overflowed byte count", err, maxN)
	}
}

func TestHuman(t *testing.T) {
	for b, want := range map[int64]string{12: "12 B", 2048: "2.05 kB", 8e10: "80 GB", 5e6: "5 MB", math.MaxInt64: "more than 9 EB"} {
		if got := Human(b); got != want {
			t.Errorf("Human(%d) = %q, want %q", b, got, want)
		}
	}
}

func TestTraining(t *testing.T) {
	ok := Training{Dim: 2, Batch: 256, Pool: 64, EvalN: 2048, Hidden: []int{64, 64, 64}, ExactOT: true}
	if err := ok.Check(); err != nil {
		t.Fatalf("the defaults: %v", err)
	}
	cases := []struct {
		name   string
		change func(*Training)
		want   string
	}{
		{"OT batch", func(t *Training) { t.Batch = MaxExactOT + 1 }, "batch size: "},
		{"independent batch fits", func(t *Training) { t.Batch, t.ExactOT, t.Pool = MaxExactOT+1, false, 1 }, ""},
		{"wide layer", func(t *Training) { t.Hidden = []int{1e8} }, "batch size and hidden layer widths: "},
		{"pool", func(t *Training) { t.Pool = 1e8 }, "pool of path batches: "},
		{"evaluation", func(t *Training) { t.EvalN = 1e5 }, "final evaluation: "},
	}
	for _, c := range cases {
		tr := ok
		c.change(&tr)
		err := tr.Check()
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		var se *Error
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || !errors.As(err, &se) {
			t.Errorf("%s: %v, want an *Error starting %q", c.name, err, c.want)
		}
	}
}
