package ot

import (
	"fmt"
	"math"
)

// SinkhornSettings holds optional settings for Sinkhorn. A nil
// *SinkhornSettings means the defaults.
type SinkhornSettings struct {
	// Tol is the accepted marginal violation Σ_i |Σ_j P_ij − a_i|,
	// relative to the total mass. Zero means 1e-6.
	Tol float64

	// MaxIter caps the number of iterations (one row and one column
	// update each), over all stages of ε-scaling. Zero means 100000.
	MaxIter int

	// NoEpsScaling turns off ε-scaling: by default Sinkhorn first solves
	// with ε equal to the cost range and halves it stage by stage down to
	// the requested ε, which at small ε takes far fewer iterations than
	// starting there.
	NoEpsScaling bool
}

func (s *SinkhornSettings) tol() float64 {
	if s == nil || s.Tol <= 0 {
		return 1e-6
	}
	return s.Tol
}

func (s *SinkhornSettings) maxIter() int {
	if s == nil || s.MaxIter <= 0 {
		return 100000
	}
	return s.MaxIter
}

// SinkhornResult describes the solution Sinkhorn found.
type SinkhornResult struct {
	// Cost is the transport cost Σ P_ij C_ij of the plan, without the
	// entropy term; it tends to the exact optimal cost as ε → 0.
	Cost float64
	// Iterations is the number of iterations run, over all stages.
	Iterations int
	// MarginalError is Σ_i |Σ_j P_ij − a_i| relative to the total mass.
	// The column sums are exact up to rounding.
	MarginalError float64
}

// stage settings of ε-scaling: each intermediate ε is solved to a loose
// tolerance, or for a few iterations, before halving.
const (
	sinkhornStageTol   = 1e-3
	sinkhornStageIters = 50

	// sinkhornOmega is the over-relaxation factor of the final stage, and
	// sinkhornRelaxStart the violation below which it is applied.
	sinkhornOmega      = 1.5
	sinkhornRelaxStart = 1e-2
)

// Sinkhorn solves the entropy-regularised transport problem between weights
// a on the n rows and b on the m columns of an n×m cost matrix (row-major):
// it minimises Σ P_ij C_ij + ε KL(P | a⊗b) over plans P with row sums a and
// column sums b. It writes the dense plan into plan (n×m, row-major) and the
// dual potentials into f (length n) and g (length m), which may be nil if
// not wanted:
//
//	P_ij = a_i b_j exp((f_i + g_j − C_ij) / ε).
//
// As ε → 0, f and g tend to optimal potentials of the exact problem and the
// cost Σ P_ij C_ij to its optimal cost. A nil a or b means uniform weights
// (1/n, 1/m); otherwise the totals must agree to a relative 1e-9.
//
// The potentials are kept in the log domain, so small ε (1e-3 of the cost
// range and below) neither overflows nor underflows: iterations multiply by
// a kernel exp((f_i + g_j − C_ij)/ε) rebuilt from the potentials whenever
// the scalings on top of it stray from 1 (Schmitzer's stabilisation), and
// fall back to log-sum-exp steps where the kernel underflows. Over-relaxation
// speeds up the final stage. The iterations stop when the row sums are
// within SinkhornSettings.Tol of a; if that does not happen within MaxIter
// iterations Sinkhorn still fills plan, f and g from the last iterate and
// returns an error wrapping ErrNotConverged. At small ε problems with
// near-ties between optimal plans converge slowly.
//
// The plan buffer doubles as the kernel's storage during the iterations.
//
// +Inf costs are allowed and get zero mass. NaN or -Inf costs, ε ≤ 0,
// wrong lengths and invalid weights are errors.
func Sinkhorn(plan, f, g []float64, cost []float64, n, m int, a, b []float64, eps float64, s *SinkhornSettings) (SinkhornResult, error) {
	lo, hi, _, err := checkCost(cost, n, m)
	if err != nil {
		return SinkhornResult{}, err
	}
	if len(plan) != n*m {
		return SinkhornResult{}, fmt.Errorf("ot: plan has length %d, want %d×%d = %d", len(plan), n, m, n*m)
	}
	if f != nil && len(f) != n || g != nil && len(g) != m {
		return SinkhornResult{}, fmt.Errorf("ot: f and g have lengths %d and %d, want %d and %d (or nil)", len(f), len(g), n, m)
	}
	if !(eps > 0) || math.IsInf(eps, 1) {
		return SinkhornResult{}, fmt.Errorf("ot: ε = %g: need a finite ε > 0, e.g. 1e-3 of the cost range", eps)
	}
	la, total, err := logWeights(a, n, "a")
	if err != nil {
		return SinkhornResult{}, err
	}
	lb, totalB, err := logWeights(b, m, "b")
	if err != nil {
		return SinkhornResult{}, err
	}
	if math.Abs(total-totalB) > defaultMassTol*max(total, totalB) {
		return SinkhornResult{}, fmt.Errorf("ot: total masses differ: Σa = %g, Σb = %g; normalise both", total, totalB)
	}
	if err := checkSupport(cost, n, m, la, lb); err != nil {
		return SinkhornResult{}, err
	}
	if f == nil {
		f = make([]float64, n)
	}
	if g == nil {
		g = make([]float64, m)
	}
	sk := sinkhorn{
		cost: cost, n: n, m: m, la: la, lb: lb, f: f, g: g,
		fOld: make([]float64, n), buf: make([]float64, max(n, m)),
		colMax: make([]float64, m), colSum: make([]float64, m),
		a: make([]float64, n), b: make([]float64, m), bw: make([]float64, m),
		kern: plan, // the plan is written over it at the end
		u:    make([]float64, n), w: make([]float64, m), uOld: make([]float64, n),
	}
	for i, x := range la {
		sk.a[i], sk.u[i] = math.Exp(x), 1
	}
	for j, x := range lb {
		sk.b[j], sk.w[j] = math.Exp(x), 1
	}
	for i := range f {
		f[i] = 0
	}
	for j := range g {
		g[j] = 0
	}

	tol, maxIter := s.tol(), s.maxIter()
	e := eps
	if s == nil || !s.NoEpsScaling {
		e = max(eps, hi-lo)
	}
	var res SinkhornResult
	converged := false
	for res.Iterations < maxIter {
		final := e == eps
		stageTol, stageIters := tol, maxIter
		if !final {
			stageTol, stageIters = max(tol, sinkhornStageTol), sinkhornStageIters
		}
		// Over-relaxation speeds up the final stage three- to fourfold at
		// small ε. It is only safe near the solution, so it starts once the
		// violation is small, and it stops for good if the violation grows,
		// or once it is within reach of the tolerance, so that the last
		// steps are plain ones, whose column sums are exact.
		omega, relaxDone := 1.0, !final
		plainG := false // the last column update was a plain one
		prev := math.Inf(1)
		sk.rebuild(e)
		for k := 0; k < stageIters && res.Iterations < maxIter; k++ {
			res.Iterations++
			copy(sk.fOld, f)
			copy(sk.uOld, sk.u)
			viol := sk.stepF(e, omega) / total
			res.MarginalError = viol
			if viol <= stageTol && k > 0 && plainG {
				// The previous iterate was within tolerance: keep it.
				copy(f, sk.fOld)
				copy(sk.u, sk.uOld)
				converged = final
				break
			}
			switch {
			case omega > 1 && (viol > 2*prev || viol <= 4*tol):
				omega, relaxDone = 1, true
			case omega == 1 && !relaxDone && viol < sinkhornRelaxStart:
				omega = sinkhornOmega
			}
			prev = viol
			sk.stepG(e, omega)
			plainG = omega == 1
		}
		if final {
			if !converged && plainG {
				// The last iterate has exact columns; measure its rows.
				copy(sk.fOld, f)
				copy(sk.uOld, sk.u)
				res.MarginalError = sk.stepF(e, 1) / total
				copy(f, sk.fOld)
				copy(sk.u, sk.uOld)
				converged = res.MarginalError <= tol
			}
			sk.absorb()
			break
		}
		sk.absorb()
		e = max(eps, e/2)
	}
	res.Cost = sk.writePlan(plan, eps)
	if !converged {
		return res, fmt.Errorf("%w: marginal violation %.3g > %.3g after %d iterations at ε = %g; raise MaxIter or ε", ErrNotConverged, res.MarginalError, tol, res.Iterations, eps)
	}
	return res, nil
}

// logWeights returns the logarithms of the weights (uniform if w is nil)
// and their total.
func logWeights(w []float64, n int, name string) ([]float64, float64, error) {
	lw := make([]float64, n)
	if w == nil {
		for i := range lw {
			lw[i] = -math.Log(float64(n))
		}
		return lw, 1, nil
	}
	total, err := checkWeights(name, w, n)
	if err != nil {
		return nil, 0, err
	}
	for i, x := range w {
		lw[i] = math.Log(x) // -Inf for zero weights: those terms vanish
	}
	return lw, total, nil
}

// checkSupport makes sure every row and column of positive weight has a
// finite cost to some column or row of positive weight; otherwise its mass
// has nowhere to go and the potentials would be infinite.
func checkSupport(cost []float64, n, m int, la, lb []float64) error {
	colOK := make([]bool, m)
	for i := range n {
		rowOK := false
		for j, c := range cost[i*m : i*m+m] {
			if !math.IsInf(c, 1) && !math.IsInf(la[i], -1) && !math.IsInf(lb[j], -1) {
				rowOK = true
				colOK[j] = true
			}
		}
		if !rowOK && !math.IsInf(la[i], -1) {
			return fmt.Errorf("%w: row %d has no finite cost to a column of positive weight", ErrInfeasible, i)
		}
	}
	for j, ok := range colOK {
		if !ok && !math.IsInf(lb[j], -1) {
			return fmt.Errorf("%w: column %d has no finite cost to a row of positive weight", ErrInfeasible, j)
		}
	}
	return nil
}

type sinkhorn struct {
	cost           []float64
	n, m           int
	la, lb         []float64
	f, g, fOld     []float64
	buf            []float64
	colMax, colSum []float64

	// The stabilised iterations: a kernel K_ij = exp((f_i + g_j − C_ij)/ε)
	// at the last absorption, and scalings u, w on top of f, g, so that
	// P_ij = a_i u_i K_ij b_j w_j. Iterations then cost multiply-adds, not
	// exponentials; the scalings are absorbed into f and g whenever they
	// grow far from 1, before anything can overflow.
	a, b, bw   []float64
	kern       []float64
	kEps       float64
	u, w, uOld []float64
}

// scaleMin and scaleMax bound the scalings u, w before they are absorbed.
const scaleMin, scaleMax = 1e-50, 1e50

// absorb moves the scalings into the potentials.
func (sk *sinkhorn) absorb() {
	for i, x := range sk.u {
		if x != 1 {
			sk.f[i] += sk.kEps * math.Log(x)
			sk.u[i] = 1
		}
	}
	for j, x := range sk.w {
		if x != 1 {
			sk.g[j] += sk.kEps * math.Log(x)
			sk.w[j] = 1
		}
	}
}

// rebuild absorbs the scalings and recomputes the kernel at ε = e.
func (sk *sinkhorn) rebuild(e float64) {
	sk.absorb()
	sk.kEps = e
	m := sk.m
	for i := range sk.n {
		row := sk.cost[i*m : i*m+m]
		out := sk.kern[i*m : i*m+m]
		fi := sk.f[i]
		for j, c := range row {
			out[j] = math.Exp((fi + sk.g[j] - c) / e)
		}
	}
}

// stepF is the row half-step: by the kernel when it is representable,
// else in the log domain. It returns the row violation of the iterate
// before it, as updateF does.
func (sk *sinkhorn) stepF(e, omega float64) float64 {
	if viol, ok := sk.kernelF(omega); ok {
		if outside(sk.u) {
			sk.rebuild(e)
		}
		return viol
	}
	sk.absorb()
	viol := sk.updateF(e, omega)
	sk.rebuild(e)
	return viol
}

// stepG is the column half-step, like stepF.
func (sk *sinkhorn) stepG(e, omega float64) {
	if sk.kernelG(omega) {
		if outside(sk.w) {
			sk.rebuild(e)
		}
		return
	}
	sk.absorb()
	sk.updateG(e, omega)
	sk.rebuild(e)
}

func outside(s []float64) bool {
	for _, x := range s {
		if !(x >= scaleMin && x <= scaleMax) {
			return true
		}
	}
	return false
}

// kernelF sets u_i = 1 / Σ_j K_ij b_j w_j (over-relaxed by omega in log
// space) and returns the previous row violation Σ a_i |u_i S_i − 1|. It
// changes nothing and reports false if some row sum underflowed or
// overflowed, which the log domain must handle.
func (sk *sinkhorn) kernelF(omega float64) (float64, bool) {
	m := sk.m
	bw := sk.bw
	for j := range bw {
		bw[j] = sk.b[j] * sk.w[j]
	}
	sums := sk.buf[:sk.n]
	for i := range sk.n {
		row := sk.kern[i*m : i*m+m]
		var s0, s1 float64
		j := 0
		for ; j+2 <= m; j += 2 {
			s0 += row[j] * bw[j]
			s1 += row[j+1] * bw[j+1]
		}
		if j < m {
			s0 += row[j] * bw[j]
		}
		s := s0 + s1
		if sk.a[i] > 0 && !(s > 0 && s < math.Inf(1)) {
			return 0, false
		}
		sums[i] = s
	}
	var viol float64
	for i, s := range sums {
		if sk.a[i] == 0 {
			continue
		}
		viol += sk.a[i] * math.Abs(sk.u[i]*s-1)
		if omega == 1 {
			sk.u[i] = 1 / s
		} else {
			sk.u[i] = math.Exp((1-omega)*math.Log(sk.u[i]) - omega*math.Log(s))
		}
	}
	return viol, true
}

// kernelG sets w_j = 1 / Σ_i a_i u_i K_ij, streaming the kernel by rows,
// like kernelF.
func (sk *sinkhorn) kernelG(omega float64) bool {
	m := sk.m
	sums := sk.colSum[:m]
	for j := range sums {
		sums[j] = 0
	}
	for i := range sk.n {
		au := sk.a[i] * sk.u[i]
		if au == 0 {
			continue
		}
		row := sk.kern[i*m : i*m+m]
		for j, k := range row {
			sums[j] += au * k
		}
	}
	for j, s := range sums {
		if sk.b[j] > 0 && !(s > 0 && s < math.Inf(1)) {
			return false
		}
	}
	for j, s := range sums {
		if sk.b[j] == 0 {
			continue
		}
		if omega == 1 {
			sk.w[j] = 1 / s
		} else {
			sk.w[j] = math.Exp((1-omega)*math.Log(sk.w[j]) - omega*math.Log(s))
		}
	}
	return true
}

// updateF sets f_i = −ε log Σ_j b_j exp((g_j − C_ij)/ε), making the row
// sums exact, and returns the L1 row violation of the iterate before it:
// the old row sum of row i was a_i exp((f_old_i − f_i)/ε). With omega > 1
// the step is over-relaxed: f_i moves omega times as far.
func (sk *sinkhorn) updateF(eps, omega float64) float64 {
	m := sk.m
	x := sk.buf[:m]
	var viol float64
	for i := range sk.n {
		row := sk.cost[i*m : i*m+m]
		mx := math.Inf(-1)
		for j, c := range row {
			t := (sk.g[j]-c)/eps + sk.lb[j]
			x[j] = t
			mx = max(mx, t)
		}
		var sum float64
		for _, t := range x {
			sum += math.Exp(t - mx)
		}
		fi := -eps * (mx + math.Log(sum))
		if ai := math.Exp(sk.la[i]); ai > 0 {
			viol += ai * math.Abs(math.Expm1((sk.f[i]-fi)/eps))
		}
		sk.f[i] = fi + (omega-1)*(fi-sk.f[i])
	}
	return viol
}

// updateG sets g_j = −ε log Σ_i a_i exp((f_i − C_ij)/ε), making the column
// sums exact. It streams the matrix row by row, keeping a running maximum
// and rescaled sum per column, so the matrix is read in memory order.
func (sk *sinkhorn) updateG(eps, omega float64) {
	m := sk.m
	cmax, csum := sk.colMax[:m], sk.colSum[:m]
	for j := range cmax {
		cmax[j], csum[j] = math.Inf(-1), 0
	}
	for i := range sk.n {
		if math.IsInf(sk.la[i], -1) {
			continue
		}
		row := sk.cost[i*m : i*m+m]
		base := sk.f[i]/eps + sk.la[i]
		for j, c := range row {
			t := base - c/eps
			if t > cmax[j] {
				csum[j] = csum[j]*math.Exp(cmax[j]-t) + 1
				cmax[j] = t
			} else if t > math.Inf(-1) {
				csum[j] += math.Exp(t - cmax[j])
			}
		}
	}
	for j := range m {
		gj := -eps * (cmax[j] + math.Log(csum[j]))
		sk.g[j] = gj + (omega-1)*(gj-sk.g[j])
	}
}

// writePlan fills the dense plan and returns its transport cost.
func (sk *sinkhorn) writePlan(plan []float64, eps float64) float64 {
	m := sk.m
	var cost float64
	for i := range sk.n {
		row := sk.cost[i*m : i*m+m]
		out := plan[i*m : i*m+m]
		for j, c := range row {
			p := math.Exp((sk.f[i]+sk.g[j]-c)/eps + sk.la[i] + sk.lb[j])
			out[j] = p
			if p > 0 {
				cost += p * c
			}
		}
	}
	return cost
}
