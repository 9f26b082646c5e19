package lagrangian_test

import (
	"math"
	"testing"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// harmonic is a hand-written System used to check that the interface is
// implementable without allocation.
type harmonic struct{ w float64 }

func (h harmonic) Dim() int { return 2 }
func (h harmonic) L(t float64, x, v []float64) float64 {
	var s float64
	for i := range x {
		s += 0.5*v[i]*v[i] - 0.5*h.w*h.w*x[i]*x[i]
	}
	return s
}
func (h harmonic) Accel(dst []float64, t float64, x, v []float64) {
	for i := range x {
		dst[i] = -h.w * h.w * x[i]
	}
}
func (h harmonic) Clone() lagrangian.System { return h }

func TestSystemAccelAllocFree(t *testing.T) {
	var s lagrangian.System = harmonic{w: 2}
	x, v, a := []float64{1, -1}, []float64{0, 0}, make([]float64, 2)
	allocs := testing.AllocsPerRun(100, func() { s.Accel(a, 0, x, v) })
	if allocs != 0 {
		t.Fatalf("Accel allocates %v times per call", allocs)
	}
	if math.Abs(a[0]+4) > 0 || math.Abs(a[1]-4) > 0 {
		t.Fatalf("a = %v, want [-4 4]", a)
	}
}
