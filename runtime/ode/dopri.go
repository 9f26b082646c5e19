package ode

import (
	"fmt"
	"math"
)

// Settings control the adaptive integrator. A nil *Settings means the
// defaults listed with each field.
type Settings struct {
	// RelTol and AbsTol bound the local error of each step componentwise:
	// |err_i| ≤ AbsTol + RelTol·|y_i| in the root-mean-square sense.
	// Defaults 1e-6 and 1e-9.
	RelTol, AbsTol float64
	// InitialStep is the first step size; 0 chooses it from the
	// derivatives at the start (Hairer's algorithm).
	InitialStep float64
	// MaxStep caps the step size; 0 means no cap beyond |t1 − t0|.
	MaxStep float64
	// MaxSteps bounds accepted plus rejected steps; default 100000.
	MaxSteps int
}

func (s *Settings) withDefaults() (Settings, error) {
	var out Settings
	if s != nil {
		out = *s
	}
	if out.RelTol == 0 {
		out.RelTol = 1e-6
	}
	if out.AbsTol == 0 {
		out.AbsTol = 1e-9
	}
	if out.MaxSteps == 0 {
		out.MaxSteps = 100000
	}
	switch {
	case !(out.RelTol > 0) || !(out.AbsTol >= 0) || math.IsInf(out.RelTol, 0) || math.IsInf(out.AbsTol, 0):
		return out, fmt.Errorf("ode: tolerances RelTol=%g, AbsTol=%g; they must be positive and finite", out.RelTol, out.AbsTol)
	case out.RelTol < 1e-14:
		return out, fmt.Errorf("ode: RelTol=%g is below what float64 arithmetic can deliver; use 1e-14 or more", out.RelTol)
	case !(out.InitialStep >= 0) || !(out.MaxStep >= 0):
		return out, fmt.Errorf("ode: InitialStep=%g, MaxStep=%g; they must be non-negative (0 = automatic)", out.InitialStep, out.MaxStep)
	case out.MaxSteps < 0:
		return out, fmt.Errorf("ode: MaxSteps=%d; it must be positive (0 = default)", out.MaxSteps)
	}
	return out, nil
}

// Dormand–Prince 5(4) coefficients (Dormand & Prince 1980; Hairer, Nørsett
// & Wanner, Solving ODEs I, Table II.5.2) and the dense-output weights of
// Hairer's DOPRI5 code.
const (
	dpC2, dpC3, dpC4, dpC5 = 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9

	dpA21                      = 1.0 / 5
	dpA31, dpA32               = 3.0 / 40, 9.0 / 40
	dpA41, dpA42, dpA43        = 44.0 / 45, -56.0 / 15, 32.0 / 9
	dpA51, dpA52, dpA53, dpA54 = 19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729
	dpA61, dpA62, dpA63        = 9017.0 / 3168, -355.0 / 33, 46732.0 / 5247
	dpA64, dpA65               = 49.0 / 176, -5103.0 / 18656
	dpA71, dpA73, dpA74        = 35.0 / 384, 500.0 / 1113, 125.0 / 192
	dpA75, dpA76               = -2187.0 / 6784, 11.0 / 84

	dpE1, dpE3, dpE4 = 71.0 / 57600, -71.0 / 16695, 71.0 / 1920
	dpE5, dpE6, dpE7 = -17253.0 / 339200, 22.0 / 525, -1.0 / 40

	dpD1, dpD3, dpD4 = -12715105075.0 / 11282082432, 87487479700.0 / 32700410799, -10690763975.0 / 1880347072
	dpD5, dpD6, dpD7 = 701980252875.0 / 199316789632, -1453857185.0 / 822651844, 69997945.0 / 29380423
)

// DormandPrince integrates with the adaptive Dormand–Prince 5(4) pair
// (the method of MATLAB's ode45 and SciPy's RK45): fifth-order steps, a
// fourth-order error estimate driving the step size, first-same-as-last
// stage reuse (six evaluations per step), and a free fourth-order dense
// output.
type DormandPrince struct {
	set                        Settings
	n                          int
	k1, k2, k3, k4, k5, k6, k7 []float64
	y, ynew, tmp               []float64
}

// NewDormandPrince returns an adaptive integrator for states of dimension
// n; s may be nil for the defaults.
func NewDormandPrince(n int, s *Settings) (*DormandPrince, error) {
	set, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("ode: state dimension %d; it must be at least 1", n)
	}
	buf := make([]float64, 10*n)
	next := func() []float64 { b := buf[:n:n]; buf = buf[n:]; return b }
	return &DormandPrince{set: set, n: n,
		k1: next(), k2: next(), k3: next(), k4: next(), k5: next(), k6: next(), k7: next(),
		y: next(), ynew: next(), tmp: next()}, nil
}

// Dim returns the state dimension dp was made for.
func (dp *DormandPrince) Dim() int { return dp.n }

// Solve integrates y' = fn(t, y) from t0 to t1 (t1 < t0 integrates
// backwards) starting from y0 and writes y(t1) into dst, which may alias y0.
// If dense is not nil, it is overwritten with the interpolant of every
// accepted step, reusing its storage, so dense.At gives y at any t in the
// span. Solve returns the step and evaluation counts, and an error if the
// state stops being finite, the step size underflows (a singularity or a
// stiff problem) or MaxSteps is exceeded.
func (dp *DormandPrince) Solve(dst []float64, dense *Dense, fn Func, t0, t1 float64, y0 []float64) (Stats, error) {
	var st Stats
	n := dp.n
	if len(dst) < n || len(y0) < n {
		return st, fmt.Errorf("ode: state slices have lengths dst=%d, y0=%d; the integrator was made for dimension %d", len(dst), len(y0), n)
	}
	if err := checkSpan(t0, t1); err != nil {
		return st, err
	}
	if err := checkState(t0, y0[:n]); err != nil {
		return st, err
	}
	if dense != nil {
		dense.reset(n, t0)
	}
	y := dp.y
	copy(y, y0[:n])
	if t0 == t1 {
		copy(dst, y)
		return st, nil
	}
	dir := 1.0
	if t1 < t0 {
		dir = -1
	}
	span := math.Abs(t1 - t0)
	hmax := span
	if dp.set.MaxStep > 0 {
		hmax = math.Min(hmax, dp.set.MaxStep)
	}
	rtol, atol := dp.set.RelTol, dp.set.AbsTol

	fn(dp.k1, t0, y)
	st.Evals++
	h := dp.set.InitialStep
	if h == 0 {
		h = dp.initialStep(fn, t0, dir, hmax, &st)
	}
	h = math.Min(h, hmax)
	const (
		safety = 0.9
		facMin = 0.2
		facMax = 10.0
	)
	t := t0
	rejectedLast := false
	for {
		if st.Steps+st.Rejected >= dp.set.MaxSteps {
			return st, fmt.Errorf("ode: %d steps did not reach t=%g from t=%g (stopped at t=%g); raise MaxSteps or loosen the tolerances", dp.set.MaxSteps, t1, t0, t)
		}
		last := false
		if (t1-(t+dir*h))*dir <= 0 || math.Abs(t1-(t+dir*h)) <= 1e-13*span {
			h = math.Abs(t1 - t)
			last = true
		}
		hs := dir * h
		dp.stages(fn, t, hs)
		st.Evals += 6
		var errSum float64
		for i := 0; i < n; i++ {
			e := hs * (dpE1*dp.k1[i] + dpE3*dp.k3[i] + dpE4*dp.k4[i] + dpE5*dp.k5[i] + dpE6*dp.k6[i] + dpE7*dp.k7[i])
			sc := atol + rtol*math.Max(math.Abs(y[i]), math.Abs(dp.ynew[i]))
			errSum += (e / sc) * (e / sc)
		}
		errNorm := math.Sqrt(errSum / float64(n))
		if math.IsNaN(errNorm) || math.IsInf(errNorm, 0) {
			// The trial step left the domain of fn or overflowed: retreat.
			st.Rejected++
			h *= facMin
			rejectedLast = true
			if h < 1e-14*math.Max(math.Abs(t), span) {
				return st, fmt.Errorf("ode: the right-hand side is not finite near t=%g for any step size; check f there", t)
			}
			continue
		}
		if errNorm <= 1 {
			if dense != nil {
				dense.push(dp, t, hs)
			}
			t += hs
			if last {
				t = t1
			}
			copy(y, dp.ynew)
			copy(dp.k1, dp.k7) // first same as last
			st.Steps++
			if last {
				copy(dst, y)
				return st, nil
			}
			fac := facMax
			if errNorm > 0 {
				fac = math.Min(facMax, safety*math.Pow(errNorm, -0.2))
			}
			if rejectedLast {
				fac = math.Min(fac, 1) // do not grow right after a rejection
			}
			h = math.Min(hmax, h*math.Max(facMin, fac))
			rejectedLast = false
			continue
		}
		st.Rejected++
		rejectedLast = true
		h *= math.Max(facMin, safety*math.Pow(errNorm, -0.2))
		if h < 1e-14*math.Max(math.Abs(t), span) {
			return st, fmt.Errorf("ode: step size underflow at t=%g (h=%g); the solution may be singular or the problem stiff there", t, h)
		}
	}
}

// stages evaluates stages 2–7 of a step of size h from (t, dp.y), whose
// derivative is already in k1, and writes the fifth-order result into ynew.
func (dp *DormandPrince) stages(fn Func, t, h float64) {
	y, tmp := dp.y, dp.tmp
	k1, k2, k3, k4, k5, k6, k7 := dp.k1, dp.k2, dp.k3, dp.k4, dp.k5, dp.k6, dp.k7
	for i := range tmp {
		tmp[i] = y[i] + h*dpA21*k1[i]
	}
	fn(k2, t+dpC2*h, tmp)
	for i := range tmp {
		tmp[i] = y[i] + h*(dpA31*k1[i]+dpA32*k2[i])
	}
	fn(k3, t+dpC3*h, tmp)
	for i := range tmp {
		tmp[i] = y[i] + h*(dpA41*k1[i]+dpA42*k2[i]+dpA43*k3[i])
	}
	fn(k4, t+dpC4*h, tmp)
	for i := range tmp {
		tmp[i] = y[i] + h*(dpA51*k1[i]+dpA52*k2[i]+dpA53*k3[i]+dpA54*k4[i])
	}
	fn(k5, t+dpC5*h, tmp)
	for i := range tmp {
		tmp[i] = y[i] + h*(dpA61*k1[i]+dpA62*k2[i]+dpA63*k3[i]+dpA64*k4[i]+dpA65*k5[i])
	}
	fn(k6, t+h, tmp)
	ynew := dp.ynew
	for i := range ynew {
		ynew[i] = y[i] + h*(dpA71*k1[i]+dpA73*k3[i]+dpA74*k4[i]+dpA75*k5[i]+dpA76*k6[i])
	}
	fn(k7, t+h, ynew)
}

// initialStep is Hairer's starting step heuristic (Solving ODEs I, §II.4):
// a step for which an Euler step would have an error near the tolerance.
func (dp *DormandPrince) initialStep(fn Func, t0, dir, hmax float64, st *Stats) float64 {
	y, f0, tmp, f1 := dp.y, dp.k1, dp.tmp, dp.k2
	rtol, atol := dp.set.RelTol, dp.set.AbsTol
	var d0, d1 float64
	for i := range y {
		sc := atol + rtol*math.Abs(y[i])
		d0 += (y[i] / sc) * (y[i] / sc)
		d1 += (f0[i] / sc) * (f0[i] / sc)
	}
	nf := float64(dp.n)
	d0, d1 = math.Sqrt(d0/nf), math.Sqrt(d1/nf)
	h0 := 1e-6
	if d0 >= 1e-5 && d1 >= 1e-5 {
		h0 = 0.01 * d0 / d1
	}
	h0 = math.Min(h0, hmax)
	for i := range tmp {
		tmp[i] = y[i] + dir*h0*f0[i]
	}
	fn(f1, t0+dir*h0, tmp)
	st.Evals++
	var d2 float64
	for i := range y {
		sc := atol + rtol*math.Abs(y[i])
		e := (f1[i] - f0[i]) / sc
		d2 += e * e
	}
	d2 = math.Sqrt(d2/nf) / h0
	var h1 float64
	if m := math.Max(d1, d2); m <= 1e-15 {
		h1 = math.Max(1e-6, h0*1e-3)
	} else {
		h1 = math.Pow(0.01/m, 1.0/5)
	}
	h := math.Min(100*h0, h1)
	if math.IsNaN(h) || h <= 0 {
		h = h0
	}
	return math.Min(h, hmax)
}
