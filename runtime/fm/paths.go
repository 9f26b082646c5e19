package fm

import (
	"github.com/lagc-dev/lagc/runtime/bvp"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// Paths gives least-action paths and costs of a Lagrangian: from its closed
// form when it has one, else from the boundary-value solver, one solve per
// pair, spread over the cores (bvp.CostMatrix, bvp.SolveBatch).
type Paths struct {
	sys     lagrangian.System
	cf      lagrangian.ClosedForm // nil when the paths are numeric
	set     *bvp.Settings
	costSet *bvp.Settings
}

// CostTol is the boundary-value tolerance of cost matrices. The action is
// stationary, so its error is second order in the path's: at 1e-6 the
// bump's costs moved by at most 1.6e-10 from those at 1e-10 and every
// assignment was the same (128×128, 8gaussians → moons), at 2.3× less
// time per pair.
const CostTol = 1e-6

// NewPaths prepares path solving for sys; set tunes the numeric solver of
// the training paths (nil: defaults, tolerance 1e-10). Cost matrices use
// the same settings with the tolerance CostTol.
func NewPaths(sys lagrangian.System, set *bvp.Settings) *Paths {
	cf, _ := sys.(lagrangian.ClosedForm)
	cs := bvp.Settings{}
	if set != nil {
		cs = *set
	}
	cs.Tol = CostTol
	return &Paths{sys: sys, cf: cf, set: set, costSet: &cs}
}

// Closed reports whether paths come from a closed form.
func (p *Paths) Closed() bool { return p.cf != nil }

// System is the Lagrangian whose paths these are.
func (p *Paths) System() lagrangian.System { return p.sys }

// Cost fills dst (n×m, row-major) with the least actions c_L(x0_i, x1_j).
func (p *Paths) Cost(dst, x0 []float64, n int, x1 []float64, m int) error {
	return bvp.CostMatrix(dst, p.sys, x0, n, x1, m, p.costSet)
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
