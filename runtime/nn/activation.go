package nn

import (
	"fmt"
	"math"
)

// Activation is an element-wise nonlinearity applied after a hidden layer.
type Activation uint8

// The activations. Identity is what the output layer always uses.
const (
	Identity Activation = iota
	SELU
	SiLU
	ReLU
	Tanh
	numActivations
)

var activationNames = [numActivations]string{"identity", "selu", "silu", "relu", "tanh"}

func (a Activation) String() string {
	if a < numActivations {
		return activationNames[a]
	}
	return fmt.Sprintf("Activation(%d)", uint8(a))
}

// ParseActivation returns the Activation named s ("selu", "silu", "relu",
// "tanh" or "identity"), as printed by String.
func ParseActivation(s string) (Activation, error) {
	for i, name := range activationNames {
		if s == name {
			return Activation(i), nil
		}
	}
	return 0, fmt.Errorf("nn: unknown activation %q (want one of selu, silu, relu, tanh, identity)", s)
}

func (a Activation) valid() bool { return a < numActivations }

// SELU constants from Klambauer et al. (2017), as in PyTorch.
const (
	seluScale      = 1.0507009873554804934193349852946
	seluAlpha      = 1.6732632423543772848170429916717
	seluScaleAlpha = seluScale * seluAlpha
)

// Arguments of exp are clamped to ±expLimit: exp(-708) ≈ 3e-308 is still
// normal and exp(708) finite, and activations are flat well before either.
const expLimit = 708

// expKernel is exp(x) for x in [-expLimit, expLimit], accurate to a few ulp.
// It is the scalar twin of the EXP macro in act_amd64.s and performs the
// same operations in the same order, so both give identical bits: the
// activations do not depend on whether the assembly is in use.
func expKernel(x float64) float64 {
	const (
		shift = 0x1.8p52 // adding it rounds to an integer held in the low bits
		log2e = 1.4426950408889634
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
	)
	kd := math.FMA(x, log2e, shift)
	bits := math.Float64bits(kd)
	kd -= shift
	r := math.FMA(kd, -ln2Hi, x)
	r = math.FMA(kd, -ln2Lo, r)
	p := expTaylor[12]
	for i := 11; i >= 0; i-- {
		p = math.FMA(p, r, expTaylor[i])
	}
	return p * math.Float64frombits((bits+1023)<<52)
}

// expTaylor[k] = 1/k!.
var expTaylor = [13]float64{
	1, 1, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
	1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600,
}

// apply overwrites z with act(z) and writes act'(z) to d (len(d) ≥ len(z)).
// Computing the derivative here, where exp is already at hand, lets backward
// and forward-mode passes reuse it without another transcendental call.
func (a Activation) apply(z, d []float64) {
	d = d[:len(z)]
	if useAVX2 && len(z)%4 == 0 && len(z) > 0 {
		switch a {
		case SELU:
			seluAVX2(&z[0], &d[0], len(z))
			return
		case SiLU:
			siluAVX2(&z[0], &d[0], len(z))
			return
		case Tanh:
			tanhAVX2(&z[0], &d[0], len(z))
			return
		case ReLU:
			reluAVX2(&z[0], &d[0], len(z))
			return
		}
	}
	switch a {
	case Identity:
		for i := range d {
			d[i] = 1
		}
	case SELU:
		for i, x := range z {
			z[i], d[i] = selu(x)
		}
	case SiLU:
		for i, x := range z {
			z[i], d[i] = silu(x)
		}
	case ReLU:
		for i, x := range z {
			z[i], d[i] = relu(x)
		}
	case Tanh:
		for i, x := range z {
			z[i], d[i] = tanh(x)
		}
	}
}

// The scalar activations below return the value and the derivative; each
// matches its AVX2 kernel bit for bit, NaN passing through as NaN.

func selu(x float64) (y, dy float64) {
	if x > 0 {
		return seluScale * x, seluScale
	}
	e := expKernel(max(min(x, 0), -expLimit))
	return math.FMA(e, seluScaleAlpha, -seluScaleAlpha), seluScaleAlpha * e
}

func silu(x float64) (y, dy float64) {
	e := expKernel(min(max(-x, -expLimit), expLimit))
	s := 1 / (1 + e)
	if x < -expLimit {
		s = 0 // e^x underflows; without this the clamp would leave s ≈ 3e-308
	}
	return x * s, s * math.FMA(x, 1-s, 1)
}

func tanh(x float64) (y, dy float64) {
	e := expKernel(min(max(x+x, -expLimit), expLimit))
	t := 1 - 2/(e+1)
	return t, math.FMA(-t, t, 1)
}

func relu(x float64) (y, dy float64) {
	if x > 0 || x != x {
		return x, 1
	}
	return 0, 0
}
