package am

import (
	"errors"
	"fmt"

	"github.com/lagc-dev/lagc/runtime/nn"
)

// Loss evaluates the Action Matching loss of a scalar network s(x, t) and
// its parameter gradient. It owns a second-order workspace and all
// buffers, so Eval does not allocate.
type Loss struct {
	net  *nn.MLP
	ws   *nn.Workspace
	max  int
	rows []float64 // [x, t] rows for the boundary terms
	gIn  []float64 // ∇_{(x,t)} s per row
	ones []float64 // ∂loss/∂s = 1 per row, then scaled
	dir  []float64 // (∇ₓs, 1)
	jvp  []float64
	tmp  []float64
}

// NewLoss prepares the loss of net (d+1 inputs, 1 output) for batches of up
// to maxBatch rows; threads bounds the network's goroutines (0: all cores).
func NewLoss(net *nn.MLP, maxBatch, threads int) (*Loss, error) {
	if net == nil {
		return nil, errors.New("am: nil network")
	}
	if net.Out() != 1 || net.In() < 2 {
		return nil, fmt.Errorf("am: the potential s(x, t) needs d+1 ≥ 2 inputs and 1 output, the network has %d and %d", net.In(), net.Out())
	}
	ws, err := net.NewWorkspace(maxBatch, &nn.WorkspaceSettings{Workers: threads, SecondOrder: true})
	if err != nil {
		return nil, err
	}
	in := net.In()
	return &Loss{net: net, ws: ws, max: maxBatch,
		rows: make([]float64, maxBatch*in), gIn: make([]float64, maxBatch*in), ones: make([]float64, maxBatch),
		dir: make([]float64, maxBatch*in), jvp: make([]float64, maxBatch), tmp: make([]float64, net.NumParams())}, nil
}

// Eval returns the loss for n rows each of x0 ~ p0 and x1 ~ p1 (n×d) and
// in = [x_t, t] with x_t ~ p_t (n×(d+1), the layout of fm.Pairs.Targets),
// and writes its parameter gradient to dst when dst is not nil.
func (l *Loss) Eval(dst, x0, x1, in []float64, n int) (float64, error) {
	net := l.net
	d := net.In() - 1
	if n < 1 || n > l.max {
		return 0, fmt.Errorf("am: batch %d outside [1, %d]", n, l.max)
	}
	if len(x0) != n*d || len(x1) != n*d || len(in) != n*(d+1) {
		return 0, fmt.Errorf("am: x0, x1 and inputs have %d, %d and %d values, want %d, %d and %d", len(x0), len(x1), len(in), n*d, n*d, n*(d+1))
	}
	if dst != nil && len(dst) != net.NumParams() {
		return 0, fmt.Errorf("am: gradient destination has %d values, want NumParams() = %d", len(dst), net.NumParams())
	}
	if dst != nil {
		clear(dst)
	}
	scale := 1 / float64(n)
	var loss float64
	ones := l.ones[:n]
	// Boundary terms: +mean s(x0, 0) and -mean s(x1, 1).
	for _, b := range []struct {
		x     []float64
		t, sg float64
	}{{x0, 0, 1}, {x1, 1, -1}} {
		rows := l.rows[:n*(d+1)]
		for r := range n {
			copy(rows[r*(d+1):], b.x[r*d:(r+1)*d])
			rows[r*(d+1)+d] = b.t
		}
		out, err := net.Forward(l.ws, rows, n)
		if err != nil {
			return 0, err
		}
		for _, s := range out {
			loss += b.sg * s * scale
		}
		if dst != nil {
			for i := range ones {
				ones[i] = b.sg * scale
			}
			if err := net.Backward(l.tmp, l.ws, ones); err != nil {
				return 0, err
			}
			add(dst, l.tmp)
		}
	}
	// Interior term: mean ½|∇ₓs|² + ∂ₜs at (x_t, t).
	if _, err := net.Forward(l.ws, in, n); err != nil {
		return 0, err
	}
	for i := range ones {
		ones[i] = 1
	}
	gIn := l.gIn[:n*(d+1)]
	if err := net.BackwardInput(nil, gIn, l.ws, ones); err != nil {
		return 0, err
	}
	dir := l.dir[:n*(d+1)]
	for r := range n {
		g := gIn[r*(d+1) : (r+1)*(d+1)]
		var kin float64
		for _, v := range g[:d] {
			kin += v * v / 2
		}
		loss += (kin + g[d]) * scale
		copy(dir[r*(d+1):], g[:d])
		dir[r*(d+1)+d] = 1
	}
	if dst == nil {
		return loss, nil
	}
	if err := net.JVP(l.jvp[:n], l.ws, dir); err != nil {
		return 0, err
	}
	for i := range ones {
		ones[i] = scale
	}
	if err := net.JVPBackward(l.tmp, l.ws, nil, ones); err != nil {
		return 0, err
	}
	add(dst, l.tmp)
	return loss, nil
}

func add(dst, x []float64) {
	for i, v := range x {
		dst[i] += v
	}
}
