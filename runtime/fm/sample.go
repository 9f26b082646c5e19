package fm

import (
	"fmt"
	"math"
	"strings"

	"github.com/lagc-dev/lagc/runtime/nn"
	"github.com/lagc-dev/lagc/runtime/ode"
)

// Solver names of the sampler.
const (
	Euler    = "euler"
	Midpoint = "midpoint"
	RK4      = "rk4"
	Adaptive = "dopri5"
)

// SampleSettings choose the ODE solver that transports samples along the
// learned field from t = 0 to t = 1.
type SampleSettings struct {
	// Solver is euler, midpoint, rk4 (fixed steps) or dopri5 (adaptive).
	// Default rk4.
	Solver string
	// Steps is the number of fixed steps. Default 20.
	Steps int
	// RelTol and AbsTol are dopri5's tolerances. Defaults 1e-5 and 1e-5.
	RelTol, AbsTol float64
	// Trajectory, when positive, records the state at that many evenly spaced
	// times from 0 to 1 (inclusive).
	Trajectory int
	// Threads bounds the network's goroutines (0: GOMAXPROCS).
	Threads int
}

// SampleResult is what Sample returns.
type SampleResult struct {
	X    []float64 // n×d samples at t = 1
	NFE  int       // evaluations of the network (each on the whole batch)
	Traj [][]float64
	// TrajT are the times of the trajectory snapshots.
	TrajT []float64
}

// Field is a learned velocity field v(x, t): an MLP with inputs [x, t].
type Field struct {
	Net *nn.MLP
	ws  *nn.Workspace
	in  []float64
	n   int
}

// NewField wraps net for batches of up to n points.
func NewField(net *nn.MLP, n, threads int) (*Field, error) {
	ws, err := net.NewWorkspace(n, &nn.WorkspaceSettings{Workers: threads})
	if err != nil {
		return nil, err
	}
	return &Field{Net: net, ws: ws, in: make([]float64, n*net.In()), n: n}, nil
}

// Eval writes v(x_i, t) for the n rows of y into dst.
func (f *Field) Eval(dst []float64, t float64, y []float64, n int) error {
	d := f.Net.Out()
	for i := 0; i < n; i++ {
		row := f.in[i*(d+1) : (i+1)*(d+1)]
		copy(row, y[i*d:(i+1)*d])
		row[d] = t
	}
	out, err := f.Net.Forward(f.ws, f.in[:n*(d+1)], n)
	if err != nil {
		return err
	}
	copy(dst, out)
	return nil
}

// VelocityField evaluates a velocity v(x, t) at the n rows of y: an MLP
// with inputs [x, t] (Field) or the gradient of a learned potential.
type VelocityField interface {
	Eval(dst []float64, t float64, y []float64, n int) error
}

// Sample transports the n×d points x0 along the field of net, an MLP with
// inputs [x, t] and outputs v, from t = 0 to 1.
func Sample(net *nn.MLP, x0 []float64, n int, s *SampleSettings) (*SampleResult, error) {
	d := net.Out()
	if net.In() != d+1 {
		return nil, fmt.Errorf("the network has %d inputs and %d outputs; a velocity field v(x, t) needs d+1 and d", net.In(), d)
	}
	threads := 0
	if s != nil {
		threads = s.Threads
	}
	if n < 1 {
		return nil, fmt.Errorf("sample: %d points: want at least 1", n)
	}
	field, err := NewField(net, n, threads)
	if err != nil {
		return nil, err
	}
	return SampleField(field, x0, n, d, s)
}

// SampleField transports the n×d points x0 along field from t = 0 to 1
// with the solver of s, counting field evaluations on the whole batch (NFE)
// and recording trajectory snapshots when asked.
func SampleField(field VelocityField, x0 []float64, n, d int, s *SampleSettings) (*SampleResult, error) {
	var set SampleSettings
	if s != nil {
		set = *s
	}
	if set.Solver == "" {
		set.Solver = RK4
	}
	if set.Steps == 0 {
		set.Steps = 20
	}
	if set.RelTol == 0 {
		set.RelTol = 1e-5
	}
	if set.AbsTol == 0 {
		set.AbsTol = 1e-5
	}
	if n < 1 || d < 1 || len(x0) < n*d {
		return nil, fmt.Errorf("sample: %d points of dimension %d need %d values, got %d", n, d, n*d, len(x0))
	}
	if set.Steps < 1 {
		return nil, fmt.Errorf("sample: steps %d must be at least 1", set.Steps)
	}
	var evalErr error
	fn := func(dst []float64, t float64, y []float64) {
		if err := field.Eval(dst, t, y, n); err != nil && evalErr == nil {
			evalErr = err
		}
	}
	res := &SampleResult{X: make([]float64, n*d)}
	// Integrate piecewise between trajectory snapshots.
	knots := []float64{0, 1}
	if set.Trajectory > 1 {
		knots = make([]float64, set.Trajectory)
		for i := range knots {
			knots[i] = float64(i) / float64(set.Trajectory-1)
		}
	}
	y := append([]float64(nil), x0[:n*d]...)
	next := make([]float64, n*d)
	record := func(t float64) {
		if set.Trajectory > 1 {
			res.Traj = append(res.Traj, append([]float64(nil), y...))
			res.TrajT = append(res.TrajT, t)
		}
	}
	record(0)
	var method ode.Method
	switch strings.ToLower(set.Solver) {
	case Euler:
		method = ode.Euler
	case Midpoint:
		method = ode.Midpoint
	case RK4:
		method = ode.RK4
	case Adaptive, "adaptive", "dp5":
		dp, err := ode.NewDormandPrince(n*d, &ode.Settings{RelTol: set.RelTol, AbsTol: set.AbsTol})
		if err != nil {
			return nil, err
		}
		for i := 1; i < len(knots); i++ {
			st, err := dp.Solve(next, nil, fn, knots[i-1], knots[i], y)
			res.NFE += st.Evals
			if err != nil {
				return nil, fmt.Errorf("sample: %w", err)
			}
			y, next = next, y
			record(knots[i])
		}
	default:
		return nil, fmt.Errorf("sample: unknown solver %q (want euler, midpoint, rk4 or dopri5)", set.Solver)
	}
	if method != 0 {
		fx, err := ode.NewFixed(method, n*d)
		if err != nil {
			return nil, err
		}
		// Spread the steps over the pieces in proportion to their length.
		done := 0
		for i := 1; i < len(knots); i++ {
			steps := int(math.Round(knots[i]*float64(set.Steps))) - done
			if steps < 1 {
				steps = 1
			}
			done += steps
			st, err := fx.Integrate(next, fn, knots[i-1], knots[i], y, steps)
			res.NFE += st.Evals
			if err != nil {
				return nil, fmt.Errorf("sample: %w", err)
			}
			y, next = next, y
			record(knots[i])
		}
	}
	if evalErr != nil {
		return nil, evalErr
	}
	for _, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("sample: the flow produced non-finite points; the model may have diverged (retrain, or try more steps or the dopri5 solver)")
		}
	}
	copy(res.X, y)
	return res, nil
}
