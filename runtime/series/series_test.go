package series

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

func load(t testing.TB, src string) *eulerlag.System {
	t.Helper()
	sys, err := eulerlag.Load("test.lag", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	return sys
}

func inst(t testing.TB, sys *eulerlag.System, d int) lagrangian.System {
	t.Helper()
	ev, err := sys.Instantiate(d)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

var fiveTimes = []float64{0, 0.5, 1, 1.5, 2}

// synth draws the test series: n particles per time moving from
// N((1,−2), 0.5²) to N((3,2), 0.5²) along least-action paths of src.
func synth(t testing.TB, src string, times []float64, n int, seed uint64) *Series {
	t.Helper()
	ev := inst(t, load(t, src), 2)
	ser, err := Synthesize(ev, times, n, Normal{Mean: []float64{1, -2}, Std: 0.5}, Normal{Mean: []float64{3, 2}, Std: 0.5}, seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ser
}

func TestNewErrors(t *testing.T) {
	two := []float64{0, 0, 1, 1}
	cases := []struct {
		times  []float64
		points [][]float64
		want   string
	}{
		{[]float64{0, 1}, [][]float64{two, two}, "at least 3"},
		{[]float64{0, 1, 2}, [][]float64{two, {0, 0}, two}, "at least 2"},
		{[]float64{0, 1, 2}, [][]float64{two, {0, math.NaN(), 1, 1}, two}, "finite"},
		{[]float64{0, 2, 1}, [][]float64{two, two, two}, "increase"},
		{[]float64{0, math.Inf(1), 1}, [][]float64{two, two, two}, "finite"},
	}
	for _, c := range cases {
		_, err := New(c.times, c.points, 2)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%v): error %v, want one containing %q", c.times, err, c.want)
		}
	}
}

func TestLoadCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.csv")
	body := "cell,x,y,day\n" +
		"1,0.5,1,0\n2,0.25,2,0\n3,1,3,2.5\n4,2,4,2.5\n5,3,5,2.5\n6,4,6,7\n7,5,7,7\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sel := range []LoadSettings{{TimeColumn: "day", Columns: "x,y"}, {TimeColumn: "3", Columns: "1:3"}, {TimeColumn: "-1", Columns: "x,2"}} {
		ser, err := Load("csv:"+path, &sel)
		if err != nil {
			t.Fatalf("%+v: %v", sel, err)
		}
		if ser.Len() != 3 || ser.D != 2 || ser.Count(1) != 3 || ser.Times[2] != 7 {
			t.Fatalf("%+v: got times %v, counts %d %d %d", sel, ser.Times, ser.Count(0), ser.Count(1), ser.Count(2))
		}
		if ser.Points[1][2] != 2 || ser.Points[1][3] != 4 {
			t.Errorf("%+v: time 2.5's second point is %v, want [2 4]", sel, ser.Points[1][2:4])
		}
	}
	if _, err := Load("csv:"+path, &LoadSettings{TimeColumn: "hour"}); err == nil || !strings.Contains(err.Error(), "neither a column") {
		t.Errorf("unknown time column: %v", err)
	}
	bad := filepath.Join(dir, "b.csv")
	os.WriteFile(bad, []byte("0,1\n0,2\n1,3\n1,4\n"), 0o644)
	if _, err := Load(bad, nil); err == nil || !strings.Contains(err.Error(), "at least 3") {
		t.Errorf("two times: %v", err)
	}
}

// TestBridgeUnequalCounts: with 5 and 3 points the coupling is a plan whose
// marginals are uniform, and at the ends the pairs sit on the snapshots.
func TestBridgeUnequalCounts(t *testing.T) {
	for _, src := range []string{"param w = 1.1\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", "L = 0.5*|v|^2 + 0.3*exp(-|x|^2)"} {
		ev := inst(t, load(t, src), 2)
		a := []float64{0, 0, 1, 0, 0, 1, 1, 1, 0.5, 0.5}
		b := []float64{3, 0, 3, 1, 4, 0.5}
		br, err := Couple(ev, a, 5, b, 3, 1, 2.5, nil)
		if err != nil {
			t.Fatal(err)
		}
		rows, cols := make([]float64, 5), make([]float64, 3)
		for f := range br.Mass {
			rows[br.From[f]] += br.Mass[f]
			cols[br.To[f]] += br.Mass[f]
		}
		for i, r := range rows {
			if math.Abs(r-0.2) > 1e-12 {
				t.Errorf("row %d mass %g", i, r)
			}
		}
		for j, c := range cols {
			if math.Abs(c-1.0/3) > 1e-12 {
				t.Errorf("column %d mass %g", j, c)
			}
		}
		x := make([]float64, br.Pairs()*2)
		if err := br.At(x, nil, 2.5); err != nil {
			t.Fatal(err)
		}
		for f := range br.Mass {
			j := br.To[f]
			if math.Hypot(x[2*f]-b[2*j], x[2*f+1]-b[2*j+1]) > 1e-8 {
				t.Errorf("%s: pair %d ends at %v, want %v", src, f, x[2*f:2*f+2], b[2*j:2*j+2])
			}
		}
	}
}

// TestSensitivityHarmonic checks the sensitivity equations against the
// derivative in ω of x(t) = (x0 sin ω(tb−t) + x1 sin ω(t−ta))/sin ωT.
func TestSensitivityHarmonic(t *testing.T) {
	const w = 1.4
	sys := load(t, "param w = 1.4\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2")
	ev, err := sys.Evaluator(2)
	if err != nil {
		t.Fatal(err)
	}
	ap, err := ev.AccelParams([]string{"w"})
	if err != nil {
		t.Fatal(err)
	}
	x0, x1 := []float64{0.4, -1}, []float64{1.5, 0.3}
	ta, tk, tb := 0.5, 0.9, 1.75
	path := func(w, tt float64, i int) float64 {
		return (x0[i]*math.Sin(w*(tb-tt)) + x1[i]*math.Sin(w*(tt-ta))) / math.Sin(w*(tb-ta))
	}
	at := func(x, v []float64, tt float64) error {
		const h = 1e-6
		for i := range x {
			x[i] = path(w, tt, i)
			v[i] = (path(w, tt+h, i) - path(w, tt-h, i)) / (2 * h)
		}
		return nil
	}
	out := make([]float64, 2)
	if err := sensitivity(out, ev, ap, at, ta, tk, tb); err != nil {
		t.Fatal(err)
	}
	for i := range out {
		const h = 1e-5
		want := (path(w+h, tk, i) - path(w-h, tk, i)) / (2 * h)
		if math.Abs(out[i]-want) > 1e-6 {
			t.Errorf("∂x_%d/∂ω = %g, want %g", i, out[i], want)
		}
	}
}

// TestFitGradient compares the gradient of the whole loss with central
// differences, for a closed form with two parameters and for a numeric
// Lagrangian (sensitivity equations).
func TestFitGradient(t *testing.T) {
	cases := []struct {
		src   string
		names []string
		theta []float64
		n     int
	}{
		{"param a = 1\nparam b = 0.5\nL = 0.5*|v|^2 - 0.5*(a^2*x[0]^2 + b^2*x[1]^2)", []string{"a", "b"}, []float64{0.9, 1.3}, 60},
		{"param A = 1\nparam s = 1\nL = 0.5*|v|^2 + A*exp(-|x|^2/s^2)", []string{"A", "s"}, []float64{0.7, 1.2}, 12},
	}
	for ci, c := range cases {
		ser := synth(t, "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", fiveTimes, c.n, 7)
		if ci == 0 {
			// Unequal counts: plans instead of permutations.
			ser.Points[1] = ser.Points[1][:2*(c.n-7)]
			ser.Points[2] = ser.Points[2][:2*(c.n-11)]
		}
		obj, err := NewObjective(load(t, c.src), ser, c.names, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		g := make([]float64, len(c.names))
		if _, err := obj.Loss(g, c.theta); err != nil {
			t.Fatal(err)
		}
		for p := range c.names {
			const h = 1e-5
			th := append([]float64(nil), c.theta...)
			th[p] += h
			fp, err := obj.Loss(nil, th)
			if err != nil {
				t.Fatal(err)
			}
			th[p] -= 2 * h
			fm, _ := obj.Loss(nil, th)
			fd := (fp - fm) / (2 * h)
			if math.Abs(g[p]-fd) > 1e-4*(1e-3+math.Abs(fd)) {
				t.Errorf("%s: ∂loss/∂%s = %g, finite differences %g", c.src, c.names[p], g[p], fd)
			}
		}
	}
}

func TestTooManyPoints(t *testing.T) {
	if err := checkPairs(1<<14, 1<<14); err == nil || !strings.Contains(err.Error(), "subsample") {
		t.Errorf("2¹⁴ × 2¹⁴ points: %v", err)
	}
	if err := checkPairs(4096, 4096); err != nil {
		t.Errorf("4096 × 4096 points: %v", err)
	}
}

func TestLoadNPY(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.npy")
	rows := []float64{
		0, 1, 2, 0, 3, 4,
		1, 5, 6, 1, 7, 8, 1, 9, 10,
		2, 11, 12, 2, 13, 14,
	}
	if err := data.WriteNPY(path, rows, 7, 3); err != nil {
		t.Fatal(err)
	}
	ser, err := Load("npy:"+path, &LoadSettings{TimeColumn: "0", Columns: "2,1"})
	if err != nil {
		t.Fatal(err)
	}
	if ser.Len() != 3 || ser.Count(1) != 3 || ser.Points[1][0] != 6 || ser.Points[1][1] != 5 {
		t.Errorf("times %v, time 1: %v", ser.Times, ser.Points[1])
	}
	if _, err := Load("npy:"+path, &LoadSettings{TimeColumn: "t"}); err == nil {
		t.Errorf("a column name in a .npy file: want an error")
	}
}
