package fm

import (
	"github.com/lagc-dev/lagc/runtime/bvp"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// Paths gives least-action paths and costs of a Lagrangian: from its closed
// form when it has one, else from the boundary-value solver, one solve per
// pair, spread over the cores (bvp.CostMatrix, bvp.SolveBatch).
type Paths struct {
	sys lagrangian.System
	cf  lagrangian.ClosedForm // nil when the paths are numeric
	set *bvp.Settings
}

// NewPaths prepares path solving for sys; set tunes the numeric solver (nil:
// defaults).
func NewPaths(sys lagrangian.System, set *bvp.Settings) *Paths {
	cf, _ := sys.(lagrangian.ClosedForm)
	return &Paths{sys: sys, cf: cf, set: set}
}

// Closed reports whether paths come from a closed form.
func (p *Paths) Closed() bool { return p.cf != nil }

// System is the Lagrangian whose paths these are.
func (p *Paths) System() lagrangian.System { return p.sys }

// Cost fills dst (n×m, row-major) with the least actions c_L(x0_i, x1_j).
func (p *Paths) Cost(dst, x0 []float64, n int, x1 []float64, m int) error {
	return bvp.CostMatrix(dst, p.sys, x0, n, x1, m, p.set)
}

// Solve solves the paths between the rows of x0 and x1 (n pairs). Closed
// forms need no solving: it then returns nil paths and the trainer uses the
// endpoints.
func (p *Paths) Solve(x0, x1 []float64, n int) ([]*bvp.Path, error) {
	if p.cf != nil {
		return nil, nil
	}
	return bvp.SolveBatch(p.sys, x0, x1, n, p.set)
}
