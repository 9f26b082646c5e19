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
// the loss: one flow-matching regression step short of the optimiser.
func (n *MLP) MSEGrad(dstParams []float64, ws *Workspace, in, target []float64, batch int) (float64, error) {
	out, err := n.Forward(ws, in, batch)
	if err != nil {
		return 0, err
	}
	if ws.gradOut == nil {
		ws.gradOut = make([]float64, ws.maxBatch*n.Out())
	}
	gradOut := ws.gradOut[:len(out)]
	loss, err := MSELoss(gradOut, out, target)
	if err != nil {
		return 0, fmt.Errorf("nn: MSEGrad target has %d values, want batch %d × %d outputs = %d", len(target), batch, n.Out(), len(out))
	}
	return loss, n.Backward(dstParams, ws, gradOut)
}
