package bvp

import (
	"fmt"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// Table is a path evaluated at given physical times, with physical
// velocities dx/dt; its JSON is that of `lagc path`.
type Table struct {
	T          []float64   `json:"t"`
	X          [][]float64 `json:"x"`
	V          [][]float64 `json:"v"`
	Action     float64     `json:"action"`
	Method     string      `json:"method"`
	Iterations int         `json:"iterations"`
}

// Tabulate evaluates a path solved in reduced time s = (t − t0)/(t1 − t0)
// at the physical times ts in [t0, t1], dividing the velocities by t1 − t0.
func (p *Path) Tabulate(ts []float64, t0, t1 float64) (*Table, error) {
	tab := &Table{T: ts, X: make([][]float64, len(ts)), V: make([][]float64, len(ts)), Action: p.Action, Method: p.Method, Iterations: p.Iterations}
	for i, t := range ts {
		tab.X[i], tab.V[i] = make([]float64, p.d), make([]float64, p.d)
		if err := p.At(tab.X[i], tab.V[i], min(1, (t-t0)/(t1-t0))); err != nil {
			return nil, err
		}
		for j := range tab.V[i] {
			tab.V[i][j] /= t1 - t0
		}
	}
	return tab, nil
}

// SolveOn solves the least-action path from x0 at time t0 to x1 at time
// t1 > t0: Solve on the system in reduced time s = (t − t0)/(t1 − t0)
// (lagrangian.OnInterval), so that the Path runs over s ∈ [0, 1];
// Tabulate reads it at physical times.
func SolveOn(sys lagrangian.System, t0, t1 float64, x0, x1 []float64, s *Settings) (*Path, error) {
	in, err := lagrangian.OnInterval(sys, t0, t1)
	if err != nil {
		return nil, err
	}
	p, err := Solve(in, x0, x1, s)
	if err != nil && (t0 != 0 || t1 != 1) {
		return nil, fmt.Errorf("on [%g, %g], in reduced time s = (t − %g)/%g: %w", t0, t1, t0, t1-t0, err)
	}
	return p, err
}
