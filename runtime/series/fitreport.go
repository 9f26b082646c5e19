package series

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/plot"
)

// ParseBound reads the bounds of one parameter written NAME=LO:HI; -Inf
// and Inf stand for no bound.
func ParseBound(s string) (name string, lo, hi float64, err error) {
	name, rng, ok := strings.Cut(s, "=")
	l, h, ok2 := strings.Cut(rng, ":")
	name = strings.TrimSpace(name)
	if !ok || !ok2 || name == "" {
		return "", 0, 0, fmt.Errorf("want NAME=LO:HI, got %q", s)
	}
	lo, err1 := strconv.ParseFloat(strings.TrimSpace(l), 64)
	hi, err2 := strconv.ParseFloat(strings.TrimSpace(h), 64)
	if err1 != nil || err2 != nil || math.IsNaN(lo) || math.IsNaN(hi) || lo > hi {
		return "", 0, 0, fmt.Errorf("bounds %q: want numbers LO ≤ HI (-Inf and Inf allowed)", rng)
	}
	return name, lo, hi, nil
}

// FitBounds returns the bounds of the named parameters: those the
// Lagrangian declares (or none), replaced by the entries of override.
func FitBounds(sys *eulerlag.System, names []string, override map[string][2]float64) (lo, hi []float64) {
	lo, hi = make([]float64, len(names)), make([]float64, len(names))
	for i, n := range names {
		lo[i], hi[i] = math.Inf(-1), math.Inf(1)
		for _, p := range sys.Params {
			if p.Name == n {
				lo[i], hi[i] = p.Lower, p.Upper // declared in the file, or ±Inf
			}
		}
		if b, ok := override[n]; ok {
			lo[i], hi[i] = b[0], b[1]
		}
	}
	return lo, hi
}

// Identifiable reports whether the data identified the named parameter.
func (r *FitResult) Identifiable(name string) bool { return !slices.Contains(r.Unidentifiable, name) }

// Value returns the fitted (or kept) value of the named parameter.
func (r *FitResult) Value(name string) float64 {
	if i := slices.Index(r.Names, name); i >= 0 {
		return r.Values[i]
	}
	return math.NaN()
}

// Identified returns the fitted values of the identifiable parameters, the
// ones worth writing back into the Lagrangian.
func (r *FitResult) Identified() map[string]float64 {
	vals := map[string]float64{}
	for i, n := range r.Names {
		if r.Identifiable(n) {
			vals[n] = r.Values[i]
		}
	}
	return vals
}

// FitReport is the JSON of a fit; unidentifiable parameters are null.
type FitReport struct {
	Params      map[string]*float64 `json:"params"`
	Loss        float64             `json:"loss"`
	InitialLoss float64             `json:"initial_loss"`
	Iterations  int                 `json:"iterations"`
	Seconds     float64             `json:"seconds"`
}

// Report returns the result as a FitReport, with the time it took.
func (r *FitResult) Report(seconds float64) *FitReport {
	j := &FitReport{Params: map[string]*float64{}, Loss: r.Loss, InitialLoss: r.InitialLoss, Iterations: r.Iterations, Seconds: seconds}
	for i, n := range r.Names {
		j.Params[n] = nil
		if r.Identifiable(n) {
			j.Params[n] = &r.Values[i]
		}
	}
	return j
}

// WriteTable prints one line per parameter (fitted and initial value) and
// a line with the loss and the work done.
func (r *FitResult) WriteTable(w io.Writer, seconds float64) error {
	for i, n := range r.Names {
		note := ""
		if !r.Identifiable(n) {
			note = "  (not identifiable: kept)"
		}
		fmt.Fprintf(w, "%s = %.6g  (initial %.6g)%s\n", n, r.Values[i], r.Initial[i], note)
	}
	_, err := fmt.Fprintf(w, "loss %.6g (initial %.6g), %d iterations, %d evaluations, %.1f s\n", r.Loss, r.InitialLoss, r.Iterations, r.Evaluations, seconds)
	return err
}

// MaxProfileSteps bounds the points of a loss profile.
const MaxProfileSteps = 10000

// LossProfile is the fitting loss along one parameter, the others held.
// Its fields are in the order of its JSON keys.
type LossProfile struct {
	Loss   []float64 `json:"loss"`
	Param  string    `json:"param"`
	Values []float64 `json:"values"`
}

// ParseProfile reads a profile request NAME=LO:HI:STEPS: STEPS evenly
// spaced values of parameter NAME from LO to HI.
func ParseProfile(s string) (name string, values []float64, err error) {
	name, rest, ok := strings.Cut(s, "=")
	parts := strings.Split(rest, ":")
	if !ok || len(parts) != 3 {
		return "", nil, errors.New("want NAME=LO:HI:STEPS")
	}
	lo, err1 := strconv.ParseFloat(parts[0], 64)
	hi, err2 := strconv.ParseFloat(parts[1], 64)
	steps, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || !(lo <= hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || steps < 1 || steps > MaxProfileSteps {
		return "", nil, fmt.Errorf("want finite LO ≤ HI and 1 ≤ STEPS ≤ %d", MaxProfileSteps)
	}
	values = make([]float64, steps)
	for k := range values {
		values[k] = lo
		if steps > 1 {
			values[k] = lo + (hi-lo)*float64(k)/float64(steps-1)
		}
	}
	return strings.TrimSpace(name), values, nil
}

// FitProfile computes the loss along parameter name at values, the fitted
// parameters names at their values in res (the Lagrangian's own without a
// fit: res nil).
func FitProfile(sys *eulerlag.System, ser *Series, names []string, res *FitResult, name string, values []float64, leaveOut int) (*LossProfile, error) {
	pnames := append([]string(nil), names...)
	if !slices.Contains(pnames, name) {
		pnames = append(pnames, name)
	}
	obj, err := NewObjective(sys, ser, pnames, leaveOut, nil)
	if err != nil {
		return nil, err
	}
	theta := obj.Initial()
	if res != nil {
		copy(theta, res.Values)
	}
	loss, err := Profile(obj, theta, slices.Index(pnames, name), values)
	if err != nil {
		return nil, err
	}
	return &LossProfile{Param: name, Values: values, Loss: loss}, nil
}

// WriteTable prints the profile as two columns, the parameter and the loss.
func (p *LossProfile) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "%-12s %s\n", p.Param, "loss")
	for k := range p.Values {
		if _, err := fmt.Fprintf(w, "%-12.6g %.6g\n", p.Values[k], p.Loss[k]); err != nil {
			return err
		}
	}
	return nil
}

// Plot draws the profile to a .png or .svg file.
func (p *LossProfile) Plot(file string) error {
	return plot.Curve(file, p.Values, p.Loss, p.Param, "loss", &plot.Settings{Title: "fitting loss along " + p.Param})
}

// CheckDim returns an error unless the Lagrangian of file can describe
// the series' points: its fixed dimension, or its minimum, fits the
// number of feature columns.
func CheckDim(file string, sys *eulerlag.System, ser *Series) error {
	if sys.Dim > 0 && sys.Dim != ser.D {
		return fmt.Errorf("%s fixes the dimension to %d but the snapshots have %d feature columns", file, sys.Dim, ser.D)
	}
	if ser.D < sys.MinDim {
		return fmt.Errorf("%s needs dimension ≥ %d but the snapshots have %d feature columns", file, sys.MinDim, ser.D)
	}
	return nil
}
