package icnn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Settings configure a Network; nil means the defaults.
type Settings struct {
	// Hidden are the hidden widths (default 64, 64).
	Hidden []int
	// Rank is the number of columns r of the quadratic term's L (default d;
	// -1 for no quadratic term).
	Rank int
	// Alpha is the strong-convexity constant α > 0 (default 0.01).
	Alpha float64
}

// Network is an input-convex network Ψ (see the package documentation).
// All parameters live in one flat vector (Params), in the order
// A₀, b₀, then for each further hidden layer W_k (raw, before softplus), A_k,
// b_k, then w (raw), a and L (d×r, row-major).
//
// After changing the parameters (an optimiser step), call Refresh: it
// recomputes the non-negative weights and the quadratic form that every
// evaluation uses. A Network is not safe for concurrent modification;
// concurrent evaluations on separate Workspaces are.
type Network struct {
	d, r   int
	hidden []int
	alpha  float64
	params []float64

	aOff, bOff, wOff []int // per hidden layer k: A_k, b_k, W_k (W only k ≥ 1)
	outW, outA, outL int

	// Derived by Refresh.
	wPos  [][]float64 // softplus(W_k), k ≥ 1 (nil for k = 0)
	wSig  [][]float64 // sigmoid(W_k) = softplus'(W_k)
	oPos  []float64   // softplus(w)
	oSig  []float64
	quadQ []float64 // LLᵀ + αI, d×d
}

// New returns a Network on ℝᵈ with weights drawn from rng: A_k and b_k
// uniform on ±1/√fan_in, W_k⁺ uniform on (0, 2/h_{k-1}) so that layers keep
// the scale of their input, a small output layer, a = 0 and L = √(1-α)·I
// (first r columns), so that Ψ starts near ½|x|² and ∇Ψ near the identity.
func New(d int, s *Settings, rng *rand.Rand) (*Network, error) {
	if rng == nil {
		return nil, errors.New("icnn: New needs a *rand.Rand (rand.New(rand.NewPCG(seed, stream)))")
	}
	n, err := newShape(d, s)
	if err != nil {
		return nil, err
	}
	p := n.params
	for k, h := range n.hidden {
		in := d
		if k > 0 {
			prev := n.hidden[k-1]
			w := p[n.wOff[k] : n.wOff[k]+h*prev]
			for i := range w {
				w[i] = softplusInv(2 / float64(prev) * (0.05 + 0.95*rng.Float64()))
			}
			in = d + prev
		}
		bound := 1 / math.Sqrt(float64(in))
		for i := range h * d {
			p[n.aOff[k]+i] = bound * (2*rng.Float64() - 1)
		}
		for i := range h {
			p[n.bOff[k]+i] = bound * (2*rng.Float64() - 1)
		}
	}
	last := n.hidden[len(n.hidden)-1]
	for i := range last {
		p[n.outW+i] = softplusInv(0.1 / float64(last) * (0.05 + 0.95*rng.Float64()))
	}
	diag := math.Sqrt(max(1-n.alpha, 0))
	for i := range min(d, n.r) {
		p[n.outL+i*n.r+i] = diag
	}
	n.Refresh()
	return n, nil
}

func newShape(d int, s *Settings) (*Network, error) {
	set := Settings{Hidden: []int{64, 64}, Alpha: 0.01}
	if s != nil {
		if s.Hidden != nil {
			set.Hidden = s.Hidden
		}
		set.Rank = s.Rank
		if s.Alpha != 0 {
			set.Alpha = s.Alpha
		}
	}
	if d < 1 || d > 1<<16 {
		return nil, fmt.Errorf("icnn: dimension %d: must be in [1, 65536]", d)
	}
	if len(set.Hidden) == 0 {
		return nil, errors.New("icnn: need at least one hidden layer")
	}
	for _, h := range set.Hidden {
		if h < 1 || h > 1<<14 {
			return nil, fmt.Errorf("icnn: hidden width %d: must be in [1, 16384]", h)
		}
	}
	if !(set.Alpha > 0) || math.IsInf(set.Alpha, 0) {
		return nil, fmt.Errorf("icnn: Alpha %v: must be positive and finite (it makes Ψ strongly convex)", set.Alpha)
	}
	switch {
	case set.Rank == 0:
		set.Rank = d
	case set.Rank == -1:
		set.Rank = 0
	case set.Rank < 0 || set.Rank > d:
		return nil, fmt.Errorf("icnn: Rank %d: must be in [1, d=%d], 0 for d, or -1 for no quadratic term", set.Rank, d)
	}
	n := &Network{d: d, r: set.Rank, hidden: slices.Clone(set.Hidden), alpha: set.Alpha}
	total := 0
	K := len(n.hidden)
	n.aOff, n.bOff, n.wOff = make([]int, K), make([]int, K), make([]int, K)
	for k, h := range n.hidden {
		if k > 0 {
			n.wOff[k] = total
			total += h * n.hidden[k-1]
		}
		n.aOff[k] = total
		total += h * d
		n.bOff[k] = total
		total += h
	}
	n.outW = total
	total += n.hidden[K-1]
	n.outA = total
	total += d
	n.outL = total
	total += d * n.r
	n.params = make([]float64, total)
	n.wPos, n.wSig = make([][]float64, K), make([][]float64, K)
	for k := 1; k < K; k++ {
		n.wPos[k] = make([]float64, n.hidden[k]*n.hidden[k-1])
		n.wSig[k] = make([]float64, n.hidden[k]*n.hidden[k-1])
	}
	n.oPos, n.oSig = make([]float64, n.hidden[K-1]), make([]float64, n.hidden[K-1])
	n.quadQ = make([]float64, d*d)
	return n, nil
}

// Dim is the input dimension d.
func (n *Network) Dim() int { return n.d }

// Hidden returns a copy of the hidden widths.
func (n *Network) Hidden() []int { return slices.Clone(n.hidden) }

// Rank is the number of columns of the quadratic term's L.
func (n *Network) Rank() int { return n.r }

// Alpha is the strong-convexity constant: ∇²Ψ ⪰ αI everywhere.
func (n *Network) Alpha() float64 { return n.alpha }

// Params returns the parameter vector itself, not a copy. Call Refresh
// after changing it.
func (n *Network) Params() []float64 { return n.params }

// NumParams is len(Params()).
func (n *Network) NumParams() int { return len(n.params) }

// Clone returns a deep copy.
func (n *Network) Clone() *Network {
	rank := n.r
	if rank == 0 {
		rank = -1 // Settings' spelling of "no quadratic term"
	}
	c, _ := newShape(n.d, &Settings{Hidden: n.hidden, Rank: rank, Alpha: n.alpha})
	copy(c.params, n.params)
	c.Refresh()
	return c
}

// Quadratic returns the quadratic and linear parts of Ψ, Q = LLᵀ + αI
// (d×d) and a: Ψ(x) = ½xᵀQx + a·x + (the hidden layers' convex part). They
// are views, valid until the next Refresh; solvers use them for a first
// guess.
func (n *Network) Quadratic() (q, a []float64) {
	return n.quadQ, n.params[n.outA : n.outA+n.d]
}

// Refresh recomputes what evaluations derive from the parameters: the
// non-negative weights softplus(W) and the quadratic form LLᵀ + αI.
func (n *Network) Refresh() {
	for k := 1; k < len(n.hidden); k++ {
		raw := n.params[n.wOff[k] : n.wOff[k]+len(n.wPos[k])]
		for i, w := range raw {
			n.wPos[k][i], n.wSig[k][i] = softplus(w), sigmoid(w)
		}
	}
	raw := n.params[n.outW : n.outW+len(n.oPos)]
	for i, w := range raw {
		n.oPos[i], n.oSig[i] = softplus(w), sigmoid(w)
	}
	d, r := n.d, n.r
	L := n.params[n.outL : n.outL+d*r]
	for i := range d {
		for j := i; j < d; j++ {
			var s float64
			for c := range r {
				s += L[i*r+c] * L[j*r+c]
			}
			if i == j {
				s += n.alpha
			}
			n.quadQ[i*d+j], n.quadQ[j*d+i] = s, s
		}
	}
}

func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

func softplusInv(y float64) float64 {
	// log(eʸ - 1), written to stay accurate for small and large y.
	if y > 30 {
		return y
	}
	return math.Log(math.Expm1(y))
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// softplusSigmoid returns softplus(x) and its derivative sigmoid(x) with
// one exponential.
func softplusSigmoid(x float64) (sp, sig float64) {
	e := math.Exp(-math.Abs(x))
	sp = max(x, 0) + math.Log1p(e)
	if x >= 0 {
		return sp, 1 / (1 + e)
	}
	return sp, e / (1 + e)
}
