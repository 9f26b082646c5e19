package series

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/lagc-dev/lagc/eulerlag"
)

// FitSettings tune Fit. A nil *FitSettings means the defaults.
type FitSettings struct {
	// Lower and Upper bound each parameter (in the order of the names);
	// nil means the bounds the Lagrangian declares (param w = 0.5 in
	// [0, 3]), ±Inf entries mean unbounded.
	Lower, Upper []float64
	// Starts is the number of starting points: the Lagrangian's own values
	// first, then random points in the bounds (or around the values when
	// unbounded). Default 3.
	Starts int
	// MaxIter bounds the iterations of each start. Default 40.
	MaxIter int
	// LeaveOut, if positive, is an interior time left out of the fit.
	LeaveOut int
	// Optimizer is GaussNewton (the default) or LBFGS.
	Optimizer string
	// Seed draws the extra starting points.
	Seed uint64
	// Series tunes couplings and path solves.
	Series *Settings
}

// Optimizers of Fit.
const (
	// GaussNewton takes projected Levenberg–Marquardt steps with the
	// Gauss–Newton matrix of the matching term, which the sensitivities
	// give for free: few evaluations.
	GaussNewton = "gauss-newton"
	// LBFGS is projected L-BFGS on the gradient alone.
	LBFGS = "lbfgs"
)

// FitResult is the outcome of Fit.
type FitResult struct {
	Names   []string
	Values  []float64 // the fitted values (unidentifiable ones keep their initial value)
	Initial []float64
	// Loss and InitialLoss are the loss at Values and at Initial.
	Loss, InitialLoss float64
	// Iterations counts optimizer iterations over all starts; Evaluations
	// the loss evaluations.
	Iterations, Evaluations int
	// Unidentifiable lists the parameters along a direction that moves no
	// predicted point (at the optimum and at a point nearby): the data
	// cannot tell their values apart, so Values holds their initial values
	// rather than an arbitrary point of the flat valley.
	Unidentifiable []string
}

// Fit fits the named parameters of sys to the series by minimising the
// Objective from several starting points, then checks identifiability.
func Fit(sys *eulerlag.System, ser *Series, names []string, s *FitSettings) (*FitResult, error) {
	if s == nil {
		s = &FitSettings{}
	}
	starts, maxIter := s.Starts, s.MaxIter
	if starts == 0 {
		starts = 3
	}
	if maxIter == 0 {
		maxIter = 40
	}
	if starts < 1 || maxIter < 1 {
		return nil, errors.New("the number of starts and of iterations must be positive")
	}
	var minimize func(x, lo, hi []float64) (float64, int, error)
	obj, err := NewObjective(sys, ser, names, s.LeaveOut, s.Series)
	if err != nil {
		return nil, err
	}
	switch s.Optimizer {
	case "", GaussNewton:
		minimize = func(x, lo, hi []float64) (float64, int, error) { return gaussNewtonBox(obj.LossGN, x, lo, hi, maxIter) }
	case LBFGS:
		minimize = func(x, lo, hi []float64) (float64, int, error) { return minimizeBox(obj.Loss, x, lo, hi, maxIter) }
	default:
		return nil, fmt.Errorf("optimizer %q: want %s or %s", s.Optimizer, GaussNewton, LBFGS)
	}
	P := len(names)
	lo, hi := make([]float64, P), make([]float64, P)
	for i := range lo {
		lo[i], hi[i] = math.Inf(-1), math.Inf(1)
		for _, p := range sys.Params {
			// A declared range holds its value; a Param built by hand
			// without bounds (zero Lower and Upper) does not count.
			if p.Name == names[i] && p.Lower <= p.Value && p.Value <= p.Upper {
				lo[i], hi[i] = p.Lower, p.Upper
			}
		}
		if s.Lower != nil {
			lo[i] = s.Lower[i]
		}
		if s.Upper != nil {
			hi[i] = s.Upper[i]
		}
		if math.IsNaN(lo[i]) || math.IsNaN(hi[i]) || lo[i] > hi[i] {
			return nil, fmt.Errorf("parameter %s: bounds [%g, %g] are empty", names[i], lo[i], hi[i])
		}
	}
	init := obj.Initial()
	for i, v := range init {
		init[i] = min(hi[i], max(lo[i], v))
	}
	res := &FitResult{Names: obj.Names(), Initial: append([]float64(nil), init...)}
	if res.InitialLoss, err = obj.Loss(nil, init); err != nil {
		return nil, fmt.Errorf("the loss at the initial parameters: %w", err)
	}
	rng := rand.New(rand.NewPCG(s.Seed, 0x5e71e5))
	best := math.Inf(1)
	var bestX []float64
	var firstErr error
	for st := 0; st < starts; st++ {
		x := append([]float64(nil), init...)
		if st > 0 {
			for i := range x {
				switch {
				case !math.IsInf(lo[i], 0) && !math.IsInf(hi[i], 0):
					x[i] = lo[i] + rng.Float64()*(hi[i]-lo[i])
				default:
					x[i] = min(hi[i], max(lo[i], init[i]+max(1, math.Abs(init[i]))*rng.NormFloat64()*0.5))
				}
			}
		}
		fx, it, err := minimize(x, lo, hi)
		res.Iterations += it
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if fx < best {
			best, bestX = fx, x
		}
	}
	if bestX == nil {
		return nil, fmt.Errorf("no starting point gave a finite loss: %w", firstErr)
	}
	if !obj.closed() {
		// The couplings were held between refreshes: polish with them
		// solved at the best point, then score with current couplings.
		obj.Refresh()
		_, it, err := minimize(bestX, lo, hi)
		res.Iterations += it
		if err != nil {
			return nil, err
		}
		obj.Refresh()
		if best, err = obj.Loss(nil, bestX); err != nil {
			return nil, err
		}
	}
	res.Values, res.Loss = bestX, best
	flat, err := unidentifiable(obj, bestX, lo, hi)
	if err != nil {
		return nil, err
	}
	for _, i := range flat {
		res.Unidentifiable = append(res.Unidentifiable, names[i])
		res.Values[i] = init[i]
	}
	if len(flat) > 0 {
		if res.Loss, err = obj.Loss(nil, res.Values); err != nil {
			return nil, err
		}
	}
	res.Evaluations = obj.Evaluations
	return res, nil
}

// unidentifiable returns the parameters with a weight above 0.3 in a null
// direction of the Gauss–Newton matrix both at θ and at a point nearby.
// Checking two points tells a structurally flat direction (a mass that
// only scales L; a product a·b of which only the product matters) from a
// parameter whose effect merely starts at second order where it is fitted
// (ω in ω², at ω = 0).
func unidentifiable(obj *Objective, theta, lo, hi []float64) ([]int, error) {
	P := len(theta)
	flatAt := func(th []float64) ([]bool, error) {
		g, spread, err := obj.GaussNewton(th)
		if err != nil {
			return nil, err
		}
		// Scale each parameter by its magnitude so that the threshold is
		// relative: G_ij·s_i·s_j is the squared motion of the points for a
		// relative change of the parameters.
		sc := make([]float64, P)
		for i := range sc {
			sc[i] = max(1, math.Abs(th[i]))
		}
		sym := mat.NewSymDense(P, nil)
		for i := 0; i < P; i++ {
			for j := i; j < P; j++ {
				sym.SetSym(i, j, 0.5*(g[i*P+j]+g[j*P+i])*sc[i]*sc[j])
			}
		}
		var eig mat.EigenSym
		if !eig.Factorize(sym, true) {
			return nil, errors.New("identifiability: eigen-decomposition failed")
		}
		vals := eig.Values(nil)
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		thr := 1e-10 * max(spread, 1e-12)
		flat := make([]bool, P)
		for k, lam := range vals {
			if lam > thr {
				continue
			}
			for i := 0; i < P; i++ {
				if math.Abs(vecs.At(i, k)) > 0.3 {
					flat[i] = true
				}
			}
		}
		return flat, nil
	}
	a, err := flatAt(theta)
	if err != nil {
		return nil, err
	}
	any := false
	for _, f := range a {
		any = any || f
	}
	if !any {
		return nil, nil
	}
	near := make([]float64, P)
	for i := range near {
		sign := 1.0
		if i%2 == 1 {
			sign = -1
		}
		near[i] = theta[i] + sign*0.1*max(1, math.Abs(theta[i]))
		if near[i] > hi[i] || near[i] < lo[i] {
			near[i] = theta[i] - sign*0.1*max(1, math.Abs(theta[i]))
		}
		near[i] = min(hi[i], max(lo[i], near[i]))
	}
	b, err := flatAt(near)
	if err != nil {
		return nil, err
	}
	var out []int
	for i := range a {
		if a[i] && b[i] {
			out = append(out, i)
		}
	}
	return out, nil
}

// Profile returns the loss at theta with parameter i set to each of
// values in turn, the others held.
func Profile(obj *Objective, theta []float64, i int, values []float64) ([]float64, error) {
	if i < 0 || i >= len(theta) {
		return nil, fmt.Errorf("profile of parameter %d of %d", i, len(theta))
	}
	th := append([]float64(nil), theta...)
	out := make([]float64, len(values))
	for k, v := range values {
		th[i] = v
		l, err := obj.Loss(nil, th)
		if err != nil {
			return nil, fmt.Errorf("%s = %g: %w", obj.names[i], v, err)
		}
		out[k] = l
	}
	return out, nil
}
