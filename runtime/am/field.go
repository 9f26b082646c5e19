package am

import (
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/nn"
	"github.com/lagc-dev/lagc/runtime/ode"
)

// Field is the velocity field ∇ₓs(x, t) of a scalar network s, evaluated
// for batches of up to a fixed number of points.
type Field struct {
	net           *nn.MLP
	ws            *nn.Workspace
	in, gIn, ones []float64
	max           int
}

// NewField wraps net (d+1 inputs, 1 output) for batches of up to n points.
func NewField(net *nn.MLP, n, threads int) (*Field, error) {
	if net == nil || net.Out() != 1 || net.In() < 2 {
		return nil, fmt.Errorf("am: a potential s(x, t) needs a network with d+1 ≥ 2 inputs and 1 output")
	}
	ws, err := net.NewWorkspace(n, &nn.WorkspaceSettings{Workers: threads})
	if err != nil {
		return nil, err
	}
	ones := make([]float64, n)
	for i := range ones {
		ones[i] = 1
	}
	in := net.In()
	return &Field{net: net, ws: ws, in: make([]float64, n*in), gIn: make([]float64, n*in), ones: ones, max: n}, nil
}

// Eval writes ∇ₓs(x_i, t) for the n rows of y to dst.
func (f *Field) Eval(dst []float64, t float64, y []float64, n int) error {
	d := f.net.In() - 1
	if n < 1 || n > f.max || len(y) < n*d || len(dst) < n*d {
		return fmt.Errorf("am: field of %d points (at most %d) of dimension %d: have %d inputs and %d outputs", n, f.max, d, len(y), len(dst))
	}
	for i := range n {
		copy(f.in[i*(d+1):], y[i*d:(i+1)*d])
		f.in[i*(d+1)+d] = t
	}
	if _, err := f.net.Forward(f.ws, f.in[:n*(d+1)], n); err != nil {
		return err
	}
	if err := f.net.BackwardInput(nil, f.gIn[:n*(d+1)], f.ws, f.ones[:n]); err != nil {
		return err
	}
	for i := range n {
		copy(dst[i*d:(i+1)*d], f.gIn[i*(d+1):i*(d+1)+d])
	}
	return nil
}

// Sample transports the n×d points x0 along ẋ = ∇ₓs(x, t) from t = 0 to
// 1 with a fixed-step solver (euler, midpoint or rk4; default rk4 with 20
// steps), recording Trajectory snapshots when asked. NFE counts field
// evaluations on the whole batch, as fm.Sample does.
func Sample(net *nn.MLP, x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
	var set fm.SampleSettings
	if s != nil {
		set = *s
	}
	if set.Solver == "" {
		set.Solver = fm.RK4
	}
	if set.Steps == 0 {
		set.Steps = 20
	}
	var method ode.Method
	switch set.Solver {
	case fm.Euler:
		method = ode.Euler
	case fm.Midpoint:
		method = ode.Midpoint
	case fm.RK4:
		method = ode.RK4
	default:
		return nil, fmt.Errorf("am: sampling with %q: Action Matching models sample with euler, midpoint or rk4", set.Solver)
	}
	if set.Steps < 1 {
		return nil, fmt.Errorf("am: steps %d must be at least 1", set.Steps)
	}
	field, err := NewField(net, n, set.Threads)
	if err != nil {
		return nil, err
	}
	d := net.In() - 1
	if len(x0) < n*d {
		return nil, fmt.Errorf("am: %d points of dimension %d need %d values, got %d", n, d, n*d, len(x0))
	}
	var evalErr error
	fn := func(dst []float64, t float64, y []float64) {
		if err := field.Eval(dst, t, y, n); err != nil && evalErr == nil {
			evalErr = err
		}
	}
	fx, err := ode.NewFixed(method, n*d)
	if err != nil {
		return nil, err
	}
	res := &fm.SampleResult{X: make([]float64, n*d)}
	y := append([]float64(nil), x0[:n*d]...)
	snaps := max(set.Trajectory, 2)
	if set.Trajectory > 1 {
		res.Traj = append(res.Traj, append([]float64(nil), y...))
		res.TrajT = append(res.TrajT, 0)
	}
	done := 0
	for i := 1; i < snaps; i++ {
		ti := float64(i) / float64(snaps-1)
		steps := max(int(math.Round(ti*float64(set.Steps)))-done, 1)
		done += steps
		st, err := fx.Integrate(y, fn, float64(i-1)/float64(snaps-1), ti, y, steps)
		res.NFE += st.Evals
		if err != nil {
			return nil, fmt.Errorf("am: sample: %w", err)
		}
		if set.Trajectory > 1 {
			res.Traj = append(res.Traj, append([]float64(nil), y...))
			res.TrajT = append(res.TrajT, ti)
		}
	}
	if evalErr != nil {
		return nil, evalErr
	}
	copy(res.X, y)
	return res, nil
}
