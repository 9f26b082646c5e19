package series

import (
	"flag"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite examples/snapshots/harmonic.csv")

const exampleCSV = "../../examples/snapshots/harmonic.csv"

// exampleSeries is the series of docs/snapshots.md: 200 fresh particles at
// each of t = 0, 0.5, 1, 1.5, 2 moving from N((1,−2), 0.5²) to N((3,2), 0.5²)
// along least-action paths of the harmonic oscillator with ω = 1.2.
func exampleSeries(t testing.TB) *Series {
	return synth(t, "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", fiveTimes, 200, 1)
}

// TestExampleData keeps examples/snapshots/harmonic.csv in step with the
// generator (to 6 significant digits, as written); -update rewrites it.
func TestExampleData(t *testing.T) {
	ser := exampleSeries(t)
	rows, n := ser.Flatten()
	var b strings.Builder
	b.WriteString("# Synthetic snapshots: harmonic oscillator, omega = 1.2 (see docs/snapshots.md).\n")
	b.WriteString("# Regenerate with: go test ./runtime/series -run TestExampleData -update\n")
	b.WriteString("t,x,y\n")
	for i := 0; i < n; i++ {
		for j := 0; j < 3; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatFloat(rows[i*3+j], 'g', 6, 64))
		}
		b.WriteByte('\n')
	}
	if *update {
		if err := os.WriteFile(exampleCSV, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Load("csv:"+exampleCSV, &LoadSettings{TimeColumn: "t", Columns: "x,y"})
	if err != nil {
		t.Fatalf("%v (run go test ./runtime/series -run TestExampleData -update)", err)
	}
	for k := range ser.Times {
		if got.Times[k] != ser.Times[k] || len(got.Points[k]) != len(ser.Points[k]) {
			t.Fatalf("%s is stale: time %d (run with -update)", exampleCSV, k)
		}
		for i, x := range ser.Points[k] {
			if math.Abs(got.Points[k][i]-x) > 1e-5*(1+math.Abs(x)) {
				t.Fatalf("%s is stale at time %g, value %d: %g, generator %g (run with -update)", exampleCSV, ser.Times[k], i, got.Points[k][i], x)
			}
		}
	}
}
