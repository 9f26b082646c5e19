package eulerlag

import (
	"math"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/dsl"
)

// TestParamBounds: the bounds a file declares reach the System's Params,
// absent bounds are infinite, and an override outside them is refused with
// the bounds named.
func TestParamBounds(t *testing.T) {
	src := []byte("param w = 0.5 in [0, 3]\nparam k = 2 in [-1, inf]\nparam m = 1\nL = 0.5*m*|v|^2 - 0.5*w^2*k*|x|^2\n")
	sys, err := Load("b.lag", src, nil)
	if err != nil {
		t.Fatal(dsl.Detail(err))
	}
	want := []Param{
		{Name: "w", Value: 0.5, Lower: 0, Upper: 3},
		{Name: "k", Value: 2, Lower: -1, Upper: math.Inf(1)},
		{Name: "m", Value: 1, Lower: math.Inf(-1), Upper: math.Inf(1)},
	}
	if len(sys.Params) != len(want) {
		t.Fatalf("params %+v, want %+v", sys.Params, want)
	}
	for i, p := range sys.Params {
		if p != want[i] {
			t.Errorf("param %d = %+v, want %+v", i, p, want[i])
		}
	}
	if _, err := Load("b.lag", src, map[string]float64{"w": 2.5}); err != nil {
		t.Errorf("w = 2.5 within [0, 3]: %v", err)
	}
	_, err = Load("b.lag", src, map[string]float64{"w": 5})
	if err == nil || !strings.Contains(err.Error(), "outside its bounds [0, 3]") {
		t.Errorf("w = 5 outside [0, 3]: error %v, want one naming the bounds", err)
	}
}
