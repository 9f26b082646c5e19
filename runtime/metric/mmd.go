package metric

import (
	"fmt"
	"math"
	"slices"
)

// MMDSettings are the options of MMD2. The zero value (or nil) gives the
// unbiased estimate with the median-heuristic bandwidth.
type MMDSettings struct {
	// Bandwidth is h in the kernel k(a, b) = exp(−|a − b|²/(2h²)).
	// 0 means MedianBandwidth of the two sets.
	Bandwidth float64
	// Biased selects the V-statistic, which keeps the i = j terms: it is
	// never negative but overestimates MMD² by O(1/n). The default is the
	// unbiased U-statistic, which can be slightly negative when the two
	// distributions are equal.
	Biased bool
}

// MMD2 returns the squared maximum mean discrepancy between the n points x
// and the m points y in d dimensions, with a Gaussian kernel:
//
//	MMD² = E k(X, X') + E k(Y, Y') − 2 E k(X, Y)
//
// estimated, by default, without bias as
//
//	1/(n(n−1)) Σ_{i≠j} k(xᵢ, xⱼ) + 1/(m(m−1)) Σ_{i≠j} k(yᵢ, yⱼ) − 2/(nm) Σᵢⱼ k(xᵢ, yⱼ).
//
// It costs O((n + m)² d) time and O(1) memory beyond the median heuristic.
func MMD2(x, y []float64, n, m, d int, s *MMDSettings) (float64, error) {
	if s == nil {
		s = &MMDSettings{}
	}
	if err := checkSets(x, y, n, m, d); err != nil {
		return 0, err
	}
	if !s.Biased && (n < 2 || m < 2) {
		return 0, fmt.Errorf("mmd: the unbiased estimate needs at least 2 points in each set, have %d and %d; use the biased one", n, m)
	}
	h := s.Bandwidth
	if h == 0 {
		h = MedianBandwidth(x, y, n, m, d)
	}
	if !(h > 0) || math.IsInf(h, 0) {
		return 0, fmt.Errorf("mmd: bandwidth %v must be positive and finite (or 0 for the median heuristic)", s.Bandwidth)
	}
	gamma := 1 / (2 * h * h)
	sxx := pairSum(x, n, d, gamma)
	syy := pairSum(y, m, d, gamma)
	var sxy float64
	for i := 0; i < n; i++ {
		a := x[i*d : (i+1)*d]
		for j := 0; j < m; j++ {
			sxy += math.Exp(-gamma * sqDist(a, y[j*d:(j+1)*d]))
		}
	}
	fn, fm := float64(n), float64(m)
	if s.Biased {
		// k(a, a) = 1 on the diagonals.
		return (fn+2*sxx)/(fn*fn) + (fm+2*syy)/(fm*fm) - 2*sxy/(fn*fm), nil
	}
	return 2*sxx/(fn*(fn-1)) + 2*syy/(fm*(fm-1)) - 2*sxy/(fn*fm), nil
}

// pairSum returns Σ_{i<j} k(xᵢ, xⱼ).
func pairSum(x []float64, n, d int, gamma float64) float64 {
	var sum float64
	for i := 0; i < n; i++ {
		a := x[i*d : (i+1)*d]
		for j := i + 1; j < n; j++ {
			sum += math.Exp(-gamma * sqDist(a, x[j*d:(j+1)*d]))
		}
	}
	return sum
}

func sqDist(a, b []float64) float64 {
	var s float64
	for k, v := range a {
		r := v - b[k]
		s += r * r
	}
	return s
}

// medianSubset caps the points per set used by MedianBandwidth: the
// median of ~500k distances is as good a bandwidth as that of millions, and
// the cost stays below that of the MMD itself.
const medianSubset = 512

// MedianBandwidth returns the median heuristic for the kernel bandwidth:
// the median Euclidean distance between distinct points of the pooled set
// x ∪ y (Gretton et al., 2012). Sets larger than 512 points are thinned to
// 512 evenly strided rows each, deterministically, so that ordered data
// (moons come arc by arc) is still covered. If the median is 0 (most points
// coincide) it falls back to the mean distance, and to 1 if all points are
// equal.
func MedianBandwidth(x, y []float64, n, m, d int) float64 {
	pts := make([][]float64, 0, min(n, medianSubset)+min(m, medianSubset))
	pts = appendStrided(pts, x, n, d)
	pts = appendStrided(pts, y, m, d)
	if len(pts) < 2 {
		return 1
	}
	dist := make([]float64, 0, len(pts)*(len(pts)-1)/2)
	var sum float64
	for i, a := range pts {
		for _, b := range pts[i+1:] {
			r := math.Sqrt(sqDist(a, b))
			dist = append(dist, r)
			sum += r
		}
	}
	slices.Sort(dist)
	k := len(dist)
	med := dist[k/2]
	if k%2 == 0 {
		med = (dist[k/2-1] + dist[k/2]) / 2
	}
	switch {
	case med > 0:
		return med
	case sum > 0:
		return sum / float64(k)
	}
	return 1
}

// appendStrided appends up to medianSubset evenly spaced rows of x.
func appendStrided(pts [][]float64, x []float64, n, d int) [][]float64 {
	k := min(n, medianSubset)
	for i := 0; i < k; i++ {
		r := i * n / k
		pts = append(pts, x[r*d:(r+1)*d])
	}
	return pts
}

// checkSets validates the shapes and values of two point sets.
func checkSets(x, y []float64, n, m, d int) error {
	if n < 1 || m < 1 || d < 1 {
		return fmt.Errorf("mmd: sets of %d and %d points in %d dimensions: need at least one point and one dimension", n, m, d)
	}
	for _, set := range []struct {
		name string
		v    []float64
		rows int
	}{{"x", x, n}, {"y", y, m}} {
		if len(set.v) < set.rows*d {
			return fmt.Errorf("mmd: %s has %d values, too few for %d points in %d dimensions", set.name, len(set.v), set.rows, d)
		}
		for i, v := range set.v[:set.rows*d] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("mmd: %s point %d coordinate %d is %v; the samples have diverged", set.name, i/d, i%d, v)
			}
		}
	}
	return nil
}
