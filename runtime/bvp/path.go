package bvp

import (
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// Path is a solved least-action path x(t), t in [0, 1].
type Path struct {
	// Method is how it was found: ClosedForm, Collocation, Shooting or
	// MultipleShooting.
	Method string
	// Iterations counts Newton (or two-grid) iterations; 0 for a closed form.
	Iterations int
	// Residual says how well the path solves the problem. For shooting it
	// is the boundary residual |x(1) − x1| of the path as integrated; for
	// multiple shooting, the norm of all matching defects at the segment
	// boundaries too. Collocation meets both endpoints exactly, so there it
	// is the largest Euler–Lagrange defect |ẍ − a(t, x, ẋ)|∞ between the
	// nodes (an acceleration, which moves the path by at most about an
	// eighth of it). For a closed form, |x(1) − x1| as evaluated.
	Residual float64
	// ErrorEstimate estimates the largest error of x(t) and v(t): for
	// collocation from the Chebyshev tail, for shooting DOP853's local
	// error estimates summed over the steps; 0 for a closed form.
	ErrorEstimate float64
	// Steps is the number of intervals of the path's Chebyshev grid.
	Steps int
	// Action is ∫₀¹ L dt along the path, the cost c_L(x0, x1).
	Action float64

	d      int
	t      []float64 // Chebyshev–Lobatto nodes
	xv     []float64 // (x, v) at the nodes, 2d per row
	cf     lagrangian.ClosedForm
	x0, x1 []float64
}

// Dim returns the dimension of the path's positions.
func (p *Path) Dim() int { return p.d }

// At writes the position and velocity at time t in [0, 1] into x and v
// (each of length Dim(); either may be nil to skip it). Numeric paths are
// interpolated through the Chebyshev nodes of the solve, with its accuracy;
// At does not allocate and only reads p, so goroutines may share a Path. A
// closed-form path evaluates through the System it was solved with, so it
// must not run concurrently with other uses of that System.
func (p *Path) At(x, v []float64, t float64) error {
	if p == nil || p.d == 0 {
		return fmt.Errorf("bvp: empty Path; solve one first")
	}
	if !(t >= 0 && t <= 1) {
		return fmt.Errorf("bvp: t=%g outside [0, 1]", t)
	}
	if (x != nil && len(x) < p.d) || (v != nil && len(v) < p.d) {
		return fmt.Errorf("bvp: x and v need length %d, have %d and %d", p.d, len(x), len(v))
	}
	d := p.d
	if p.cf != nil {
		var buf [64]float64
		xt, vt := x, v
		if xt == nil || vt == nil {
			if 2*d > len(buf) {
				s := make([]float64, 2*d)
				if xt == nil {
					xt = s[:d]
				}
				if vt == nil {
					vt = s[d:]
				}
			} else {
				if xt == nil {
					xt = buf[:d]
				}
				if vt == nil {
					vt = buf[d : 2*d]
				}
			}
		}
		return p.cf.Path(xt, vt, t, p.x0, p.x1)
	}
	// Barycentric formula of the second kind, accumulated straight into x
	// and v: no buffer, so At neither allocates nor writes to p, and many
	// goroutines may evaluate one Path at once.
	ts, n := p.t, len(p.t)-1
	for k, tk := range ts {
		if t == tk {
			if x != nil {
				copy(x, p.xv[k*2*d:k*2*d+d])
			}
			if v != nil {
				copy(v, p.xv[k*2*d+d:(k+1)*2*d])
			}
			return nil
		}
	}
	for i := 0; i < d; i++ {
		if x != nil {
			x[i] = 0
		}
		if v != nil {
			v[i] = 0
		}
	}
	var den float64
	for k, tk := range ts {
		w := 1 / (t - tk)
		if k%2 == 1 {
			w = -w
		}
		if k == 0 || k == n {
			w /= 2
		}
		den += w
		row := p.xv[k*2*d : (k+1)*2*d]
		if x != nil {
			for i, r := range row[:d] {
				x[i] += w * r
			}
		}
		if v != nil {
			for i, r := range row[d:] {
				v[i] += w * r
			}
		}
	}
	for i := 0; i < d; i++ {
		if x != nil {
			x[i] /= den
		}
		if v != nil {
			v[i] /= den
		}
	}
	return nil
}

// Nodes returns the times of the path's interpolation nodes (nil for a
// closed form). The slice belongs to p.
func (p *Path) Nodes() []float64 { return p.t }

func (p *Path) setClosedForm(cf lagrangian.ClosedForm, x0, x1 []float64) {
	p.cf = cf
	p.x0 = append(p.x0[:0], x0...)
	p.x1 = append(p.x1[:0], x1...)
	p.t = p.t[:0]
	p.xv = p.xv[:0]
	p.Steps, p.ErrorEstimate = 0, 0
}

func finite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
