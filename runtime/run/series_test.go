package run

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/series"
	"github.com/lagc-dev/lagc/runtime/seriesfm"
)

// seriesSpec writes a synthetic kinetic series of 4 times (a header row,
// time in the last column) and returns a spec training on it.
func seriesSpec(t *testing.T, iters int) Spec {
	t.Helper()
	sys, err := eulerlag.Load("k.lag", []byte("L = 0.5*|v|^2"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := sys.Instantiate(2)
	if err != nil {
		t.Fatal(err)
	}
	ser, err := series.Synthesize(ev, []float64{0, 0.5, 1, 2}, 20, series.Normal{Mean: []float64{0, 0}, Std: 1}, series.Normal{Mean: []float64{3, 1}, Std: 0.5}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows, n := ser.Flatten()
	for i := 0; i < n; i++ { // (t, x, y) → (x, y, t)
		r := rows[3*i : 3*i+3]
		r[0], r[1], r[2] = r[1], r[2], r[0]
	}
	path := filepath.Join(t.TempDir(), "s.csv")
	if err := data.WriteCSV(path, rows, n, 3, []string{"x", "y", "day"}); err != nil {
		t.Fatal(err)
	}
	spec := DefaultSpec()
	spec.Snapshots, spec.TimeColumn, spec.Columns, spec.Iters = "csv:"+path, "day", "x,y", iters
	spec.Standardize = true
	return spec
}

// TestSeriesResumeIsExact: a leave-out run on snapshots, stopped at a
// checkpoint and resumed, repeats the straight run bit for bit; its
// checkpoint alone rebuilds it (the Spec records the series).
func TestSeriesResumeIsExact(t *testing.T) {
	spec := seriesSpec(t, 12)
	k := 1
	spec.LeaveOut = &k
	_, set := small(t, "fm", 12)
	straight, err := New(spec, &set, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := straight.Train(nil); err != nil {
		t.Fatal(err)
	}
	ckpt := filepath.Join(t.TempDir(), "m.ckpt")
	spec.Iters = 6
	first, err := New(spec, &set, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Train(&TrainSettings{Checkpoint: ckpt}); err != nil {
		t.Fatal(err)
	}
	resumed, err := Resume(ckpt, 12, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Spec.Snapshots != spec.Snapshots || resumed.Spec.LeaveOut == nil || *resumed.Spec.LeaveOut != 1 || !resumed.Spec.Standardize {
		t.Fatalf("the checkpoint's spec lost the series: %+v", resumed.Spec)
	}
	if err := resumed.Train(nil); err != nil {
		t.Fatal(err)
	}
	a, _ := straight.Method.State()
	b, _ := resumed.Method.State()
	if !bytes.Equal(a, b) || !slices.Equal(straight.Method.Losses(), resumed.Method.Losses()) {
		t.Error("the resumed series run differs from the straight one")
	}
	sc, err := resumed.LeaveOutScore(nil)
	if err != nil || sc == nil || sc.K != 1 || !(sc.W1 > 0) || !(sc.W1Interpolation > 0) {
		t.Errorf("leave-out score %+v, %v", sc, err)
	}
	x, n, ok := resumed.Snapshot(0.5)
	if !ok || n != 20 {
		t.Fatalf("snapshot at 0.5: %d points, observed %v", n, ok)
	}
	res, err := resumed.Push(x, n, 0.5, 0.5, false, nil)
	if err != nil || !slices.Equal(res.X, x) {
		t.Errorf("push from 0.5 to 0.5 is not the identity (%v)", err)
	}
	if _, _, err := resumed.Evaluate(10, nil, false, nil); err == nil {
		t.Error("Evaluate of a series run: no error")
	}
}

func TestSeriesSpecErrors(t *testing.T) {
	zero, last, inner := 0, 3, 2
	cases := []struct {
		name string
		edit func(*Spec)
		want string
		// isArg: wraps seriesfm.ErrLeaveOut, as range errors found once the
		// series is loaded do (Validate's refusals are usage errors anyway).
		isArg bool
	}{
		{"leave out the first", func(s *Spec) { s.LeaveOut = &zero }, "interior", false},
		{"leave out the last", func(s *Spec) { s.LeaveOut = &last }, "interior", true},
		{"method without series", func(s *Spec) { s.Method = "am" }, "does not train on snapshot series", false},
		{"holdout", func(s *Spec) { s.Holdout = 0.2 }, "holdout", false},
		{"leave-out without series", func(s *Spec) { s.Snapshots, s.LeaveOut = "", &inner }, "snapshot series only", false},
		{"time column", func(s *Spec) { s.TimeColumn = "nope" }, "nope", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec := seriesSpec(t, 1)
			c.edit(&spec)
			_, err := New(spec, nil, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if c.isArg != errors.Is(err, seriesfm.ErrLeaveOut) {
				t.Errorf("error %v: wraps ErrLeaveOut %v, want %v", err, !c.isArg, c.isArg)
			}
		})
	}
}
