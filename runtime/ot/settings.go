package ot

import (
	"errors"
	"fmt"
	"math"
)

// Settings holds optional settings for the exact solvers Assign, Plan, W1
// and W2. A nil *Settings means the defaults.
type Settings struct {
	// Verify makes the solver check the optimality certificate of its
	// answer before returning it: dual feasibility u_i + v_j ≤ C_ij on every
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
