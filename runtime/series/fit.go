package series

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// Objective is the fitting loss of named parameters θ of a Lagrangian on
// a series: the mean over interior kept times k of
//
//	W2²(interpolation at t_k from the kept neighbours of k, snapshot k),
//
// with its gradient. The couplings are piecewise constant in θ, so they are
// held fixed; the matching term is differentiated by Danskin's theorem (the
// optimal matching held fixed); the predicted points' derivatives
// ∂x(t_k)/∂θ come from the sensitivity equations of the least-action paths
// (forward mode through the boundary-value problem, driven by the symbolic
// ∂a/∂θ) or, for closed forms, from central differences of the exact
// closed-form paths, which cost a few evaluations of a formula.
type Objective struct {
	sys   *eulerlag.System
	ser   *Series
	names []string
	terms []*term
	set   *Settings
	// Evaluations counts calls of Loss.
	Evaluations int
}

type term struct {
	a, k, b int
	ev      lagrangian.System // the Lagrangian at dimension d
	fd      lagrangian.System // a second instance for closed-form differences
	base    *eulerlag.Evaluator
	ap      *eulerlag.AccelParams
	cache   couplingCache

	loss float64
	grad []float64
	gn   []float64 // Gauss–Newton matrix Σ_f w_f y_f y_fᵀ
	err  error
}

type paramSetter interface {
	SetParam(name string, value float64) error
}

// NewObjective returns the loss of the named parameters of sys on ser.
// leaveOut, if positive, is an interior time left out entirely (0 and
// negative mean none: time 0 is never interior).
func NewObjective(sys *eulerlag.System, ser *Series, names []string, leaveOut int, s *Settings) (*Objective, error) {
	if len(names) == 0 {
		return nil, errors.New("no parameters to fit")
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			return nil, fmt.Errorf("parameter %q named twice", n)
		}
		seen[n] = true
	}
	var kept []int
	for k := 0; k < ser.Len(); k++ {
		if k == leaveOut && leaveOut > 0 {
			continue
		}
		kept = append(kept, k)
	}
	if leaveOut > 0 && (leaveOut >= ser.Len()-1) {
		return nil, fmt.Errorf("left-out time %d is not interior: the series has times 0..%d, interior 1..%d", leaveOut, ser.Len()-1, ser.Len()-2)
	}
	if len(kept) < 3 {
		return nil, fmt.Errorf("fitting needs at least 3 kept times (an interior one to predict), have %d", len(kept))
	}
	o := &Objective{sys: sys, ser: ser, names: append([]string(nil), names...), set: s}
	for i := 1; i+1 < len(kept); i++ {
		t := &term{a: kept[i-1], k: kept[i], b: kept[i+1], grad: make([]float64, len(names)), gn: make([]float64, len(names)*len(names))}
		var err error
		if t.ev, err = sys.Instantiate(ser.D); err != nil {
			return nil, err
		}
		t.fd = t.ev.Clone()
		switch e := t.ev.(type) {
		case *eulerlag.ClosedEvaluator:
			t.base = e.Evaluator
		case *eulerlag.Evaluator:
			t.base = e
		}
		if t.ap, err = t.base.AccelParams(names); err != nil {
			return nil, err
		}
		o.terms = append(o.terms, t)
	}
	return o, nil
}

// Names are the parameters, in the order of θ.
func (o *Objective) Names() []string { return o.names }

// Initial returns the parameters' values in the Lagrangian.
func (o *Objective) Initial() []float64 {
	out := make([]float64, len(o.names))
	for i, n := range o.names {
		for _, p := range o.sys.Params {
			if p.Name == n {
				out[i] = p.Value
			}
		}
	}
	return out
}

// Loss returns the loss at θ and, when grad is not nil, writes its
// gradient there.
func (o *Objective) Loss(grad, theta []float64) (float64, error) {
	loss, _, err := o.eval(grad, nil, theta)
	return loss, err
}

// LossGN returns the loss at θ, its gradient (into grad) and its
// Gauss–Newton matrix 2G (into hess, P×P), the curvature of the matching
// term with the couplings and matchings held (see GaussNewton).
func (o *Objective) LossGN(grad, hess, theta []float64) (float64, error) {
	loss, _, err := o.eval(grad, hess, theta)
	for i := range hess {
		hess[i] *= 2
	}
	return loss, err
}

// GaussNewton returns the Gauss–Newton matrix G = Σ_k Σ_f w_f y_f y_fᵀ
// (P×P, row-major) of the predicted points' sensitivities y_f = ∂x_f/∂θ,
// averaged over the interior times, and the predictions' mean squared
// spread as its scale. A null direction of G is a change of parameters
// that moves no predicted point.
func (o *Objective) GaussNewton(theta []float64) (g []float64, spread float64, err error) {
	g = make([]float64, len(o.names)*len(o.names))
	_, spread, err = o.eval(make([]float64, len(o.names)), g, theta)
	return g, spread, err
}

func (o *Objective) eval(grad, gn, theta []float64) (float64, float64, error) {
	if len(theta) != len(o.names) {
		return 0, 0, fmt.Errorf("%d parameter values for %d parameters", len(theta), len(o.names))
	}
	for i, v := range theta {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, 0, fmt.Errorf("parameter %s = %g is not finite", o.names[i], v)
		}
	}
	o.Evaluations++
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var spread float64
	var mu sync.Mutex
	for _, t := range o.terms {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			sp := 0.0
			t.loss, sp, t.err = o.evalTerm(t, theta, grad != nil, gn != nil)
			mu.Lock()
			spread += sp
			mu.Unlock()
			<-sem
		}()
	}
	wg.Wait()
	var loss float64
	nt := float64(len(o.terms))
	clear(grad)
	clear(gn)
	for _, t := range o.terms {
		if t.err != nil {
			return math.NaN(), 0, t.err
		}
		loss += t.loss / nt
		for i := range grad {
			grad[i] += t.grad[i] / nt
		}
		for i := range gn {
			gn[i] += t.gn[i] / nt
		}
	}
	return loss, spread / nt, nil
}

func setParams(sys lagrangian.System, names []string, theta []float64) error {
	ps, ok := sys.(paramSetter)
	if !ok {
		return errors.New("this Lagrangian's parameters cannot be changed")
	}
	for i, n := range names {
		if err := ps.SetParam(n, theta[i]); err != nil {
			return fmt.Errorf("parameter %s = %g: %w", n, theta[i], err)
		}
	}
	return nil
}

func (o *Objective) evalTerm(t *term, theta []float64, wantGrad, wantGN bool) (float64, float64, error) {
	ser, d := o.ser, o.ser.D
	ta, tk, tb := ser.Times[t.a], ser.Times[t.k], ser.Times[t.b]
	if err := setParams(t.ev, o.names, theta); err != nil {
		return 0, 0, err
	}
	in, err := lagrangian.OnInterval(t.ev, ta, tb)
	if err != nil {
		return 0, 0, err
	}
	if _, closed := in.(lagrangian.ClosedForm); !closed && !t.cache.current(theta, o.set.refresh()) {
		t.cache.theta = nil // solve the coupling again, here
	}
	flows, err := coupling(in, ser.Points[t.a], ser.Count(t.a), ser.Points[t.b], ser.Count(t.b), o.set, &t.cache)
	if _, closed := in.(lagrangian.ClosedForm); !closed && t.cache.theta == nil {
		t.cache.theta = append([]float64(nil), theta...)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("coupling times %g and %g: %w", ta, tb, err)
	}
	br, err := newBridge(in, ser.Points[t.a], ser.Points[t.b], ta, tb, flows, o.set)
	if err != nil {
		return 0, 0, err
	}
	nf := br.Pairs()
	pred := make([]float64, nf*d)
	if err := br.At(pred, nil, tk); err != nil {
		return 0, 0, err
	}
	q := ser.Points[t.k]
	loss, plan, err := match(pred, br.Mass, q, ser.Count(t.k), d, true)
	if err != nil {
		return 0, 0, err
	}
	if !wantGrad {
		return loss, 0, nil
	}
	// Danskin: ∂/∂p_f Σ π_fj |p_f − q_j|² = 2 Σ_j π_fj (p_f − q_j).
	gf := make([]float64, nf*d)
	for _, fl := range plan {
		for i := 0; i < d; i++ {
			gf[fl.I*d+i] += 2 * fl.Mass * (pred[fl.I*d+i] - q[fl.J*d+i])
		}
	}
	P := len(o.names)
	sens := make([]float64, nf*P*d) // pair f: P rows of d
	if br.cf != nil {
		err = o.closedSensitivity(sens, t, br, theta, tk)
	} else {
		err = o.numericSensitivity(sens, t, br, ta, tk, tb)
	}
	if err != nil {
		return 0, 0, err
	}
	clear(t.grad)
	clear(t.gn)
	var mean []float64
	var spread float64
	if wantGN {
		mean = make([]float64, d)
		for f := 0; f < nf; f++ {
			for i := 0; i < d; i++ {
				mean[i] += br.Mass[f] * pred[f*d+i]
			}
		}
	}
	for f := 0; f < nf; f++ {
		y := sens[f*P*d : (f+1)*P*d]
		for p := 0; p < P; p++ {
			var s float64
			for i := 0; i < d; i++ {
				s += gf[f*d+i] * y[p*d+i]
			}
			t.grad[p] += s
		}
		if wantGN {
			for p := 0; p < P; p++ {
				for r := 0; r < P; r++ {
					var s float64
					for i := 0; i < d; i++ {
						s += y[p*d+i] * y[r*d+i]
					}
					t.gn[p*P+r] += br.Mass[f] * s
				}
			}
			for i := 0; i < d; i++ {
				r := pred[f*d+i] - mean[i]
				spread += br.Mass[f] * r * r
			}
		}
	}
	return loss, spread, nil
}

// closedSensitivity differentiates the closed-form positions of the fixed
// pairs by central differences in each parameter.
func (o *Objective) closedSensitivity(sens []float64, t *term, br *Bridge, theta []float64, tk float64) error {
	d, P, nf := br.D, len(o.names), br.Pairs()
	s := (tk - br.Ta) / (br.Tb - br.Ta)
	th := append([]float64(nil), theta...)
	x := make([]float64, d)
	for p := 0; p < P; p++ {
		if !t.ap.Used(p) {
			continue // exactly zero
		}
		h := 1e-6 * max(1, math.Abs(theta[p]))
		for _, sign := range [2]float64{1, -1} {
			th[p] = theta[p] + sign*h
			if err := setParams(t.fd, o.names, th); err != nil {
				return err
			}
			in, err := lagrangian.OnInterval(t.fd, br.Ta, br.Tb)
			if err != nil {
				return err
			}
			cf, ok := in.(lagrangian.ClosedForm)
			if !ok {
				return errors.New("the closed form disappeared under a small parameter change")
			}
			for f := 0; f < nf; f++ {
				if err := cf.Path(x, nil, s, br.X0[f*d:(f+1)*d], br.X1[f*d:(f+1)*d]); err != nil {
					return err
				}
				y := sens[(f*P+p)*d : (f*P+p+1)*d]
				for i := range x {
					y[i] += sign * x[i] / (2 * h)
				}
			}
		}
		th[p] = theta[p]
	}
	return nil
}

// numericSensitivity solves the sensitivity equations along every pair's
// numeric path.
func (o *Objective) numericSensitivity(sens []float64, t *term, br *Bridge, ta, tk, tb float64) error {
	d, P := br.D, len(o.names)
	T := tb - ta
	for f, path := range br.paths {
		at := func(x, v []float64, tt float64) error {
			if err := path.At(x, v, min(1, max(0, (tt-ta)/T))); err != nil {
				return err
			}
			for i := range v {
				v[i] /= T
			}
			return nil
		}
		if err := sensitivity(sens[f*P*d:(f+1)*P*d], t.base, t.ap, at, ta, tk, tb); err != nil {
			return err
		}
	}
	return nil
}

// current reports whether a held numeric coupling may serve at theta: no
// parameter moved by more than the fraction refresh of its scale.
func (c *couplingCache) current(theta []float64, refresh float64) bool {
	if c.theta == nil || refresh < 0 {
		return false
	}
	for i, v := range theta {
		if math.Abs(v-c.theta[i]) > refresh*max(1, math.Abs(c.theta[i])) {
			return false
		}
	}
	return true
}

// Refresh makes the next evaluation solve every coupling again.
func (o *Objective) Refresh() {
	for _, t := range o.terms {
		t.cache = couplingCache{}
	}
}

// closed reports whether every path of the objective has a closed form.
func (o *Objective) closed() bool {
	for _, t := range o.terms {
		if _, ok := t.ev.(*eulerlag.ClosedEvaluator); !ok {
			return false
		}
	}
	return true
}
