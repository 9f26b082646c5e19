package nn

import "fmt"

// JVPBackward writes to dstParams the gradient with respect to the
// parameters of a loss of both the outputs y and the directional
// derivatives J·u of the last Forward and JVP: gradOut = ∂loss/∂y and
// gradJVP = ∂loss/∂(J·u), each batch×Out(); gradOut may be nil for a loss
// of J·u alone. The direction u counts as a constant.
//
// This is what Action Matching needs: for a scalar network s(x, t), the
// gradient of ½|∇ₓs|² + ∂ₜs is that of J·u with u = (∇ₓs, 1) held fixed
// (∇ₓs from BackwardInput), so a training step is Forward, BackwardInput,
// JVP and JVPBackward. The workspace must be made with SecondOrder set.
// dstParams is overwritten.
func (n *MLP) JVPBackward(dstParams []float64, ws *Workspace, gradOut, gradJVP []float64) error {
	if err := ws.check(n); err != nil {
		return err
	}
	if !ws.secondOrder {
		return fmt.Errorf("nn: JVPBackward needs a workspace made with WorkspaceSettings.SecondOrder")
	}
	if ws.batch == 0 || !ws.jvpDone || ws.fwd != n {
		return fmt.Errorf("nn: JVPBackward needs Forward then JVP on this network first")
	}
	want := ws.batch * n.Out()
	if len(gradJVP) != want || (gradOut != nil && len(gradOut) != want) {
		return fmt.Errorf("nn: JVPBackward gradients have %d and %d values, want batch %d × %d outputs = %d", len(gradOut), len(gradJVP), ws.batch, n.Out(), want)
	}
	if len(dstParams) != n.NumParams() {
		return fmt.Errorf("nn: parameter gradient has length %d, want NumParams() = %d", len(dstParams), n.NumParams())
	}
	ws.transposeWeights(n, 1)
	ws.net, ws.dstParams, ws.gradOutArg, ws.gradJVPArg = n, dstParams, gradOut, gradJVP
	ws.run((*Workspace).jvpBackwardShard)
	ws.net, ws.dstParams, ws.gradOutArg, ws.gradJVPArg = nil, nil, nil, nil
	for s := 1; s < ws.shards; s++ {
		add(dstParams, ws.shardGrad[s])
	}
	return nil
}

// jvpBackwardShard is reverse mode through the pair (a, ȧ) of forward and
// tangent activations. With z = aW + b, ż = ȧW, a' = σ(z), ȧ' = σ'(z)ż,
// the adjoints (z̄, ż̄) of a layer's pre-activations give
//
//	W̄ = aᵀz̄ + ȧᵀż̄,  b̄ = Σ z̄,  ā = z̄Wᵀ,  ǡ = ż̄Wᵀ,
//
// and through the activation below, ż̄ = σ'·ǡ and z̄ = σ'·ā + σ”·ż·ǡ.
func (ws *Workspace) jvpBackwardShard(s int) {
	n := ws.net
	r0, r1 := ws.bounds[s], ws.bounds[s+1]
	rows := r1 - r0
	L := n.Layers()
	grad := ws.dstParams
	if s > 0 {
		grad = ws.shardGrad[s]
	}
	off := r0 * ws.maxPad
	zb, tb := ws.adj[0][off:], ws.adj[1][off:] // z̄, ż̄ of the current layer
	ab, atb := ws.adj[2][off:], ws.adj[3][off:]
	out, p := n.Out(), ws.pad[L]
	for r := range rows {
		zrow, trow := zb[r*p:(r+1)*p], tb[r*p:(r+1)*p]
		clear(zrow)
		clear(trow)
		if ws.gradOutArg != nil {
			copy(zrow, ws.gradOutArg[(r0+r)*out:(r0+r+1)*out])
		}
		copy(trow, ws.gradJVPArg[(r0+r)*out:(r0+r+1)*out])
	}
	for l := L - 1; l >= 0; l-- {
		in, out, p := n.sizes[l], n.sizes[l+1], ws.pad[l+1]
		z, t := zb[:rows*p], tb[:rows*p]
		var a, at []float64
		var sa int
		if l == 0 {
			a, at, sa = ws.in[r0*in:r1*in], ws.dir[r0*in:r1*in], in
		} else {
			sa = ws.pad[l]
			a, at = ws.z[l-1][r0*sa:r1*sa], ws.tpost[l-1][r0*sa:r1*sa]
		}
		dw := grad[n.wOff[l] : n.wOff[l]+in*out]
		if pw := ws.dwPad[s][l]; pw != nil {
			gemmTN(in, p, rows, a, sa, z, p, pw, p, false, ws.pack[s])
			gemmTN(in, p, rows, at, sa, t, p, pw, p, true, ws.pack[s])
			for i := range in {
				copy(dw[i*out:(i+1)*out], pw[i*p:i*p+out])
			}
		} else {
			gemmTN(in, p, rows, a, sa, z, p, dw, out, false, ws.pack[s])
			gemmTN(in, p, rows, at, sa, t, p, dw, out, true, ws.pack[s])
		}
		colSum(grad[n.bOff[l]:n.bOff[l]+out], z, rows, p)
		if l == 0 {
			break
		}
		pin := ws.pad[l]
		abar, atbar := ab[:rows*pin], atb[:rows*pin]
		gemm(rows, pin, out, z, p, 1, ws.wt[l], pin, abar, pin, false)
		gemm(rows, pin, out, t, p, 1, ws.wt[l], pin, atbar, pin, false)
		// Through the activation of layer l-1, into the buffers just read.
		d := ws.d[l-1][r0*pin : r1*pin]
		d2 := ws.d2[l-1][r0*pin : r1*pin]
		ws.act.second(d2, ws.zpre[l-1][r0*pin:r1*pin])
		tpre := ws.tpre[l-1][r0*pin : r1*pin]
		znew, tnew := zb[:rows*pin], tb[:rows*pin]
		for i := range znew {
			znew[i] = d[i]*abar[i] + d2[i]*tpre[i]*atbar[i]
			tnew[i] = d[i] * atbar[i]
		}
	}
}

// second writes σ”(z) to dst. It is used only by JVPBackward, so plain
// scalar code is fine.
func (a Activation) second(dst, z []float64) {
	dst = dst[:len(z)]
	switch a {
	case SELU:
		for i, x := range z {
			dst[i] = 0
			if !(x > 0) {
				dst[i] = seluScaleAlpha * expKernel(max(min(x, 0), -expLimit))
			}
		}
	case SiLU:
		for i, x := range z {
			s := 1 / (1 + expKernel(min(max(-x, -expLimit), expLimit)))
			if x < -expLimit {
				s = 0
			}
			dst[i] = s * (1 - s) * (2 + x*(1-2*s))
		}
	case Tanh:
		for i, x := range z {
			t, _ := tanh(x)
			dst[i] = -2 * t * (1 - t*t)
		}
	default: // ReLU, Identity
		clear(dst)
	}
}
