package likelihood

import (
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/nn"
)

// MLPField is the Field of a network v_θ(x, t, c) with inputs [x, t, c] —
// c a fixed conditioning vector such as a one-hot class label, empty for an
// unconditional field — and outputs v.
type MLPField struct {
	net     *nn.MLP
	ws      *nn.Workspace
	cond    []float64
	in, dir []float64
	d, n    int
}

// NewMLPField wraps net for batches of up to maxRows points, appending cond
// (len(cond) = net.In() − d − 1, where d = net.Out()) to every input row.
// threads bounds the network's goroutines (0: GOMAXPROCS).
func NewMLPField(net *nn.MLP, cond []float64, maxRows, threads int) (*MLPField, error) {
	d := net.Out()
	if c := net.In() - d - 1; c < 0 || len(cond) != c {
		return nil, fmt.Errorf("likelihood: the network has %d inputs and %d outputs; with %d conditioning values a field v(x, t, c) needs %d inputs", net.In(), d, len(cond), d+1+len(cond))
	}
	for _, v := range cond {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("likelihood: conditioning values must be finite")
		}
	}
	if maxRows < 1 {
		return nil, fmt.Errorf("likelihood: batch of %d rows; want at least 1", maxRows)
	}
	ws, err := net.NewWorkspace(maxRows, &nn.WorkspaceSettings{Workers: threads})
	if err != nil {
		return nil, err
	}
	in := net.In()
	return &MLPField{net: net, ws: ws, cond: append([]float64(nil), cond...),
		in: make([]float64, maxRows*in), dir: make([]float64, maxRows*in), d: d}, nil
}

// Dim is the dimension of x.
func (f *MLPField) Dim() int { return f.d }

// Eval writes v(x_i, t, c) for the n rows of x into dst.
func (f *MLPField) Eval(dst []float64, t float64, x []float64, n int) error {
	d, w := f.d, f.net.In()
	if n > f.ws.MaxBatch() {
		return fmt.Errorf("likelihood: %d rows exceed the field's batch of %d", n, f.ws.MaxBatch())
	}
	if len(x) != n*d || len(dst) != n*d {
		return fmt.Errorf("likelihood: %d rows of dimension %d need %d values, got %d and %d", n, d, n*d, len(x), len(dst))
	}
	for i := range n {
		row := f.in[i*w : (i+1)*w]
		copy(row, x[i*d:(i+1)*d])
		row[d] = t
		copy(row[d+1:], f.cond)
	}
	out, err := f.net.Forward(f.ws, f.in[:n*w], n)
	if err != nil {
		return err
	}
	copy(dst, out)
	f.n = n
	return nil
}

// JVP writes (∂v/∂x)·u for the rows of the last Eval: the network's
// forward-mode pass along [u, 0, 0…] (t and c held fixed).
func (f *MLPField) JVP(dst, dir []float64) error {
	d, w, n := f.d, f.net.In(), f.n
	if len(dir) != n*d || len(dst) != n*d {
		return fmt.Errorf("likelihood: JVP of %d rows of dimension %d needs %d values, got %d and %d", n, d, n*d, len(dir), len(dst))
	}
	full := f.dir[:n*w]
	clear(full)
	for i := range n {
		copy(full[i*w:i*w+d], dir[i*d:(i+1)*d])
	}
	return f.net.JVP(dst, f.ws, full)
}
