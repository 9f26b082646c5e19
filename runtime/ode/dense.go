package ode

import (
	"fmt"
	"sort"
)

// Dense is the continuous output of an adaptive solve: on each accepted
// step, Dormand–Prince's free fourth-order interpolant (Hairer's DOPRI5
// dense output). Reusing a Dense across solves reuses its storage.
type Dense struct {
	n     int
	t     []float64 // step boundaries, monotone, len steps+1
	coef  []float64 // per step: 5 vectors of n (y0, Δy, and three shape terms)
	steps int
}

func (d *Dense) reset(n int, t0 float64) {
	d.n = n
	d.t = append(d.t[:0], t0)
	d.coef = d.coef[:0]
	d.steps = 0
}

// push records the interpolant of the step of size h from t, whose stages
// are in dp and result in dp.ynew.
func (d *Dense) push(dp *DormandPrince, t, h float64) {
	n := d.n
	start := len(d.coef)
	need := start + 5*n
	if cap(d.coef) < need {
		grown := make([]float64, start, 2*need)
		copy(grown, d.coef)
		d.coef = grown
	}
	d.coef = d.coef[:need]
	r := d.coef[start:need]
	r1, r2, r3, r4, r5 := r[:n], r[n:2*n], r[2*n:3*n], r[3*n:4*n], r[4*n:]
	for i := 0; i < n; i++ {
		y0, y1 := dp.y[i], dp.ynew[i]
		dy := y1 - y0
		bspl := h*dp.k1[i] - dy
		r1[i] = y0
		r2[i] = dy
		r3[i] = bspl
		r4[i] = dy - h*dp.k7[i] - bspl
		r5[i] = h * (dpD1*dp.k1[i] + dpD3*dp.k3[i] + dpD4*dp.k4[i] + dpD5*dp.k5[i] + dpD6*dp.k6[i] + dpD7*dp.k7[i])
	}
	d.t = append(d.t, t+h)
	d.steps++
}

// Span returns the time interval the interpolant covers, in the direction
// of integration.
func (d *Dense) Span() (t0, t1 float64) {
	if len(d.t) == 0 {
		return 0, 0
	}
	return d.t[0], d.t[len(d.t)-1]
}

// Steps returns the number of steps recorded.
func (d *Dense) Steps() int { return d.steps }

// At writes y(t) into dst (length at least the state dimension). It
// returns an error if t lies outside the solved span.
func (d *Dense) At(dst []float64, t float64) error {
	if d.steps == 0 {
		if len(d.t) == 1 && t == d.t[0] {
			return fmt.Errorf("ode: dense output of an empty span [%g, %g] cannot be evaluated; use the solve's result", t, t)
		}
		return fmt.Errorf("ode: dense output is empty; pass it to DormandPrince.Solve first")
	}
	if len(dst) < d.n {
		return fmt.Errorf("ode: dst has length %d, want %d", len(dst), d.n)
	}
	t0, t1 := d.Span()
	forward := t1 > t0
	lo, hi := t0, t1
	if !forward {
		lo, hi = t1, t0
	}
	if !(t >= lo && t <= hi) {
		return fmt.Errorf("ode: t=%g is outside the solved span [%g, %g]", t, lo, hi)
	}
	// Find step s with t in [t_s, t_{s+1}].
	var s int
	if forward {
		s = sort.Search(d.steps, func(i int) bool { return d.t[i+1] >= t })
	} else {
		s = sort.Search(d.steps, func(i int) bool { return d.t[i+1] <= t })
	}
	if s >= d.steps {
		s = d.steps - 1
	}
	n := d.n
	r := d.coef[5*n*s : 5*n*(s+1)]
	theta := (t - d.t[s]) / (d.t[s+1] - d.t[s])
	theta1 := 1 - theta
	for i := 0; i < n; i++ {
		dst[i] = r[i] + theta*(r[n+i]+theta1*(r[2*n+i]+theta*(r[3*n+i]+theta1*r[4*n+i])))
	}
	return nil
}
