package eulerlag

import (
	"fmt"
	"math"
	"sync"

	"github.com/lagc-dev/lagc/autodiff"
)

// graphMu serialises the derivations that add nodes to a System's graph
// after it was built (parameter derivatives), which may be asked for from
// several goroutines.
var graphMu sync.Mutex

// AccelParams evaluates the derivatives ∂a/∂θ of the acceleration with
// respect to named parameters θ, symbolically derived (forward mode over
// the same graph), at the current parameter values of an Evaluator. With a
// general mass matrix M, a = M⁻¹R gives ∂a/∂θ = M⁻¹(∂R/∂θ − (∂M/∂θ)·a).
//
// These drive the sensitivity equations of least-action paths (how a path
// moves when a parameter changes), used to fit parameters to data. An
// AccelParams shares its Evaluator's state and is not safe for concurrent
// use.
type AccelParams struct {
	ev    *Evaluator
	names []string
	used  []bool // the acceleration depends on parameter k at all
	outs  []int  // first output of parameter k
	vec   []bool // output k is a vector (else a broadcast scalar)
	m     machine
	a     []float64
}

// AccelParams returns an evaluator of ∂a/∂θ for the named parameters, in
// that order. Unknown names are an error; parameters the acceleration does
// not depend on have zero derivatives (Used reports them).
func (e *Evaluator) AccelParams(names []string) (*AccelParams, error) {
	s := e.sys
	known := map[string]bool{}
	for _, p := range s.Params {
		known[p.Name] = true
	}
	for _, n := range names {
		if !known[n] {
			return nil, fmt.Errorf("no parameter %q in this Lagrangian", n)
		}
	}
	graphMu.Lock()
	defer graphMu.Unlock()
	g := s.G
	p := &AccelParams{ev: e, names: append([]string(nil), names...), used: make([]bool, len(names)),
		outs: make([]int, len(names)), a: make([]float64, e.d)}
	var outputs []*autodiff.Node
	add := func(n *autodiff.Node) {
		p.vec = append(p.vec, n.IsVector())
		outputs = append(outputs, n)
	}
	for k, name := range names {
		th := g.Var(name)
		p.outs[k] = len(outputs)
		if s.A != nil {
			if !s.A.DependsOn(th) {
				continue
			}
			p.used[k] = true
			add(g.Deriv(s.A, th))
			continue
		}
		if !s.R.DependsOn(th) && !s.MW.DependsOn(th) {
			continue
		}
		p.used[k] = true
		add(g.Deriv(s.R, th))
		add(g.Deriv(s.MW, th))
	}
	if len(outputs) == 0 {
		outputs = append(outputs, g.Const(0))
	}
	p.m = newMachine(autodiff.Compile(outputs...), e.d, e.params)
	return p, nil
}

// Names returns the parameters differentiated, in order.
func (p *AccelParams) Names() []string { return p.names }

// Used reports whether the acceleration depends on parameter k at all.
func (p *AccelParams) Used(k int) bool { return p.used[k] }

// Eval writes the acceleration into a (len d) and ∂a/∂θ_k into
// da[k*d:(k+1)*d] for each parameter k, at the evaluator's current
// parameter values. It fails where the acceleration is undefined.
func (p *AccelParams) Eval(a, da []float64, t float64, x, v []float64) error {
	e := p.ev
	d := e.d
	if len(a) < d || len(da) < len(p.names)*d {
		return fmt.Errorf("AccelParams.Eval: need %d and %d values, have %d and %d", d, len(p.names)*d, len(a), len(da))
	}
	if err := e.accel(a, t, x, v); err != nil {
		return err
	}
	for _, q := range e.params {
		p.m.SetScalar(p.m.Program().ScalarInput(q.Name), q.Value)
	}
	general := e.sys.A == nil
	if general {
		copy(p.a, a[:d])
		p.m.SetVector(p.m.w, p.a)
	}
	p.m.run(t, x, v)
	out := func(i int) []float64 {
		if p.vec[i] {
			return p.m.Vector(i)
		}
		return nil
	}
	for k := range p.names {
		dst := da[k*d : (k+1)*d]
		if !p.used[k] {
			clear(dst)
			continue
		}
		i := p.outs[k]
		fill := func(dst []float64, i int) {
			if o := out(i); o != nil {
				copy(dst, o)
				return
			}
			c := p.m.Scalar(i)
			for j := range dst {
				dst[j] = c
			}
		}
		fill(dst, i)
		if general {
			// ∂a/∂θ = M⁻¹(∂R/∂θ − (∂M/∂θ)·a); e.chol holds M's Cholesky
			// factors from the accel call above.
			dm := e.rhs
			fill(dm, i+1)
			for j := range dst {
				dst[j] -= dm[j]
			}
			e.chol.Solve(dst, dst)
		}
		for _, z := range dst {
			if math.IsNaN(z) || math.IsInf(z, 0) {
				return fmt.Errorf("%s∂a/∂%s is not finite at t=%g, x=%v, v=%v", e.where(), p.names[k], t, x, v)
			}
		}
	}
	return nil
}
