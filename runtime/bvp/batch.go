package bvp

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// PairError is the failure of one pair of a batch: pair I of SolveBatch
// (J is −1), or entry (I, J) of CostMatrix.
type PairError struct {
	I, J int
	Err  error
}

func (e *PairError) Error() string {
	if e.J < 0 {
		return fmt.Sprintf("pair %d: %v", e.I, e.Err)
	}
	return fmt.Sprintf("pair (%d, %d): %v", e.I, e.J, e.Err)
}

func (e *PairError) Unwrap() error { return e.Err }

// BatchError lists the pairs of a batch that failed, in order. The others
// were solved.
type BatchError struct {
	Failed []*PairError
	Total  int
}

func (e *BatchError) Error() string {
	const show = 3
	msg := fmt.Sprintf("bvp: %d of %d pairs failed", len(e.Failed), e.Total)
	for i, pe := range e.Failed {
		if i == show {
			msg += fmt.Sprintf("; and %d more", len(e.Failed)-show)
			break
		}
		msg += "; " + pe.Error()
	}
	return msg
}

// Unwrap lets errors.Is and errors.As see every pair's error.
func (e *BatchError) Unwrap() []error {
	errs := make([]error, len(e.Failed))
	for i, pe := range e.Failed {
		errs[i] = pe
	}
	return errs
}

// parallel runs work(worker, k) for k in [0, count) over up to GOMAXPROCS
// goroutines, each with its own Solver on its own Clone of sys, handing
// out indices in chunks so that uneven costs still balance.
func parallel(sys lagrangian.System, s *Settings, count int, work func(sv *Solver, k int) error) error {
	if _, err := NewSolver(sys, s); err != nil { // validate once, before fanning out
		return err
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, count/4))
	chunk := max(1, min(64, count/(8*workers)))
	var next atomic.Int64
	var mu sync.Mutex
	var failed []*PairError
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sv, err := NewSolver(sys.Clone(), s)
			if err != nil { // cannot happen after the check above
				panic(err)
			}
			for {
				start := int(next.Add(int64(chunk))) - chunk
				if start >= count {
					return
				}
				for k := start; k < min(start+chunk, count); k++ {
					if err := work(sv, k); err != nil {
						mu.Lock()
						failed = append(failed, &PairError{I: k, J: -1, Err: err})
						mu.Unlock()
					}
				}
			}
		}()
	}
	wg.Wait()
	if len(failed) == 0 {
		return nil
	}
	sort.Slice(failed, func(a, b int) bool { return failed[a].I < failed[b].I })
	return &BatchError{Failed: failed, Total: count}
}

// SolveBatch solves the n pairs x0s[i*d:(i+1)*d] → x1s[i*d:(i+1)*d] (flat
// row-major, d = sys.Dim()) on all cores, each goroutine with its own
// sys.Clone() and Solver. The paths come back in order. If some pairs fail,
// their paths are nil and the error is a *BatchError naming them.
func SolveBatch(sys lagrangian.System, x0s, x1s []float64, n int, s *Settings) ([]*Path, error) {
	if sys == nil {
		return nil, errors.New("bvp: nil System")
	}
	d := sys.Dim()
	if n < 0 || len(x0s) != n*d || len(x1s) != n*d {
		return nil, fmt.Errorf("bvp: SolveBatch of %d pairs in dimension %d needs %d values in x0s and x1s, have %d and %d", n, d, n*d, len(x0s), len(x1s))
	}
	paths := make([]*Path, n)
	err := parallel(sys, s, n, func(sv *Solver, k int) error {
		p := new(Path)
		if err := sv.Solve(p, x0s[k*d:(k+1)*d], x1s[k*d:(k+1)*d]); err != nil {
			return err
		}
		paths[k] = p
		return nil
	})
	return paths, err
}

// CostMatrix writes into dst (n×m, row-major) the least actions
// C_ij = c_L(xs_i, ys_j) from each of the n points xs to each of the m
// points ys (flat row-major, d = sys.Dim()), in parallel; closed forms are
// used when sys has one. Entries whose solve failed are NaN and listed, with
// their indices, in the returned *BatchError.
func CostMatrix(dst []float64, sys lagrangian.System, xs []float64, n int, ys []float64, m int, s *Settings) error {
	if sys == nil {
		return errors.New("bvp: nil System")
	}
	d := sys.Dim()
	switch {
	case n < 0 || m < 0 || len(xs) != n*d || len(ys) != m*d:
		return fmt.Errorf("bvp: CostMatrix of %d×%d points in dimension %d needs %d and %d values, have %d and %d", n, m, d, n*d, m*d, len(xs), len(ys))
	case len(dst) != n*m:
		return fmt.Errorf("bvp: CostMatrix dst has length %d, want %d×%d = %d", len(dst), n, m, n*m)
	}
	err := parallel(sys, s, n*m, func(sv *Solver, k int) error {
		i, j := k/m, k%m
		c, err := sv.Cost(xs[i*d:(i+1)*d], ys[j*d:(j+1)*d])
		dst[k] = c
		return err
	})
	var be *BatchError
	if errors.As(err, &be) {
		for _, pe := range be.Failed {
			pe.I, pe.J = pe.I/m, pe.I%m
		}
	}
	return err
}

// Cost returns the least action c_L(x0, x1) without keeping the path: the
// closed form's Action when there is one, else the action of a numeric
// solve. On failure it returns NaN and the error.
func (s *Solver) Cost(x0, x1 []float64) (float64, error) {
	if s.cf != nil && (s.set.Method == "" || s.set.Method == ClosedForm) {
		if err := s.checkEnds(x0, x1); err != nil {
			return math.NaN(), err
		}
		c, err := s.cf.Action(x0, x1)
		if err != nil {
			return math.NaN(), fmt.Errorf("bvp: closed form: %w", err)
		}
		return c, nil
	}
	if err := s.Solve(&s.scratch, x0, x1); err != nil {
		return math.NaN(), err
	}
	return s.scratch.Action, nil
}
