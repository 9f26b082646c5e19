package eulerlag

import (
	"errors"
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/autodiff"
	"github.com/lagc-dev/lagc/runtime/dense"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// programs are the compiled forms of a System, shared by its Evaluators.
type programs struct {
	L *autodiff.Program
	// A computes the acceleration (scalar mass) or [R, M·w] (general mass).
	A *autodiff.Program
	// Jac computes, for tangent directions dx and dv, [∂a/∂x·dx, ∂a/∂v·dv]
	// (scalar mass) or [∂R/∂x·dx, ∂(M·w)/∂x·dx, ∂R/∂v·dv, ∂(M·w)/∂v·dv]
	// with w = a (general mass).
	Jac *autodiff.Program
}

func (s *System) compile() *programs {
	s.once.Do(func() {
		g := s.G
		dx, dv := g.VecVar("dx"), g.VecVar("dv")
		along := func(e *autodiff.Node, in, dir *autodiff.Node) *autodiff.Node {
			return g.JVP(e, map[*autodiff.Node]*autodiff.Node{in: dir})
		}
		p := &programs{L: autodiff.Compile(s.L)}
		if s.A != nil {
			p.A = autodiff.Compile(s.A, s.Mass)
			p.Jac = autodiff.Compile(along(s.A, s.X, dx), along(s.A, s.V, dv))
		} else {
			p.A = autodiff.Compile(s.R, s.MW)
			p.Jac = autodiff.Compile(along(s.R, s.X, dx), along(s.MW, s.X, dx), along(s.R, s.V, dv), along(s.MW, s.V, dv))
		}
		s.progs = p
	})
	return s.progs
}

// machine is a Machine with the slots of the inputs it may read.
type machine struct {
	*autodiff.Machine
	x, v, t, w, dx, dv int
}

func newMachine(p *autodiff.Program, d int, params []Param) machine {
	m := machine{Machine: p.NewMachine(d), x: p.VectorInput("x"), v: p.VectorInput("v"), t: p.ScalarInput("t"),
		w: p.VectorInput("w"), dx: p.VectorInput("dx"), dv: p.VectorInput("dv")}
	for _, q := range params {
		m.SetScalar(p.ScalarInput(q.Name), q.Value)
	}
	return m
}

func (m machine) run(t float64, x, v []float64) {
	m.SetVector(m.x, x)
	m.SetVector(m.v, v)
	m.SetScalar(m.t, t)
	m.Run()
}

// Evaluator evaluates a System at one dimension. It implements
// lagrangian.System, lagrangian.Jacobian and lagrangian.AccelErrer. It is not
// safe for concurrent use; Clone it per goroutine.
type Evaluator struct {
	sys    *System
	d      int
	params []Param
	mL     machine
	mA     machine
	mJ     machine
	// Work buffers for a general mass matrix.
	mass, rhs, e []float64
	a            []float64
	chol         dense.Cholesky // of mass
}

var (
	_ lagrangian.System     = (*Evaluator)(nil)
	_ lagrangian.Jacobian   = (*Evaluator)(nil)
	_ lagrangian.AccelErrer = (*Evaluator)(nil)
)

// Evaluator returns an evaluator of the system at dimension d.
func (s *System) Evaluator(d int) (*Evaluator, error) {
	switch {
	case d < 1:
		return nil, fmt.Errorf("dimension %d: must be at least 1", d)
	case s.Dim > 0 && d != s.Dim:
		return nil, fmt.Errorf("dimension %d: this Lagrangian fixes the dimension to %d", d, s.Dim)
	case d < s.MinDim:
		return nil, fmt.Errorf("dimension %d: this Lagrangian indexes component %d, so it needs d ≥ %d", d, s.MinDim-1, s.MinDim)
	}
	p := s.compile()
	params := append([]Param(nil), s.Params...)
	e := &Evaluator{sys: s, d: d, params: params}
	e.mL = newMachine(p.L, d, params)
	e.mA = newMachine(p.A, d, params)
	e.mJ = newMachine(p.Jac, d, params)
	e.e = make([]float64, d)
	e.a = make([]float64, d)
	if s.A == nil {
		e.mass = make([]float64, d*d)
		e.rhs = make([]float64, d)
	}
	return e, nil
}

// SetParam changes the value of a parameter.
func (e *Evaluator) SetParam(name string, value float64) error {
	for i, q := range e.params {
		if q.Name == name {
			e.params[i].Value = value
			for _, m := range []machine{e.mL, e.mA, e.mJ} {
				m.SetScalar(m.Machine.Program().ScalarInput(name), value)
			}
			return nil
		}
	}
	return fmt.Errorf("no parameter %q", name)
}

// Dim is the dimension.
func (e *Evaluator) Dim() int { return e.d }

// Clone returns an independent evaluator with its own buffers.
func (e *Evaluator) Clone() lagrangian.System {
	c, err := e.sys.Evaluator(e.d)
	if err != nil {
		panic(err) // unreachable: e.d was validated
	}
	for _, q := range e.params {
		_ = c.SetParam(q.Name, q.Value)
	}
	return c
}

// System is the derived system the evaluator evaluates.
func (e *Evaluator) System() *System { return e.sys }

// L evaluates the Lagrangian.
func (e *Evaluator) L(t float64, x, v []float64) float64 {
	e.mL.run(t, x, v)
	return e.mL.Scalar(0)
}

// Accel writes the acceleration into dst; NaN where the mass matrix is
// singular or not positive definite (AccelErr says which).
func (e *Evaluator) Accel(dst []float64, t float64, x, v []float64) {
	_ = e.accel(dst, t, x, v)
}

// AccelErr is Accel with an error naming the cause of a NaN acceleration.
func (e *Evaluator) AccelErr(dst []float64, t float64, x, v []float64) error {
	if err := e.accel(dst, t, x, v); err != nil {
		return err
	}
	for _, ai := range dst[:e.d] {
		if math.IsNaN(ai) || math.IsInf(ai, 0) {
			return fmt.Errorf("%sthe acceleration is not finite at t=%g, x=%v, v=%v (the Lagrangian or its derivatives overflow or are undefined there)", e.where(), t, x, v)
		}
	}
	return nil
}

func (e *Evaluator) where() string {
	if e.sys.Where == "" {
		return ""
	}
	return e.sys.Where + ": "
}

// degenerate is the error for a mass matrix that cannot be inverted.
func (e *Evaluator) degenerate(t float64, x, v []float64, what string) error {
	return fmt.Errorf("%sL is degenerate in v: ∂²L/∂v² is %s at t=%g, x=%v, v=%v; the Euler–Lagrange equations do not determine the acceleration there (try endpoints or parameters away from this point, or a Lagrangian whose kinetic term is positive definite)", e.where(), what, t, x, v)
}

func (e *Evaluator) accel(dst []float64, t float64, x, v []float64) error {
	d := e.d
	e.mA.run(t, x, v)
	if e.sys.A != nil {
		m := e.mA.Scalar(1)
		if !(m > 0) {
			for i := range dst[:d] {
				dst[i] = math.NaN()
			}
			if m == 0 {
				return e.degenerate(t, x, v, "singular (m = 0)")
			}
			return e.degenerate(t, x, v, fmt.Sprintf("not positive definite (m = %g)", m))
		}
		copy(dst[:d], e.mA.Vector(0))
		return nil
	}
	// General mass matrix: assemble M column by column from M·e_j.
	copy(e.rhs, e.mA.Vector(0))
	e.mA.SetVector(e.mA.w, e.e)
	for j := 0; j < d; j++ {
		e.e[j] = 1
		e.mA.Run()
		e.e[j] = 0
		col := e.mA.Vector(1)
		for i := 0; i < d; i++ {
			e.mass[i*d+j] = col[i]
		}
	}
	// Pivots below 1e-13 of the largest diagonal entry are singular to
	// working precision.
	if !e.chol.Factorize(e.mass, d, 1e-13) {
		for i := range dst[:d] {
			dst[i] = math.NaN()
		}
		var pe *dense.PivotError
		errors.As(e.chol.Err(), &pe)
		return e.degenerate(t, x, v, pe.Reason())
	}
	e.chol.Solve(dst[:d], e.rhs)
	return nil
}

// AccelJac writes the acceleration and its Jacobians with respect to x and v
// (row-major d×d), exactly, from the symbolic forward-mode derivatives.
func (e *Evaluator) AccelJac(a, ax, av []float64, t float64, x, v []float64) {
	d := e.d
	if err := e.accel(a, t, x, v); err != nil {
		for i := range ax[:d*d] {
			ax[i], av[i] = math.NaN(), math.NaN()
		}
		return
	}
	m := e.mJ
	m.SetVector(m.x, x)
	m.SetVector(m.v, v)
	m.SetScalar(m.t, t)
	m.SetVector(m.dx, e.e)
	m.SetVector(m.dv, e.e)
	general := e.sys.A == nil
	if general {
		copy(e.a, a[:d])
		m.SetVector(m.w, e.a)
	}
	for j := 0; j < d; j++ {
		e.e[j] = 1
		m.Run()
		e.e[j] = 0
		if !general {
			cx, cv := m.Vector(0), m.Vector(1)
			for i := 0; i < d; i++ {
				ax[i*d+j] = cx[i]
				av[i*d+j] = cv[i]
			}
			continue
		}
		// ∂a = M⁻¹(∂R − (∂M)·a), one column per direction.
		for k, out := range [2][]float64{ax, av} {
			dr, dm := m.Vector(2*k), m.Vector(2*k+1)
			for i := 0; i < d; i++ {
				e.rhs[i] = dr[i] - dm[i]
			}
			e.chol.Solve(e.rhs, e.rhs)
			for i := 0; i < d; i++ {
				out[i*d+j] = e.rhs[i]
			}
		}
	}
}
