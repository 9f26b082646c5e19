package run

import (
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/data"
)

// MaxMagnitude bounds the coordinates of file data a run trains on:
// squared distances between points (transport costs, kernels, variances)
// must not overflow float64, whose largest value's square root is about
// 1.3e154. Above it, exact OT would find every cost infinite.
const MaxMagnitude = 1e150

// checkMagnitude refuses data with a coordinate above MaxMagnitude (not
// a sampler's fresh draws: only tables are read from files).
func checkMagnitude(s data.Sampler) error {
	tab, ok := s.(*data.Table)
	if !ok {
		return nil
	}
	for i, v := range tab.X {
		if math.Abs(v) > MaxMagnitude {
			return fmt.Errorf("%s: row %d, column %d is %v, above %g in magnitude, where squared distances overflow float64; rescale the data (standardizing cannot: its variance overflows too)",
				tab.Origin, i/tab.D, i%tab.D, v, MaxMagnitude)
		}
	}
	return nil
}
