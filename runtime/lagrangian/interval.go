package lagrangian

import (
	"fmt"
	"math"
)

// IntervalSystem is implemented by Systems that know a better form of
// themselves on a physical interval than the generic rescaling of
// OnInterval, typically one with a closed form.
type IntervalSystem interface {
	OnInterval(ta, tb float64) (System, error)
}

// OnInterval returns sys seen on the physical time interval [ta, tb] through
// the reduced time s = (t − ta)/T, T = tb − ta: the System
//
//	L̃(s, x, x′) = T·L(ta + T·s, x, x′/T),  ã(s, x, x′) = T²·a(ta + T·s, x, x′/T),
//
// on [0, 1]. Its least-action path from x0 to x1 is the path of L from
// x(ta) = x0 to x(tb) = x1 with t = ta + T·s and ẋ = x′/T, its action equals
// ∫ L dt over [ta, tb], and conjugate points in (ta, tb] appear as conjugate
// points in (0, 1]. Every solver written for [0, 1] thus serves any
// interval, and a time-dependent Lagrangian sees absolute time.
//
// The result implements Jacobian and AccelErrer when sys does. Closed forms
// stay closed forms: Systems implementing IntervalSystem provide their own,
// and other ClosedForm Systems (generated code) get one rebuilt from the
// rescaled acceleration when it is affine and free of t. [0, 1] returns sys
// itself.
func OnInterval(sys System, ta, tb float64) (System, error) {
	if err := checkInterval(ta, tb); err != nil {
		return nil, err
	}
	if ta == 0 && tb == 1 {
		return sys, nil
	}
	if is, ok := sys.(IntervalSystem); ok {
		return is.OnInterval(ta, tb)
	}
	in, err := NewInterval(sys, ta, tb)
	if err != nil {
		return nil, err
	}
	if _, ok := sys.(ClosedForm); ok {
		if c := closedOnInterval(in); c != nil {
			return c, nil
		}
	}
	return in, nil
}

// NewInterval is OnInterval without the IntervalSystem shortcut: always the
// generic rescaling, which has no closed form.
func NewInterval(sys System, ta, tb float64) (System, error) {
	if sys == nil {
		return nil, fmt.Errorf("no system to put on an interval")
	}
	if err := checkInterval(ta, tb); err != nil {
		return nil, err
	}
	in := &Interval{sys: sys, ta: ta, tb: tb, span: tb - ta, v: make([]float64, sys.Dim())}
	if _, ok := sys.(Jacobian); ok {
		return &intervalJac{in}, nil
	}
	return in, nil
}

func checkInterval(ta, tb float64) error {
	if math.IsNaN(ta) || math.IsNaN(tb) || math.IsInf(ta, 0) || math.IsInf(tb, 0) {
		return fmt.Errorf("time interval [%g, %g]: the times must be finite", ta, tb)
	}
	if !(tb > ta) {
		return fmt.Errorf("time interval [%g, %g]: the end must come after the start", ta, tb)
	}
	return nil
}

// Interval is a System on a physical interval in reduced time (see
// OnInterval). It is not safe for concurrent use; Clone it.
type Interval struct {
	sys          System
	ta, tb, span float64
	v            []float64 // x′/T
}

// Bounds returns the physical interval [ta, tb].
func (in *Interval) Bounds() (ta, tb float64) { return in.ta, in.tb }

// Inner returns the System on physical time.
func (in *Interval) Inner() System { return in.sys }

// Dim is the dimension.
func (in *Interval) Dim() int { return in.sys.Dim() }

func (in *Interval) physical(s float64, xp []float64) float64 {
	for i, w := range xp[:len(in.v)] {
		in.v[i] = w / in.span
	}
	return in.ta + in.span*s
}

// L is T·L(ta + T·s, x, x′/T).
func (in *Interval) L(s float64, x, xp []float64) float64 {
	t := in.physical(s, xp)
	return in.span * in.sys.L(t, x, in.v)
}

// Accel writes T²·a(ta + T·s, x, x′/T) into dst.
func (in *Interval) Accel(dst []float64, s float64, x, xp []float64) {
	t := in.physical(s, xp)
	in.sys.Accel(dst, t, x, in.v)
	scale(dst[:len(in.v)], in.span*in.span)
}

// AccelErr is Accel with the inner System's explanation of a non-finite
// acceleration, which names the physical time.
func (in *Interval) AccelErr(dst []float64, s float64, x, xp []float64) error {
	t := in.physical(s, xp)
	d := len(in.v)
	if ae, ok := in.sys.(AccelErrer); ok {
		if err := ae.AccelErr(dst, t, x, in.v); err != nil {
			return err
		}
	} else {
		in.sys.Accel(dst, t, x, in.v)
		for _, a := range dst[:d] {
			if math.IsNaN(a) || math.IsInf(a, 0) {
				return fmt.Errorf("the acceleration is not finite at t=%g, x=%v, v=%v", t, x, in.v)
			}
		}
	}
	scale(dst[:d], in.span*in.span)
	return nil
}

// Clone returns an independent copy with its own buffers.
func (in *Interval) Clone() System {
	c, _ := NewInterval(in.sys.Clone(), in.ta, in.tb)
	return c
}

// intervalJac adds the Jacobians: ∂ã/∂x = T²·∂a/∂x, ∂ã/∂x′ = T·∂a/∂v.
type intervalJac struct{ *Interval }

func (in intervalJac) AccelJac(a, ax, av []float64, s float64, x, xp []float64) {
	t := in.physical(s, xp)
	d := len(in.v)
	in.sys.(Jacobian).AccelJac(a, ax, av, t, x, in.v)
	t2 := in.span * in.span
	scale(a[:d], t2)
	scale(ax[:d*d], t2)
	scale(av[:d*d], in.span)
}

func scale(x []float64, c float64) {
	for i := range x {
		x[i] *= c
	}
}
