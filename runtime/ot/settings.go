package ot

import (
	"errors"
	"fmt"
	"math"
)

// Settings holds optional settings for the exact solvers Assign, Plan, W1
// and W2. A nil *Settings means the defaults.
type Settings struct {
	// Verify makes Assign check the
	// optimality certificate of its answer before returning it: dual feasibility u_i + v_j ≤ C_ij on every
	// entry and equality on the entries used, to a relative tolerance of
	// 1e-9 of the cost scale. It costs one extra pass over the cost matrix.
	// A violation is returned as an error wrapping ErrNotOptimal.
	Verify bool

	// MassTol is the relative tolerance Plan accepts between the total
	// masses of its two weight vectors. Zero means 1e-9.
	MassTol float64
}

const (
	defaultMassTol = 1e-9
	// certTol is the relative slack allowed in an optimality certificate:
	// potentials are sums of O(n) rounded differences of costs.
	certTol = 1e-9
)

func (s *Settings) verify() bool { return s != nil && s.Verify }

func (s *Settings) massTol() float64 {
	if s == nil || s.MassTol <= 0 {
		return defaultMassTol
	}
	return s.MassTol
}

var (
	// ErrInfeasible is returned (wrapped) when the +Inf entries of a cost
	// matrix forbid every complete assignment or plan.
	ErrInfeasible = errors.New("ot: no assignment avoids the forbidden (+Inf) costs")

	// ErrNotOptimal is returned (wrapped) when Settings.Verify finds that a
	// solution's optimality certificate fails, which would mean costs so
	// large or so badly scaled that rounding dominates.
	ErrNotOptimal = errors.New("ot: optimality certificate failed")

	// ErrNotConverged is returned (wrapped) by Sinkhorn when the marginal
	// violation is still above the tolerance after the iteration cap.
	ErrNotConverged = errors.New("ot: Sinkhorn did not converge")
)

// checkCost validates a cost matrix of n×m entries. It rejects NaN and -Inf
// (meaningless or unbounded problems) and returns the smallest and largest
// finite entries, and whether any +Inf is present. A row or column without
// any finite entry makes the problem infeasible.
func checkCost(cost []float64, n, m int) (lo, hi float64, anyInf bool, err error) {
	if n <= 0 || m <= 0 {
		return 0, 0, false, fmt.Errorf("ot: empty problem (%d×%d): need at least one row and one column", n, m)
	}
	if n > math.MaxInt/m || len(cost) != n*m {
		return 0, 0, false, fmt.Errorf("ot: cost has %d entries, want %d×%d = %d (row-major)", len(cost), n, m, n*m)
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := range n {
		row := cost[i*m : i*m+m]
		// The common case, all finite, in one branch-free pass: c·0 is 0
		// for finite c and NaN for NaN and ±Inf, so probe stays 0 exactly
		// when every entry is finite.
		rlo, rhi, probe := rowRange(row)
		if probe == 0 {
			lo, hi = min(lo, rlo), max(hi, rhi)
			continue
		}
		rowFinite := false
		for j, c := range row {
			switch {
			case c != c:
				return 0, 0, false, fmt.Errorf("ot: cost[%d, %d] is NaN", i, j)
			case math.IsInf(c, -1):
				return 0, 0, false, fmt.Errorf("ot: cost[%d, %d] is -Inf, which makes the problem unbounded; use a large finite negative value", i, j)
			case math.IsInf(c, 1):
				anyInf = true
			default:
				rowFinite = true
				lo = min(lo, c)
				hi = max(hi, c)
			}
		}
		if !rowFinite {
			return 0, 0, true, fmt.Errorf("%w: every cost in row %d is +Inf", ErrInfeasible, i)
		}
	}
	if anyInf {
		for j := range m {
			finite := false
			for i := 0; i < n && !finite; i++ {
				finite = !math.IsInf(cost[i*m+j], 1)
			}
			if !finite {
				return 0, 0, true, fmt.Errorf("%w: every cost in column %d is +Inf", ErrInfeasible, j)
			}
		}
	}
	// Reduced costs are differences of costs and potentials; their range
	// must be representable, with room for sums along augmenting paths.
	if span := (hi - lo) * float64(n+m); math.IsInf(span, 0) || math.Abs(lo) > 1e300 || math.Abs(hi) > 1e300 {
		return 0, 0, false, fmt.Errorf("ot: cost range [%g, %g] too wide to solve in float64; rescale the costs", lo, hi)
	}
	return lo, hi, anyInf, nil
}

// rowRange returns the least and greatest entries of row and a probe that
// is zero exactly when every entry is finite (c·0 is NaN for NaN and ±Inf).
// Four independent accumulators keep the pipeline full. The least and
// greatest are meaningful only when the probe is zero.
func rowRange(row []float64) (lo, hi, probe float64) {
	if n8 := len(row) &^ 7; useAVX2 && n8 > 0 {
		var out [12]float64
		rangeAVX2(&row[0], n8, &out)
		lo = min(min(out[0], out[1]), min(out[2], out[3]))
		hi = max(max(out[4], out[5]), max(out[6], out[7]))
		probe = out[8] + out[9] + out[10] + out[11]
		for _, c := range row[n8:] {
			lo, hi = minFinite(lo, c), maxFinite(hi, c)
			probe += c * 0
		}
		return lo, hi, probe
	}
	inf := math.Inf(1)
	lo0, lo1, lo2, lo3 := inf, inf, inf, inf
	hi0, hi1, hi2, hi3 := -inf, -inf, -inf, -inf
	var p0, p1 float64
	j := 0
	for ; j+4 <= len(row); j += 4 {
		r := (*[4]float64)(row[j : j+4])
		lo0, hi0 = minFinite(lo0, r[0]), maxFinite(hi0, r[0])
		lo1, hi1 = minFinite(lo1, r[1]), maxFinite(hi1, r[1])
		lo2, hi2 = minFinite(lo2, r[2]), maxFinite(hi2, r[2])
		lo3, hi3 = minFinite(lo3, r[3]), maxFinite(hi3, r[3])
		p0 += r[0]*0 + r[1]*0
		p1 += r[2]*0 + r[3]*0
	}
	for ; j < len(row); j++ {
		lo0, hi0 = minFinite(lo0, row[j]), maxFinite(hi0, row[j])
		p0 += row[j] * 0
	}
	lo = minFinite(minFinite(lo0, lo1), minFinite(lo2, lo3))
	hi = maxFinite(maxFinite(hi0, hi1), maxFinite(hi2, hi3))
	return lo, hi, p0 + p1
}

// minFinite and maxFinite are min and max without the NaN and signed-zero
// care of the builtins, which checkCost does not need: a single compare the
// compiler turns into a conditional move.
func minFinite(a, b float64) float64 {
	if b < a {
		return b
	}
	return a
}

func maxFinite(a, b float64) float64 {
	if b > a {
		return b
	}
	return a
}
