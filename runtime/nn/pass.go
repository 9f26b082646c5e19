package nn

import "fmt"

// Forward evaluates the network on batch rows of in (batch×In(), row-major)
// and returns the batch×Out() outputs. The result is a view into ws, valid
// until ws is next used. Forward caches in ws what Backward and JVP need;
// the parameters must not change between Forward and those calls.
func (n *MLP) Forward(ws *Workspace, in []float64, batch int) ([]float64, error) {
	if err := ws.check(n); err != nil {
		return nil, err
	}
	if batch <= 0 || batch > ws.maxBatch {
		return nil, fmt.Errorf("nn: batch %d outside [1, %d]; make the workspace with a larger batch", batch, ws.maxBatch)
	}
	if len(in) != batch*n.In() {
		return nil, fmt.Errorf("nn: input has %d values, want batch %d × %d inputs = %d", len(in), batch, n.In(), batch*n.In())
	}
	ws.prepareForward(n, in, batch)
	ws.net = n
	ws.run((*Workspace).forwardShard)
	ws.net = nil
	return ws.output(n, batch), nil
}

// output is the view of the last forward pass's outputs.
func (ws *Workspace) output(n *MLP, batch int) []float64 {
	if ws.out == nil {
		return ws.z[n.Layers()-1][:batch*n.Out()]
	}
	return ws.out[:batch*n.Out()]
}

// prepareForward copies the input and the padded weights and fixes the
// shards, the serial part of a forward pass.
func (ws *Workspace) prepareForward(n *MLP, in []float64, batch int) {
	copy(ws.in, in)
	for l := range n.Layers() {
		if ws.wpad[l] == nil {
			continue
		}
		w, b := n.Layer(l)
		out, p := n.sizes[l+1], ws.pad[l+1]
		for i := range n.sizes[l] {
			copy(ws.wpad[l][i*p:i*p+out], w[i*out:(i+1)*out])
		}
		copy(ws.bpad[l], b)
	}
	ws.setBatch(batch)
	ws.fwd = n
	ws.jvpDone = false
}

func (ws *Workspace) forwardShard(s int) {
	n := ws.net
	r0, r1 := ws.bounds[s], ws.bounds[s+1]
	rows := r1 - r0
	L := n.Layers()
	a, sa := ws.in[r0*n.sizes[0]:], n.sizes[0]
	for l := range L {
		p := ws.pad[l+1]
		w, b := n.Layer(l)
		if ws.wpad[l] != nil {
			w, b = ws.wpad[l], ws.bpad[l]
		}
		z := ws.z[l][r0*p : r1*p]
		for i := 0; i < len(z); i += p {
			copy(z[i:i+p], b)
		}
		gemm(rows, p, n.sizes[l], a, sa, 1, w, p, z, p, true)
		if ws.secondOrder && l < L-1 {
			copy(ws.zpre[l][r0*p:r1*p], z)
		}
		if l < L-1 {
			// Padding columns hold act(0) = 0 for every activation, so the
			// whole block can be done at once.
			ws.act.apply(z, ws.d[l][r0*p:r1*p])
		}
		a, sa = z, p
	}
	if ws.out != nil {
		out, p := n.Out(), ws.pad[L]
		for r := r0; r < r1; r++ {
			copy(ws.out[r*out:(r+1)*out], ws.z[L-1][r*p:r*p+out])
		}
	}
}

// Backward writes to dstParams the gradient of a loss with respect to the
// parameters, given gradOut, the loss's gradient with respect to the outputs
// of the last Forward (batch×Out()). dstParams is overwritten, not
// accumulated into.
func (n *MLP) Backward(dstParams []float64, ws *Workspace, gradOut []float64) error {
	return n.BackwardInput(dstParams, nil, ws, gradOut)
}

// BackwardInput is Backward that can also write the gradient with respect to
// the inputs (batch×In()) to dstIn. Either destination may be nil to skip it.
func (n *MLP) BackwardInput(dstParams, dstIn []float64, ws *Workspace, gradOut []float64) error {
	if err := ws.check(n); err != nil {
		return err
	}
	if ws.batch == 0 {
		return fmt.Errorf("nn: Backward before Forward: the workspace holds no activations")
	}
	if ws.fwd != n {
		return fmt.Errorf("nn: Backward on a different network than the workspace's last Forward")
	}
	if len(gradOut) != ws.batch*n.Out() {
		return fmt.Errorf("nn: output gradient has %d values, want batch %d × %d outputs = %d", len(gradOut), ws.batch, n.Out(), ws.batch*n.Out())
	}
	if dstParams != nil && len(dstParams) != n.NumParams() {
		return fmt.Errorf("nn: parameter gradient has length %d, want NumParams() = %d", len(dstParams), n.NumParams())
	}
	if dstIn != nil && len(dstIn) != ws.batch*n.In() {
		return fmt.Errorf("nn: input gradient has length %d, want batch %d × %d inputs = %d", len(dstIn), ws.batch, n.In(), ws.batch*n.In())
	}
	if dstParams == nil && dstIn == nil {
		return nil
	}
	first := 1
	if dstIn != nil {
		first = 0
	}
	ws.transposeWeights(n, first)
	ws.net, ws.dstParams, ws.dstIn, ws.gradOutArg = n, dstParams, dstIn, gradOut
	ws.run((*Workspace).backwardShard)
	ws.net, ws.dstParams, ws.dstIn, ws.gradOutArg = nil, nil, nil, nil
	if dstParams != nil {
		for s := 1; s < ws.shards; s++ {
			add(dstParams, ws.shardGrad[s])
		}
	}
	return nil
}

func (ws *Workspace) backwardShard(s int) {
	n := ws.net
	r0, r1 := ws.bounds[s], ws.bounds[s+1]
	rows := r1 - r0
	L := n.Layers()
	grad := ws.dstParams
	if grad != nil && s > 0 {
		grad = ws.shardGrad[s]
	}
	// g holds ∂loss/∂z for the current layer's pre-activations, row stride p.
	cur, next := ws.g[0], ws.g[1]
	out, p := n.Out(), ws.pad[L]
	g := cur[r0*ws.maxPad : r0*ws.maxPad+rows*p]
	for r := range rows {
		row := g[r*p : (r+1)*p]
		copy(row, ws.gradOutArg[(r0+r)*out:(r0+r+1)*out])
		clear(row[out:])
	}
	for l := L - 1; l >= 0; l-- {
		in, out, p := n.sizes[l], n.sizes[l+1], ws.pad[l+1]
		var a []float64
		var sa int
		if l == 0 {
			a, sa = ws.in[r0*in:r1*in], in
		} else {
			a, sa = ws.z[l-1][r0*ws.pad[l]:r1*ws.pad[l]], ws.pad[l]
		}
		if grad != nil {
			dw := grad[n.wOff[l] : n.wOff[l]+in*out]
			if pw := ws.dwPad[s][l]; pw != nil {
				gemmTN(in, p, rows, a, sa, g, p, pw, p, false, ws.pack[s])
				for i := range in {
					copy(dw[i*out:(i+1)*out], pw[i*p:i*p+out])
				}
			} else {
				gemmTN(in, p, rows, a, sa, g, p, dw, out, false, ws.pack[s])
			}
			colSum(grad[n.bOff[l]:n.bOff[l]+out], g, rows, p)
		}
		if l == 0 && ws.dstIn == nil {
			break
		}
		// ∂loss/∂a = g·Wᵀ, then through the activation of layer l-1.
		pin := ws.pad[l]
		ga := next[r0*ws.maxPad : r0*ws.maxPad+rows*pin]
		gemm(rows, pin, out, g, p, 1, ws.wt[l], pin, ga, pin, false)
		if l > 0 {
			mul(ga, ws.d[l-1][r0*pin:r1*pin])
		} else {
			for r := range rows {
				copy(ws.dstIn[(r0+r)*in:(r0+r+1)*in], ga[r*pin:r*pin+in])
			}
		}
		g = ga
		cur, next = next, cur
	}
}

// JVP writes to dst (batch×Out()) the directional derivatives J(x)·u of the
// outputs at the inputs x of the last Forward, one direction u per row of
// dir (batch×In()). It is a forward-mode pass reusing the activation
// derivatives cached by Forward, costing about one more forward pass.
func (n *MLP) JVP(dst []float64, ws *Workspace, dir []float64) error {
	if err := ws.check(n); err != nil {
		return err
	}
	if ws.batch == 0 {
		return fmt.Errorf("nn: JVP before Forward: the workspace holds no activations")
	}
	if ws.fwd != n {
		return fmt.Errorf("nn: JVP on a different network than the workspace's last Forward")
	}
	if len(dir) != ws.batch*n.In() {
		return fmt.Errorf("nn: direction has %d values, want batch %d × %d inputs = %d", len(dir), ws.batch, n.In(), ws.batch*n.In())
	}
	if len(dst) != ws.batch*n.Out() {
		return fmt.Errorf("nn: JVP destination has %d values, want batch %d × %d outputs = %d", len(dst), ws.batch, n.Out(), ws.batch*n.Out())
	}
	ws.net, ws.dstJVP, ws.dirArg = n, dst, dir
	if ws.secondOrder {
		copy(ws.dir, dir)
		ws.dirArg = ws.dir[:len(dir)]
	}
	ws.run((*Workspace).jvpShard)
	ws.net, ws.dstJVP, ws.dirArg = nil, nil, nil
	ws.jvpDone = true
	return nil
}

func (ws *Workspace) jvpShard(s int) {
	n := ws.net
	r0, r1 := ws.bounds[s], ws.bounds[s+1]
	rows := r1 - r0
	L := n.Layers()
	cur, next := ws.g[0], ws.g[1]
	t, st := ws.dirArg[r0*n.sizes[0]:r1*n.sizes[0]], n.sizes[0]
	for l := range L {
		p := ws.pad[l+1]
		w, _ := n.Layer(l)
		if ws.wpad[l] != nil {
			w = ws.wpad[l]
		}
		tz := cur[r0*ws.maxPad : r0*ws.maxPad+rows*p]
		if ws.secondOrder {
			tz = ws.tpre[l][r0*p : r1*p]
		}
		gemm(rows, p, n.sizes[l], t, st, 1, w, p, tz, p, false)
		if l < L-1 {
			if ws.secondOrder {
				// Keep the tangent before the activation for JVPBackward.
				post := ws.tpost[l][r0*p : r1*p]
				copy(post, tz)
				tz = post
			}
			mul(tz, ws.d[l][r0*p:r1*p])
		}
		t, st = tz, p
		cur, next = next, cur
	}
	out, p := n.Out(), ws.pad[L]
	for r := range rows {
		copy(ws.dstJVP[(r0+r)*out:(r0+r+1)*out], t[r*p:r*p+out])
	}
}

// Predict writes the outputs for n rows of in (n×In()) to dst (n×Out()),
// in chunks of up to ws.MaxBatch() rows, for evaluating more points than a
// training batch, as when integrating samples. It leaves ws holding the last
// chunk, not a state for Backward.
func (n *MLP) Predict(dst []float64, ws *Workspace, in []float64, rows int) error {
	if err := ws.check(n); err != nil {
		return err
	}
	if rows < 0 || len(in) != rows*n.In() || len(dst) != rows*n.Out() {
		return fmt.Errorf("nn: Predict of %d rows needs input %d and output %d values, got %d and %d", rows, rows*n.In(), rows*n.Out(), len(in), len(dst))
	}
	for r := 0; r < rows; r += ws.maxBatch {
		b := min(ws.maxBatch, rows-r)
		out, err := n.Forward(ws, in[r*n.In():(r+b)*n.In()], b)
		if err != nil {
			return err
		}
		copy(dst[r*n.Out():], out)
	}
	return nil
}

// transposeWeights fills wt[l] = W_lᵀ for layers from first on, in 8×8
// tiles: a row-by-row transpose of a wide layer writes with a stride that
// maps every store to the same few cache sets.
func (ws *Workspace) transposeWeights(n *MLP, first int) {
	const tile = 8
	for l := first; l < n.Layers(); l++ {
		w, _ := n.Layer(l)
		in, out, p := n.sizes[l], n.sizes[l+1], ws.pad[l]
		wt := ws.wt[l]
		for i0 := 0; i0 < in; i0 += tile {
			i1 := min(i0+tile, in)
			for j0 := 0; j0 < out; j0 += tile {
				j1 := min(j0+tile, out)
				for i := i0; i < i1; i++ {
					row := w[i*out+j0 : i*out+j1]
					for j, v := range row {
						wt[(j0+j)*p+i] = v
					}
				}
			}
		}
	}
}
