package coupling

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/lagc-dev/lagc/runtime/ot"
)

// Entropic draws index pairs from an entropic optimal-transport plan. The
// zero value is not usable; set Epsilon. It keeps its buffers between
// calls and is not safe for concurrent use.
type Entropic struct {
	// Epsilon is the entropic regularisation ε > 0, in the units of the
	// cost.
	Epsilon float64
	// Replace draws with replacement (torchcfm's default) when true, and
	// distinct cells of the plan when false.
	Replace bool
	// Sinkhorn tunes the solver; nil means DefaultSinkhorn.
	Sinkhorn *ot.SinkhornSettings
	// MaxMarginalError is the largest marginal violation (relative to
	// the total mass, ot.SinkhornResult.MarginalError) accepted from a
	// plan whose iterations stopped before the solver's tolerance: draws
	// need a plan, not 1e-6 marginals. 0 means 1e-3.
	MaxMarginalError float64

	plan []float64
	keys []cellKey
}

// DefaultSinkhorn are the solver settings of Pairs: a tolerance and an
// iteration cap suited to a plan solved every training iteration (at small
// ε with near-ties the default ot settings can take 10⁵ iterations).
var DefaultSinkhorn = ot.SinkhornSettings{Tol: 1e-4, MaxIter: 2000}

type cellKey struct {
	key  float64
	cell int
}

// Pairs solves the entropic problem on the n×m cost matrix (row-major) and
// writes k pairs drawn from its plan to rows and cols. It returns the
// Sinkhorn result. A plan whose marginals are off by more than
// MaxMarginalError is an error (raise ε).
func (e *Entropic) Pairs(rows, cols []int, cost []float64, n, m int, rng *rand.Rand) (ot.SinkhornResult, error) {
	k := len(rows)
	if len(cols) != k {
		return ot.SinkhornResult{}, fmt.Errorf("coupling: %d row and %d column slots; want the same number", len(rows), len(cols))
	}
	if !(e.Epsilon > 0) || math.IsInf(e.Epsilon, 0) {
		return ot.SinkhornResult{}, fmt.Errorf("coupling: entropic regularisation ε = %v; it must be positive and finite", e.Epsilon)
	}
	if n < 1 || m < 1 || n > math.MaxInt32/m {
		return ot.SinkhornResult{}, fmt.Errorf("coupling: a %d×%d plan is empty or too large", n, m)
	}
	if !e.Replace && k > n*m {
		return ot.SinkhornResult{}, fmt.Errorf("coupling: %d distinct pairs from a %d×%d plan", k, n, m)
	}
	if cap(e.plan) < n*m {
		e.plan = make([]float64, n*m)
	}
	plan := e.plan[:n*m]
	sk := e.Sinkhorn
	if sk == nil {
		sk = &DefaultSinkhorn
	}
	maxErr := e.MaxMarginalError
	if maxErr <= 0 {
		maxErr = 1e-3
	}
	res, err := ot.Sinkhorn(plan, nil, nil, cost, n, m, nil, nil, e.Epsilon, sk)
	if err != nil {
		if !errors.Is(err, ot.ErrNotConverged) {
			return res, fmt.Errorf("coupling: %w", err)
		}
		if !(res.MarginalError <= maxErr) {
			return res, fmt.Errorf("coupling: entropic plan at ε = %g: marginals off by %.3g (> %.3g) after %d iterations; raise ε", e.Epsilon, res.MarginalError, maxErr, res.Iterations)
		}
	}
	if e.Replace {
		e.withReplacement(rows, cols, plan, m, rng)
	} else {
		e.withoutReplacement(rows, cols, plan, m, rng)
	}
	return res, nil
}

// withReplacement draws k cells by inverse transform sampling on the
// cumulative plan, which it builds in place.
func (e *Entropic) withReplacement(rows, cols []int, plan []float64, m int, rng *rand.Rand) {
	var total float64
	for c, p := range plan {
		total += p
		plan[c] = total
	}
	for r := range rows {
		u := rng.Float64() * total
		// The first cell whose cumulative mass exceeds u; cells of zero
		// mass are never chosen because their cumulative value equals
		// the previous one's.
		c := sort.SearchFloat64s(plan, u)
		for c < len(plan)-1 && plan[c] <= u {
			c++
		}
		rows[r], cols[r] = c/m, c%m
	}
}

// withoutReplacement keeps the k cells with the largest keys u^(1/p),
// compared as log(u)/p, which is successive sampling without replacement
// (Efraimidis & Spirakis 2006). Cells of zero mass are never chosen
// before cells of positive mass.
func (e *Entropic) withoutReplacement(rows, cols []int, plan []float64, m int, rng *rand.Rand) {
	e.keys = e.keys[:0]
	for c, p := range plan {
		key := math.Inf(-1)
		if p > 0 {
			key = math.Log(1-rng.Float64()) / p // log u with u in (0, 1]
		}
		e.keys = append(e.keys, cellKey{key, c})
	}
	k := len(rows)
	slices.SortFunc(e.keys, func(a, b cellKey) int {
		switch {
		case a.key > b.key:
			return -1
		case a.key < b.key:
			return 1
		}
		return a.cell - b.cell
	})
	for r := range k {
		c := e.keys[r].cell
		rows[r], cols[r] = c/m, c%m
	}
}
