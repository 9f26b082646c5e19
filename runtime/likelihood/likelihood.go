package likelihood

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/ode"
)

// Field is a velocity field v(x, t) on R^d with forward-mode derivatives.
type Field interface {
	// Dim is the dimension d of x.
	Dim() int
	// Eval writes v(x_i, t) for the n rows of x (n×d) into dst (n×d) and
	// keeps what JVP needs.
	Eval(dst []float64, t float64, x []float64, n int) error
	// JVP writes (∂v/∂x)(x_i, t)·u_i for the rows of the last Eval into dst
	// (n×d), one direction u_i per row of dir (n×d).
	JVP(dst, dir []float64) error
}

// DefaultMaxExactDim is the largest dimension whose divergence is exact by
// default: d forward-mode passes per field evaluation cost about as much as
// d/2 evaluations of the field, which stays cheaper than the noise of
// Hutchinson's estimator up to here.
const DefaultMaxExactDim = 16

// Settings tune NLL. A nil *Settings means the defaults.
type Settings struct {
	// RelTol and AbsTol are the tolerances of the Dormand–Prince
	// integrator, applied to the trajectory and the divergence integral.
	// Defaults 1e-5 and 1e-5 (torchcfm's likelihood uses 1e-4 and 1e-4).
	RelTol, AbsTol float64
	// MaxExactDim is the largest dimension whose divergence is computed
	// exactly; above it Hutchinson's estimator is used. 0 means
	// DefaultMaxExactDim; a negative value forces Hutchinson at every d.
	MaxExactDim int
	// Probes is the number of Rademacher probes per point of Hutchinson's
	// estimator, at least 2 so that their spread gives a standard error.
	// Default 4.
	Probes int
	// Seed seeds the probes.
	Seed uint64
	// Offset is added to every point's NLL, e.g. Σ_j ln s_j for a model
	// of data standardised by scales s_j, to report the NLL of the
	// original points.
	Offset float64
	// MaxSteps bounds the integrator's steps; default 10000.
	MaxSteps int
	// Batch is the number of points integrated together (each batch with
	// its own adaptive steps); 0 means all n at once. The field must accept
	// that many rows.
	Batch int
}

// Result summarises the NLL of a set of points.
type Result struct {
	// NLL is the mean negative log-likelihood in nats, and BPD the same
	// in bits per dimension, NLL/(d ln 2).
	NLL, BPD float64
	// StdErr is the standard error of NLL as an estimate of the
	// expected NLL over the points' distribution (spread over points).
	StdErr float64
	// ProbeStdErr is the standard error of NLL due to Hutchinson's
	// estimator alone (0 when the divergence is exact).
	ProbeStdErr float64
	// Exact tells whether the divergence was exact; Probes is the number
	// of Hutchinson probes per point otherwise.
	Exact  bool
	Probes int
	// NFE counts evaluations of the field (each on the whole batch); each
	// also costs d (exact) or Probes (Hutchinson) forward-mode passes.
	NFE   int
	N, D  int
	Steps int // accepted steps of the integrator
}

func (s *Settings) withDefaults(d int) (Settings, error) {
	var out Settings
	if s != nil {
		out = *s
	}
	if out.RelTol == 0 {
		out.RelTol = 1e-5
	}
	if out.AbsTol == 0 {
		out.AbsTol = 1e-5
	}
	if out.MaxExactDim == 0 {
		out.MaxExactDim = DefaultMaxExactDim
	}
	if out.Probes == 0 {
		out.Probes = 4
	}
	if out.MaxSteps == 0 {
		out.MaxSteps = 10000
	}
	switch {
	case d > out.MaxExactDim && out.Probes < 2:
		return out, fmt.Errorf("likelihood: %d Hutchinson probes per point; at least 2 are needed for a standard error", out.Probes)
	case out.Probes > 1024:
		return out, fmt.Errorf("likelihood: %d Hutchinson probes per point; at most 1024", out.Probes)
	case math.IsNaN(out.Offset) || math.IsInf(out.Offset, 0):
		return out, fmt.Errorf("likelihood: offset %v must be finite", out.Offset)
	case out.MaxSteps < 0:
		return out, fmt.Errorf("likelihood: step limit %d must be positive", out.MaxSteps)
	case out.Batch < 0:
		return out, fmt.Errorf("likelihood: batch of %d points must be positive (0: all at once)", out.Batch)
	}
	return out, nil
}

// NLL writes to dst (length n, or nil) the negative log-likelihood in nats
// of each of the n rows of x1 (n×d) under the flow of f started from a
// standard normal source, and returns their summary. Memory grows as
// Batch×(d + probes).
func NLL(dst []float64, f Field, x1 []float64, n int, s *Settings) (Result, error) {
	d := f.Dim()
	if d < 1 {
		return Result{}, fmt.Errorf("likelihood: field dimension %d", d)
	}
	if n < 1 || len(x1) != n*d {
		return Result{}, fmt.Errorf("likelihood: %d points of dimension %d need %d values, got %d", n, d, n*d, len(x1))
	}
	if dst != nil && len(dst) != n {
		return Result{}, fmt.Errorf("likelihood: destination has %d values for %d points", len(dst), n)
	}
	for _, v := range x1 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Result{}, errors.New("likelihood: the points contain NaN or Inf")
		}
	}
	set, err := s.withDefaults(d)
	if err != nil {
		return Result{}, err
	}
	if dst == nil {
		dst = make([]float64, n)
	}
	batch := set.Batch
	if batch == 0 || batch > n {
		batch = n
	}
	exact := d <= set.MaxExactDim
	res := Result{Exact: exact, N: n, D: d}
	if !exact {
		res.Probes = set.Probes
	}
	var probeVar float64
	for lo := 0; lo < n; lo += batch {
		hi := min(n, lo+batch)
		st, pv, err := solve(dst[lo:hi], f, x1[lo*d:hi*d], hi-lo, &set, uint64(lo))
		if err != nil {
			if n > batch {
				return Result{}, fmt.Errorf("points %d to %d: %w", lo, hi-1, err)
			}
			return Result{}, err
		}
		res.NFE += st.Evals
		res.Steps += st.Steps
		probeVar += pv
	}
	var sum, sumSq float64
	for _, v := range dst {
		sum += v
		sumSq += v * v
	}
	fn := float64(n)
	res.NLL = sum / fn
	res.BPD = res.NLL / (float64(d) * math.Ln2)
	if n > 1 {
		res.StdErr = math.Sqrt(math.Max(0, sumSq-sum*sum/fn) / (fn - 1) / fn)
	}
	res.ProbeStdErr = math.Sqrt(probeVar) / fn
	return res, nil
}

// solve integrates one batch of n points backwards, writes their NLL to dst
// and returns the integrator's counts and the summed variance of the
// points' Hutchinson estimates (0 when exact). stream separates the probes
// of different batches.
func solve(dst []float64, f Field, x1 []float64, n int, set *Settings, stream uint64) (ode.Stats, float64, error) {
	d := f.Dim()
	exact := d <= set.MaxExactDim
	k := 1 // accumulators per point
	if !exact {
		k = set.Probes
	}
	if n > math.MaxInt32/(d+k) {
		return ode.Stats{}, 0, fmt.Errorf("likelihood: %d points of dimension %d are too many for one solve; evaluate them in batches", n, d)
	}
	dp, err := ode.NewDormandPrince(n*(d+k), &ode.Settings{RelTol: set.RelTol, AbsTol: set.AbsTol, MaxSteps: set.MaxSteps})
	if err != nil {
		return ode.Stats{}, 0, err
	}
	div := &divergence{f: f, n: n, d: d, k: k, exact: exact,
		dir: make([]float64, n*d), jv: make([]float64, n*d)}
	if !exact {
		div.probes = make([]float64, k*n*d)
		rng := rand.New(rand.NewPCG(set.Seed, 0x6c696b+stream))
		for i := range div.probes {
			div.probes[i] = float64(2*int(rng.Uint64()&1) - 1)
		}
	}
	// State: n×d trajectory, then n×k divergence integrals (zero at t = 1).
	y := make([]float64, n*(d+k))
	copy(y, x1)
	st, err := dp.Solve(y, nil, div.rhs, 1, 0, y)
	if div.err != nil {
		return st, 0, div.err
	}
	if err != nil {
		return st, 0, fmt.Errorf("likelihood: integrating the flow backwards: %w", err)
	}
	logNorm := 0.5 * float64(d) * math.Log(2*math.Pi)
	var probeVar float64
	for i := range n {
		x0 := y[i*d : (i+1)*d]
		var sq float64
		for _, v := range x0 {
			sq += v * v
		}
		// log p1(x1) = log p0(x0) + acc, acc = ∫₁⁰ div v dt = −∫₀¹ div v dt.
		base := 0.5*sq + logNorm + set.Offset
		acc := y[n*d+i*k : n*d+(i+1)*k]
		var m float64
		for _, a := range acc {
			m += a
		}
		m /= float64(k)
		if k > 1 {
			var v float64
			for _, a := range acc {
				v += (a - m) * (a - m)
			}
			probeVar += v / float64(k-1) / float64(k)
		}
		nll := base - m
		if math.IsNaN(nll) || math.IsInf(nll, 0) {
			return st, 0, fmt.Errorf("likelihood: point %d has a non-finite log-likelihood; the flow may have diverged", i)
		}
		dst[i] = nll
	}
	return st, probeVar, nil
}

// divergence is the right-hand side of the augmented backward ODE.
type divergence struct {
	f       Field
	n, d, k int
	exact   bool
	dir, jv []float64
	probes  []float64 // k blocks of n×d Rademacher vectors
	err     error
}

func (dv *divergence) rhs(dst []float64, t float64, y []float64) {
	n, d, k := dv.n, dv.d, dv.k
	if dv.err != nil {
		clear(dst)
		return
	}
	vel, acc := dst[:n*d], dst[n*d:]
	if err := dv.f.Eval(vel, t, y[:n*d], n); err != nil {
		dv.err = err
		clear(dst)
		return
	}
	if dv.exact {
		// tr J = Σ_j e_jᵀ J e_j: one forward-mode pass per axis.
		clear(acc)
		for j := range d {
			clear(dv.dir)
			for i := range n {
				dv.dir[i*d+j] = 1
			}
			if err := dv.f.JVP(dv.jv, dv.dir); err != nil {
				dv.err = err
				clear(dst)
				return
			}
			for i := range n {
				acc[i] += dv.jv[i*d+j]
			}
		}
		return
	}
	for p := range k {
		probe := dv.probes[p*n*d : (p+1)*n*d]
		if err := dv.f.JVP(dv.jv, probe); err != nil {
			dv.err = err
			clear(dst)
			return
		}
		for i := range n {
			var s float64
			for j := range d {
				s += probe[i*d+j] * dv.jv[i*d+j]
			}
			acc[i*k+p] = s
		}
	}
}
