package am

import (
	"fmt"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/nn"
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
// 1 with fm.SampleField: any of its solvers, trajectory snapshots and NFE.
func Sample(net *nn.MLP, x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
	threads := 0
	if s != nil {
		threads = s.Threads
	}
	if n < 1 {
		return nil, fmt.Errorf("am: sample %d points: want at least 1", n)
	}
	field, err := NewField(net, n, threads)
	if err != nil {
		return nil, err
	}
	return fm.SampleField(field, x0, n, net.In()-1, s)
}
