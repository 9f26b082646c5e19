package series

import (
	"bytes"
	"math"
	"testing"
)

// FuzzReadCSV: any text and column selection gives a valid series or an
// error, never a panic; a series satisfies New's invariants.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("t,x,y\n0,1,2\n0,2,3\n1,3,4\n1,4,5\n2,5,6\n2,6,7\n"), "t", "x,y")
	f.Add([]byte("0,1\n0,2\n1,3\n1,4\n2,5\n2,6\n"), "0", "")
	f.Add([]byte("a,b\n1,nan\n"), "b", "a")
	f.Add([]byte("# c\nt;x\n"), "-1", "0:")
	f.Add([]byte("\ufefft,x\n0,1\n0,1\n1,1\n1,1\n2,1\n2,1e308\n"), "t", "x,x")
	f.Fuzz(func(t *testing.T, text []byte, timeCol, cols string) {
		ser, err := ReadCSV(bytes.NewReader(text), "fuzz.csv", &LoadSettings{TimeColumn: timeCol, Columns: cols})
		if err != nil {
			return
		}
		if ser.Len() < 3 || ser.D < 1 {
			t.Fatalf("series with %d times, dimension %d", ser.Len(), ser.D)
		}
		for k := range ser.Times {
			if ser.Count(k) < 2 || (k > 0 && !(ser.Times[k] > ser.Times[k-1])) {
				t.Fatalf("time %d: %d points, times %v", k, ser.Count(k), ser.Times)
			}
			for _, x := range ser.Points[k] {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("non-finite value %g", x)
				}
			}
		}
	})
}
