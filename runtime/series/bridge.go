package series

import (
	"errors"
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/bvp"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/ot"
)

// Settings tune couplings and path solves. A nil *Settings means the
// defaults.
type Settings struct {
	// BVPTol is the accuracy of numeric least-action paths; 0 means 1e-8,
	// far below sampling noise and faster than bvp's default. Transport
	// costs are solved to max(BVPTol, 1e-6): couplings do not change below
	// that.
	BVPTol float64
	// Refresh is how far (relative change of any parameter) a fit may move
	// before the couplings of a Lagrangian without closed form are solved
	// again; in between they are held, as they are piecewise constant in
	// the parameters. 0 means 0.05; negative means at every evaluation.
	// Closed forms recompute (or provably reuse) their couplings every time.
	Refresh float64
}

func (s *Settings) bvp() *bvp.Settings {
	if s == nil || s.BVPTol == 0 {
		return &bvp.Settings{Tol: 1e-8}
	}
	return &bvp.Settings{Tol: s.BVPTol}
}

func (s *Settings) costBVP() *bvp.Settings {
	b := s.bvp()
	b.Tol = max(b.Tol, 1e-6)
	return b
}

func (s *Settings) refresh() float64 {
	if s == nil || s.Refresh == 0 {
		return 0.05
	}
	return s.Refresh
}

// Bridge is the least-action interpolation between two snapshots observed
// at ta < tb: pairs (X0_f, X1_f) of an optimal coupling for c_L on [ta, tb],
// each carrying the mass Mass_f, each moving along its least-action path.
type Bridge struct {
	Ta, Tb float64
	D      int
	X0, X1 []float64 // pair f is X0[f*D:(f+1)*D] → X1[f*D:(f+1)*D]
	Mass   []float64 // masses sum to 1
	// From and To index the pair's points in the two snapshots.
	From, To []int

	sys   lagrangian.System // on [ta, tb], reduced time
	cf    lagrangian.ClosedForm
	paths []*bvp.Path
}

// Pairs is the number of coupled pairs.
func (b *Bridge) Pairs() int { return len(b.Mass) }

// Couple couples the na points a observed at ta with the nb points b
// observed at tb (uniform weights on each) by exact optimal transport with
// the least action of sys on [ta, tb] as cost, and solves the pairs' paths.
// Equal counts give a permutation; unequal counts a sparse plan (at most
// na+nb−1 pairs).
func Couple(sys lagrangian.System, a []float64, na int, b []float64, nb int, ta, tb float64, s *Settings) (*Bridge, error) {
	in, err := lagrangian.OnInterval(sys, ta, tb)
	if err != nil {
		return nil, err
	}
	flows, err := coupling(in, a, na, b, nb, s, nil)
	if err != nil {
		return nil, err
	}
	return newBridge(in, a, b, ta, tb, flows, s)
}

func newBridge(in lagrangian.System, a, b []float64, ta, tb float64, flows []ot.Flow, s *Settings) (*Bridge, error) {
	d := in.Dim()
	br := &Bridge{Ta: ta, Tb: tb, D: d, sys: in, X0: make([]float64, 0, len(flows)*d), X1: make([]float64, 0, len(flows)*d),
		Mass: make([]float64, len(flows)), From: make([]int, len(flows)), To: make([]int, len(flows))}
	for f, fl := range flows {
		br.X0 = append(br.X0, a[fl.I*d:(fl.I+1)*d]...)
		br.X1 = append(br.X1, b[fl.J*d:(fl.J+1)*d]...)
		br.Mass[f], br.From[f], br.To[f] = fl.Mass, fl.I, fl.J
	}
	if cf, ok := in.(lagrangian.ClosedForm); ok {
		br.cf = cf
		return br, nil
	}
	paths, err := bvp.SolveBatch(in, br.X0, br.X1, len(flows), s.bvp())
	if err != nil {
		return nil, fmt.Errorf("least-action paths on [%g, %g]: %w", ta, tb, err)
	}
	br.paths = paths
	return br, nil
}

// At writes the positions of the pairs at time t in [Ta, Tb] into dst
// (Pairs()×D) and, when vel is not nil, their velocities dx/dt.
func (b *Bridge) At(dst, vel []float64, t float64) error {
	if !(t >= b.Ta && t <= b.Tb) {
		return fmt.Errorf("time %g outside the bridge's interval [%g, %g]", t, b.Ta, b.Tb)
	}
	d, T := b.D, b.Tb-b.Ta
	s := min(1, (t-b.Ta)/T)
	for f := range b.Mass {
		var v []float64
		if vel != nil {
			v = vel[f*d : (f+1)*d]
		}
		var err error
		if b.cf != nil {
			err = b.cf.Path(dst[f*d:(f+1)*d], v, s, b.X0[f*d:(f+1)*d], b.X1[f*d:(f+1)*d])
		} else {
			err = b.paths[f].At(dst[f*d:(f+1)*d], v, s)
		}
		if err != nil {
			return err
		}
		for i := range v {
			v[i] /= T // reduced time → physical time
		}
	}
	return nil
}

// couplingCache remembers the last coupling made from a quadratic action's
// cross term K: a positive multiple of K gives the same coupling.
type couplingCache struct {
	k     []float64
	flows []ot.Flow
	// theta is where a numeric coupling was solved (nil: none).
	theta []float64
}

// coupling returns an optimal coupling of a and b for the least action of
// in (on [0, 1] in reduced time) with uniform weights.
func coupling(in lagrangian.System, a []float64, na int, b []float64, nb int, s *Settings, cache *couplingCache) ([]ot.Flow, error) {
	d := in.Dim()
	if len(a) != na*d || len(b) != nb*d || na < 1 || nb < 1 {
		return nil, fmt.Errorf("coupling %d and %d points in dimension %d: have %d and %d values", na, nb, d, len(a), len(b))
	}
	if err := checkPairs(na, nb); err != nil {
		return nil, err
	}
	cost := make([]float64, na*nb)
	var k []float64
	if cf, ok := in.(lagrangian.ClosedForm); ok {
		// A closed form that fails, fails for every pair (a conjugate
		// point): say so once.
		zero := make([]float64, d)
		if _, err := cf.Action(zero, zero); err != nil {
			return nil, fmt.Errorf("%w (in reduced time s = (t − ta)/(tb − ta), where a frequency ω becomes ω·(tb − ta))", err)
		}
		k, ok = crossTerm(cf, d)
		if ok && cache != nil && cache.k != nil && proportional(k, cache.k) {
			return cache.flows, nil
		}
		if ok {
			// c_L(x, y) = xᵀK y + f(x) + g(y): only the cross term
			// decides which pairing is optimal.
			for i := 0; i < na; i++ {
				x := a[i*d : (i+1)*d]
				for j := 0; j < nb; j++ {
					y := b[j*d : (j+1)*d]
					var c float64
					for p := 0; p < d; p++ {
						kp := k[p*d : (p+1)*d]
						var r float64
						for q, yq := range y {
							r += kp[q] * yq
						}
						c += x[p] * r
					}
					cost[i*nb+j] = c
				}
			}
		} else {
			k = nil
		}
	}
	if k == nil && cache != nil && cache.theta != nil && cache.k == nil {
		return cache.flows, nil // the caller decided the held coupling is current
	}
	if k == nil {
		if err := bvp.CostMatrix(cost, in, a, na, b, nb, s.costBVP()); err != nil {
			// A few pairs whose least-action path the solvers cannot find
			// (far apart across an obstacle, say) are left out of the
			// coupling rather than failing it; many mean a problem.
			var be *bvp.BatchError
			if !errors.As(err, &be) || len(be.Failed)*20 > na*nb {
				return nil, fmt.Errorf("transport costs: %w", err)
			}
			for _, pe := range be.Failed {
				cost[pe.I*nb+pe.J] = math.Inf(1)
			}
		}
	}
	var flows []ot.Flow
	if na == nb {
		perm := make([]int, na)
		if _, err := ot.Assign(perm, cost, na, nil); err != nil {
			return nil, err
		}
		flows = make([]ot.Flow, na)
		for i, j := range perm {
			flows[i] = ot.Flow{I: i, J: j, Mass: 1 / float64(na)}
		}
	} else {
		var err error
		if flows, _, err = ot.Plan(nil, cost, na, nb, nil, nil, nil); err != nil {
			return nil, err
		}
	}
	if cache != nil {
		cache.k, cache.flows = k, flows
	}
	return flows, nil
}

// crossTerm returns K = ∂²c/∂x0∂x1 (d×d, row-major) when the least action
// is a quadratic function of the endpoints, as it is for the usual linear
// closed forms (but not for every Lagrangian with linear Euler–Lagrange
// equations: L = exp(v) has straight paths and action exp(x1 − x0)). The
// quadratic form is checked at other points before it is trusted.
func crossTerm(cf lagrangian.ClosedForm, d int) ([]float64, bool) {
	x, y := make([]float64, d), make([]float64, d)
	c := func() float64 {
		v, err := cf.Action(x, y)
		if err != nil {
			return math.NaN()
		}
		return v
	}
	k := make([]float64, d*d)
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			var s float64
			for _, sx := range [2]float64{1, -1} {
				for _, sy := range [2]float64{1, -1} {
					x[i], y[j] = sx, sy
					s += sx * sy * c()
					x[i], y[j] = 0, 0
				}
			}
			k[i*d+j] = s / 4
		}
	}
	// Check c(a,b) + c(a′,b′) − c(a,b′) − c(a′,b) = (a − a′)ᵀK(b − b′).
	for trial := 0; trial < 2; trial++ {
		pt := func(dst []float64, seed float64) {
			for i := range dst {
				dst[i] = 1.7 * math.Sin(seed+1.3*float64(i)+float64(trial))
			}
		}
		a, a2, b, b2 := make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
		pt(a, 0.3)
		pt(a2, 2.1)
		pt(b, 4.4)
		pt(b2, 5.9)
		eval := func(p, q []float64) float64 { copy(x, p); copy(y, q); return c() }
		got := eval(a, b) + eval(a2, b2) - eval(a, b2) - eval(a2, b)
		var want, scale float64
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				term := (a[i] - a2[i]) * k[i*d+j] * (b[j] - b2[j])
				want += term
				scale += math.Abs(term)
			}
		}
		if !(math.Abs(got-want) <= 1e-8*(1+scale)) {
			return nil, false
		}
	}
	return k, true
}

// proportional reports k = λ·k0 with λ > 0, to rounding.
func proportional(k, k0 []float64) bool {
	var kk, k0k0, kk0 float64
	for i := range k {
		kk += k[i] * k[i]
		k0k0 += k0[i] * k0[i]
		kk0 += k[i] * k0[i]
	}
	if !(kk0 > 0) {
		return false
	}
	lambda := kk0 / k0k0
	for i := range k {
		if math.Abs(k[i]-lambda*k0[i]) > 1e-12*math.Sqrt(kk) {
			return false
		}
	}
	return true
}

// maxPairs caps the dense cost matrices of exact transport (8 bytes each):
// 2²⁷ entries are 1 GiB.
const maxPairs = 1 << 27

func checkPairs(n, m int) error {
	if n > maxPairs/max(m, 1) {
		return fmt.Errorf("exact transport between %d and %d points needs a %d×%d cost matrix (%.1f GiB); subsample the snapshots (at most about %d points per time)", n, m, n, m, float64(n)*float64(m)*8/(1<<30), int(math.Sqrt(maxPairs)))
	}
	return nil
}
