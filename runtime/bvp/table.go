package bvp

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
