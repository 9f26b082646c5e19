package nn

import "fmt"

// MSELoss returns the mean squared error mean((out-target)²) over all
// len(out) values, PyTorch's MSELoss with reduction "mean", and writes its
// gradient 2(out-target)/len(out) to dst unless dst is nil.
func MSELoss(dst, out, target []float64) (float64, error) {
	if len(out) != len(target) || (dst != nil && len(dst) != len(out)) {
		return 0, fmt.Errorf("nn: MSELoss lengths differ: out %d, target %d, dst %d", len(out), len(target), len(dst))
	}
	if len(out) == 0 {
		return 0, fmt.Errorf("nn: MSELoss of no values")
	}
	scale := 1 / float64(len(out))
	var sum float64
	for i, o := range out {
		r := o - target[i]
		sum += r * r
		if dst != nil {
			dst[i] = 2 * scale * r
		}
	}
	return sum * scale, nil
}

// MSEGrad runs Forward on in, the MSE loss against target (batch×Out())
// and Backward, writing the parameter gradient to dstParams and returning
// the loss: one flow-matching regression step short of the optimiser. The
// results are those of the three calls in sequence, bit for bit, but each
// shard goes through all three at once, so the helpers are woken once.
func (n *MLP) MSEGrad(dstParams []float64, ws *Workspace, in, target []float64, batch int) (float64, error) {
	if err := ws.check(n); err != nil {
		return 0, err
	}
	if batch <= 0 || batch > ws.maxBatch {
		return 0, fmt.Errorf("nn: batch %d outside [1, %d]; make the workspace with a larger batch", batch, ws.maxBatch)
	}
	if len(in) != batch*n.In() {
		return 0, fmt.Errorf("nn: input has %d values, want batch %d × %d inputs = %d", len(in), batch, n.In(), batch*n.In())
	}
	if len(target) != batch*n.Out() {
		return 0, fmt.Errorf("nn: MSEGrad target has %d values, want batch %d × %d outputs = %d", len(target), batch, n.Out(), batch*n.Out())
	}
	if len(dstParams) != n.NumParams() {
		return 0, fmt.Errorf("nn: parameter gradient has length %d, want NumParams() = %d", len(dstParams), n.NumParams())
	}
	if ws.gradOut == nil {
		ws.gradOut = make([]float64, ws.maxBatch*n.Out())
	}
	ws.prepareForward(n, in, batch)
	ws.transposeWeights(n, 1)
	ws.net, ws.dstParams, ws.targetArg = n, dstParams, target
	ws.gradOutArg = ws.gradOut[:len(target)]
	ws.run((*Workspace).mseShard)
	ws.net, ws.dstParams, ws.targetArg, ws.gradOutArg = nil, nil, nil, nil
	for s := 1; s < ws.shards; s++ {
		add(dstParams, ws.shardGrad[s])
	}
	// The loss serially, in MSELoss's order, so it does not depend on shards.
	out := ws.output(n, batch)
	var sum float64
	for i, o := range out {
		r := o - target[i]
		sum += r * r
	}
	return sum * (1 / float64(len(out))), nil
}

// mseShard is forwardShard, the MSE gradient of its rows, and
// backwardShard.
func (ws *Workspace) mseShard(s int) {
	ws.forwardShard(s)
	n := ws.net
	out := n.Out()
	r0, r1 := ws.bounds[s]*out, ws.bounds[s+1]*out
	scale := 1 / float64(len(ws.targetArg))
	y := ws.output(n, ws.batch)
	for i := r0; i < r1; i++ {
		ws.gradOutArg[i] = 2 * scale * (y[i] - ws.targetArg[i])
	}
	ws.backwardShard(s)
}
