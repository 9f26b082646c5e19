package nn

import (
	"fmt"
	"math"
)

// AdamSettings configures Adam. Zero fields take PyTorch's defaults (LR
// 1e-3, Beta1 0.9, Beta2 0.999, Eps 1e-8), except WeightDecay, where zero
// means none. DefaultAdamW gives AdamW's defaults.
type AdamSettings struct {
	LR           float64
	Beta1, Beta2 float64
	Eps          float64
	// WeightDecay is the L2 coefficient added to the gradient (Adam) or the
	// decoupled decay rate applied to the weights (AdamW).
	WeightDecay float64
	// Decoupled selects AdamW (Loshchilov & Hutter): weights shrink by
	// LR·WeightDecay each step instead of the decay entering the moments.
	Decoupled bool
}

// DefaultAdamW returns PyTorch's AdamW defaults: LR 1e-3, betas 0.9 and
// 0.999, Eps 1e-8, weight decay 1e-2.
func DefaultAdamW() AdamSettings {
	return AdamSettings{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 1e-2, Decoupled: true}
}

// Adam is the Adam or AdamW optimiser over a flat parameter vector, with
// PyTorch's update rule including bias correction:
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,
//	θ ← θ − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
//
// Its state (settings, step count, moments) round-trips through
// MarshalBinary and UnmarshalBinary for checkpoints.
type Adam struct {
	// Settings may be changed between steps, for instance to schedule LR.
	Settings AdamSettings
	step     int64
	m, v     []float64
}

// NewAdam returns an optimiser for n parameters; s nil means Adam with
// PyTorch's defaults.
func NewAdam(n int, s *AdamSettings) (*Adam, error) {
	if n <= 0 || n > maxParams {
		return nil, fmt.Errorf("nn: Adam needs a positive parameter count, got %d", n)
	}
	var set AdamSettings
	if s != nil {
		set = *s
	}
	if set.LR == 0 {
		set.LR = 1e-3
	}
	if set.Beta1 == 0 {
		set.Beta1 = 0.9
	}
	if set.Beta2 == 0 {
		set.Beta2 = 0.999
	}
	if set.Eps == 0 {
		set.Eps = 1e-8
	}
	a := &Adam{Settings: set, m: make([]float64, n), v: make([]float64, n)}
	if err := a.Settings.validate(); err != nil {
		return nil, err
	}
	return a, nil
}

func (s *AdamSettings) validate() error {
	switch {
	case !(s.LR > 0) || math.IsInf(s.LR, 0):
		return fmt.Errorf("nn: Adam learning rate must be positive and finite, got %v", s.LR)
	case !(s.Beta1 >= 0 && s.Beta1 < 1) || !(s.Beta2 >= 0 && s.Beta2 < 1):
		return fmt.Errorf("nn: Adam betas must lie in [0, 1), got %v and %v", s.Beta1, s.Beta2)
	case !(s.Eps > 0) || math.IsInf(s.Eps, 0):
		return fmt.Errorf("nn: Adam eps must be positive and finite, got %v", s.Eps)
	case !(s.WeightDecay >= 0) || math.IsInf(s.WeightDecay, 0):
		return fmt.Errorf("nn: Adam weight decay must be non-negative and finite, got %v", s.WeightDecay)
	}
	return nil
}

// Steps is the number of updates taken so far.
func (a *Adam) Steps() int64 { return a.step }

// Moments returns the first and second moment vectors themselves.
func (a *Adam) Moments() (m, v []float64) { return a.m, a.v }

// Step updates params in place from grad. It returns an error, and changes
// nothing, if the lengths are wrong or the settings invalid.
func (a *Adam) Step(params, grad []float64) error {
	if len(params) != len(a.m) || len(grad) != len(a.m) {
		return fmt.Errorf("nn: Adam is for %d parameters, got params %d and gradient %d", len(a.m), len(params), len(grad))
	}
	s := &a.Settings
	if err := s.validate(); err != nil {
		return err
	}
	a.step++
	t := float64(a.step)
	var c [8]float64 // the constants of adamScalar, in its order
	c[1] = 1
	if s.Decoupled {
		c[1] = 1 - s.LR*s.WeightDecay
	} else if s.WeightDecay != 0 {
		c[0] = s.WeightDecay
	}
	c[2] = 1 - s.Beta1
	c[3] = s.Beta2
	c[4] = 1 - s.Beta2
	c[5] = math.Sqrt(1 - math.Pow(s.Beta2, t))
	c[6] = s.Eps
	c[7] = -s.LR / (1 - math.Pow(s.Beta1, t))
	n := len(params)
	n4 := 0
	if useAVX2 {
		n4 = n &^ 3
		if n4 > 0 {
			adamAVX2(&params[0], &grad[0], &a.m[0], &a.v[0], n4, &c)
		}
	}
	adamScalar(params[n4:], grad[n4:], a.m[n4:n], a.v[n4:n], &c)
	return nil
}

// adamScalar is the update in the order of PyTorch's single-tensor Adam:
// L2 term added to the gradient, decoupled decay applied to the weights,
// m.lerp_(g, 1-β1), v.mul_(β2).addcmul_(g, g, 1-β2), then
// p.addcdiv_(m, √v/√bc2 + eps, -stepSize). The float64 conversions stop the
// compiler from fusing into FMAs, keeping it bit-identical to adamAVX2.
func adamScalar(params, grad, m, v []float64, c *[8]float64) {
	l2, decay, w1, b2, w2, bc2, eps, negStep := c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]
	grad, m, v = grad[:len(params)], m[:len(params)], v[:len(params)]
	for i, p := range params {
		g := grad[i]
		if l2 != 0 {
			g += float64(l2 * p)
		}
		p *= decay
		mi := m[i] + float64(w1*(g-m[i]))
		vi := float64(v[i]*b2) + float64(float64(w2*g)*g)
		denom := math.Sqrt(vi)/bc2 + eps
		params[i] = p + float64(negStep*(mi/denom))
		m[i], v[i] = mi, vi
	}
}

// ClipGradNorm scales grad in place so that its Euclidean norm is at most
// maxNorm, as PyTorch's clip_grad_norm_ (scale maxNorm/(norm+1e-6) when that
// is below 1), and returns the norm before clipping. A NaN or infinite norm
// leaves grad unchanged and returns an error, since a step with it would
// destroy the parameters: lower the learning rate or check the data.
func ClipGradNorm(grad []float64, maxNorm float64) (float64, error) {
	if !(maxNorm > 0) {
		return 0, fmt.Errorf("nn: ClipGradNorm maximum must be positive, got %v", maxNorm)
	}
	var ss float64
	for _, g := range grad {
		ss += g * g
	}
	norm := math.Sqrt(ss)
	if math.IsInf(ss, 1) {
		// The sum of squares overflowed; recompute scaled, rarely.
		var scale float64
		for _, g := range grad {
			scale = max(scale, math.Abs(g))
		}
		if !math.IsInf(scale, 0) {
			ss = 0
			for _, g := range grad {
				ss += (g / scale) * (g / scale)
			}
			norm = scale * math.Sqrt(ss)
		}
	}
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		return norm, fmt.Errorf("nn: gradient norm is %v: lower the learning rate or check inputs and targets for NaN", norm)
	}
	if c := maxNorm / (norm + 1e-6); c < 1 {
		for i := range grad {
			grad[i] *= c
		}
	}
	return norm, nil
}

// EMA keeps an exponential moving average of a parameter vector,
// shadow ← decay·shadow + (1−decay)·params, the weights usually evaluated and
// sampled from after flow-matching training.
type EMA struct {
	// Warmup uses the decay min(decay, (1+k)/(10+k)) at update k, so that
	// the average forgets the initial weights within the first hundreds of
	// steps instead of thousands; short runs then sample from trained
	// weights. It is a setting, not state: set it again after decoding.
	Warmup bool

	decay  float64
	shadow []float64
	steps  int64
}

// NewEMA returns an EMA starting at a copy of params. decay is in [0, 1);
// 0.999 or 0.9999 are usual.
func NewEMA(params []float64, decay float64) (*EMA, error) {
	if !(decay >= 0 && decay < 1) {
		return nil, fmt.Errorf("nn: EMA decay must lie in [0, 1), got %v", decay)
	}
	if len(params) == 0 {
		return nil, fmt.Errorf("nn: EMA of no parameters")
	}
	return &EMA{decay: decay, shadow: append([]float64(nil), params...)}, nil
}

// Decay returns the decay rate.
func (e *EMA) Decay() float64 { return e.decay }

// Steps is the number of updates taken so far.
func (e *EMA) Steps() int64 { return e.steps }

// Update moves the average towards params.
func (e *EMA) Update(params []float64) error {
	if len(params) != len(e.shadow) {
		return fmt.Errorf("nn: EMA is for %d parameters, got %d", len(e.shadow), len(params))
	}
	d := e.decay
	if e.Warmup {
		d = min(d, float64(1+e.steps)/float64(10+e.steps))
	}
	w := 1 - d
	for i, p := range params {
		e.shadow[i] += w * (p - e.shadow[i])
	}
	e.steps++
	return nil
}

// Params returns the averaged parameters themselves; copy them into an
// MLP's Params (or a Clone's) to evaluate the averaged network.
func (e *EMA) Params() []float64 { return e.shadow }
