package fm

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/lagc-dev/lagc/runtime/bvp"
	"github.com/lagc-dev/lagc/runtime/coupling"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/noise"
	"github.com/lagc-dev/lagc/runtime/ot"
)

// Coupling names.
const (
	Independent = "independent"
	OT          = "ot"
	// Sinkhorn draws the pairs from the entropic plan of c_L with
	// regularisation Epsilon (runtime/coupling, with replacement as
	// torchcfm's OTPlanSampler).
	Sinkhorn = "sinkhorn"
)

// Problem is what every training method learns from: a compiled
// Lagrangian at the data dimension, the source and target data, and the
// run's seed. It holds no hyperparameter of any method.
type Problem struct {
	Sys            lagrangian.System
	Source, Target data.Sampler
	Seed           uint64
	// Iters bounds the iterations whose batches are prefetched (0: no
	// bound).
	Iters int
	// Threads bounds the goroutines of the networks and the path solving
	// (0: GOMAXPROCS). Flow matching's and Action Matching's results do not
	// depend on it; ofm's inner solver sums in an order that does (at the
	// rounding level).
	Threads int
}

func (p *Problem) check() error {
	if p == nil || p.Sys == nil || p.Source == nil || p.Target == nil {
		return errors.New("a training problem needs a Lagrangian, a source and a target")
	}
	d := p.Sys.Dim()
	for _, s := range []struct {
		name string
		s    data.Sampler
	}{{"source", p.Source}, {"target", p.Target}} {
		if s.s.Dim() != 0 && s.s.Dim() != d {
			return fmt.Errorf("the %s data have dimension %d but the Lagrangian is evaluated in dimension %d", s.name, s.s.Dim(), d)
		}
	}
	if p.Threads < 0 {
		return fmt.Errorf("threads %d: must be ≥ 0 (0: all cores)", p.Threads)
	}
	return nil
}

// PairSettings say how minibatches of pairs and their targets are drawn.
type PairSettings struct {
	// Batch is the number of pairs per minibatch.
	Batch int `json:"batch"`
	// Coupling pairs sources with targets: OT (exact minibatch optimal
	// transport with the Lagrangian's cost) or Independent.
	Coupling string `json:"coupling"`
	// Sigma is the standard deviation of the Gaussian noise added to the
	// points x_t on the paths (never to the target velocities).
	Sigma float64 `json:"sigma"`
	// Epsilon is the entropic regularisation of the Sinkhorn coupling, in
	// the units of c_L; 0 means σ² (the Schrödinger bridge's: SB-CFM when
	// Schedule is bridge), or 0.05 when σ = 0.
	Epsilon float64 `json:"epsilon,omitempty"`
	// Schedule shapes the noise around the paths: "constant" (or "") σ,
	// or "bridge" σ√(t(1−t)) with its score-free target (runtime/noise).
	Schedule string `json:"sigma_schedule,omitempty"`
	// Pool is the number of minibatches whose numeric paths are solved once
	// and cycled through (ignored for closed-form Lagrangians, whose paths
	// are exact and free). More pairs generalise better: for the bump,
	// gaussian → moons, seed 1, W2 0.222 with 16 batches (44 s) and 0.168
	// with 64 (148 s); 64 is the default.
	Pool int `json:"pool"`
}

// DefaultPairs returns minibatches of 256 pairs coupled by OT, σ = 0.1 and
// a pool of 64 minibatches.
func DefaultPairs() PairSettings {
	return PairSettings{Batch: 256, Coupling: OT, Sigma: 0.1, Pool: 64}
}

// Validate checks the settings; its messages name the concepts.
func (s *PairSettings) Validate() error {
	var errs []string
	add := func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) }
	if s.Batch < 1 {
		add("batch size %d: must be at least 1", s.Batch)
	}
	if s.Sigma < 0 || math.IsNaN(s.Sigma) || math.IsInf(s.Sigma, 0) {
		add("path noise σ %v: must be finite and ≥ 0", s.Sigma)
	}
	if s.Pool < 1 {
		add("pool of path batches %d: must be at least 1", s.Pool)
	}
	switch s.Coupling {
	case Independent, OT, Sinkhorn:
	default:
		add("coupling %q: want %q, %q or %q", s.Coupling, Independent, OT, Sinkhorn)
	}
	if !(s.Epsilon >= 0) || math.IsInf(s.Epsilon, 0) {
		add("entropic regularisation ε %v: must be finite and ≥ 0 (0: σ²)", s.Epsilon)
	}
	if _, err := noise.ParseSchedule(s.Schedule); err != nil {
		add("%v", err)
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// entropicEpsilon is the ε of the Sinkhorn coupling: Epsilon, else σ²,
// else 0.05.
func (s *PairSettings) entropicEpsilon() float64 {
	switch {
	case s.Epsilon > 0:
		return s.Epsilon
	case s.Sigma > 0:
		return s.Sigma * s.Sigma
	}
	return 0.05
}

// Timing is the wall time spent in each phase of training.
type Timing struct {
	Data    time.Duration `json:"data"`    // sampling sources and targets
	Cost    time.Duration `json:"cost"`    // cost matrices c_L
	Assign  time.Duration `json:"assign"`  // optimal assignments
	Solve   time.Duration `json:"solve"`   // numeric path solves (pool batches)
	Targets time.Duration `json:"targets"` // x_t and u_t along the paths
	Network time.Duration `json:"network"` // forward, backward, optimiser, EMA
	// Wait is the time iterations waited for a prefetched batch; the
	// phases above overlap with training when batches are prefetched.
	Wait time.Duration `json:"wait"`
}

// Total is the sum of the phases.
func (t Timing) Total() time.Duration {
	return t.Data + t.Cost + t.Assign + t.Solve + t.Targets + t.Network
}

// Batch is a minibatch of coupled pairs: row k of X0 goes to row k of X1
// along Paths[k] (numeric Lagrangians) or the closed form.
type Batch struct {
	N, D   int
	X0, X1 []float64
	Paths  []*bvp.Path
}

// Pairs draws the minibatches of every training method: data, coupling,
// least-action paths (from a pool for numeric Lagrangians, prefetched for
// closed forms) and the points and velocities along them. Iteration k's
// batch depends only on (Seed, k), so a resumed run repeats an
// uninterrupted one exactly, whatever the threads.
type Pairs struct {
	Settings PairSettings
	Paths    *Paths
	// Time accumulates where the iterations spent their time.
	Time Timing

	prob    Problem
	d       int
	pool    []*Batch
	fresh   [prefetchDepth + 1]Batch
	sync    *batcher                // builds batches on the caller's goroutine
	ahead   [prefetchDepth]*batcher // build the prefetched batches
	pending []*prefetch             // in order of k
	// euclid is set when the Lagrangian's optimal couplings are those of
	// the squared Euclidean cost (lagrangian.EuclideanCoupling).
	euclid   bool
	schedule noise.Schedule
}

// NewPairs prepares the minibatches of p; nil s means DefaultPairs.
func NewPairs(p *Problem, s *PairSettings) (*Pairs, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	set := DefaultPairs()
	if s != nil {
		set = *s
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	ps := &Pairs{Settings: set, Paths: NewPaths(p.Sys, nil), prob: *p, d: p.Sys.Dim()}
	if ec, ok := p.Sys.(lagrangian.EuclideanCoupling); ok {
		ps.euclid = ec.EuclideanCoupling()
	}
	ps.schedule, _ = noise.ParseSchedule(set.Schedule) // validated above
	return ps, nil
}

// Dim is the dimension of the points.
func (ps *Pairs) Dim() int { return ps.d }

// Random streams: every iteration draws from its own PCG stream.
const (
	streamInit = 1 << 62
	streamPool = 1 << 61
)

// InitRNG returns the random stream that initialises a method's network.
func (ps *Pairs) InitRNG() *rand.Rand { return ps.rngFor(streamInit) }

func (ps *Pairs) rngFor(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(ps.prob.Seed, stream))
}

// NewBatch draws and couples a minibatch with rng, solving its paths.
func (ps *Pairs) NewBatch(dst *Batch, rng *rand.Rand) error {
	if ps.sync == nil {
		ps.sync = ps.newBatcher()
	}
	err := ps.sync.build(dst, rng)
	ps.sync.flush(&ps.Time)
	return err
}

// batcher draws and couples minibatches with buffers of its own, so that
// one can fill the next batch on another goroutine while the network
// trains on the current one.
type batcher struct {
	ps         *Pairs
	cost       []float64
	perm       []int
	rows, cols []int
	scratch    []float64
	assigner   ot.Assigner
	entropic   coupling.Entropic
	time       Timing
}

func (ps *Pairs) newBatcher() *batcher {
	n, d := ps.Settings.Batch, ps.d
	b := &batcher{ps: ps, perm: make([]int, n), scratch: make([]float64, n*d)}
	switch ps.Settings.Coupling {
	case OT:
		b.cost = make([]float64, n*n)
	case Sinkhorn:
		b.cost, b.rows, b.cols = make([]float64, n*n), make([]int, n), make([]int, n)
		b.entropic = coupling.Entropic{Epsilon: ps.Settings.entropicEpsilon(), Replace: true}
	}
	return b
}

// flush adds the batcher's timings to t and clears them.
func (b *batcher) flush(t *Timing) {
	t.Data += b.time.Data
	t.Cost += b.time.Cost
	t.Assign += b.time.Assign
	t.Solve += b.time.Solve
	b.time = Timing{}
}

func (b *batcher) build(dst *Batch, rng *rand.Rand) error {
	ps := b.ps
	n, d := ps.Settings.Batch, ps.d
	if dst.X0 == nil {
		*dst = Batch{N: n, D: d, X0: make([]float64, n*d), X1: make([]float64, n*d)}
	}
	t0 := time.Now()
	ps.prob.Source.Sample(dst.X0, n, rng)
	ps.prob.Target.Sample(dst.X1, n, rng)
	t1 := time.Now()
	b.time.Data += t1.Sub(t0)
	if ps.Settings.Coupling == OT {
		if ps.euclid {
			if err := ot.SqDist(b.cost, dst.X0, n, dst.X1, n, d); err != nil {
				return err
			}
		} else if err := ps.Paths.Cost(b.cost, dst.X0, n, dst.X1, n); err != nil {
			return err
		}
		t2 := time.Now()
		b.time.Cost += t2.Sub(t1)
		if _, err := b.assigner.Assign(b.perm, b.cost, n, nil); err != nil {
			return fmt.Errorf("optimal coupling: %w", err)
		}
		permuteRows(b.scratch, dst.X1, b.perm, d)
		copy(dst.X1, b.scratch)
		t1 = time.Now()
		b.time.Assign += t1.Sub(t2)
	}
	if ps.Settings.Coupling == Sinkhorn {
		// The plan depends on the scale of the cost, so it is always c_L
		// itself, never the squared-distance shortcut.
		if err := ps.Paths.Cost(b.cost, dst.X0, n, dst.X1, n); err != nil {
			return err
		}
		t2 := time.Now()
		b.time.Cost += t2.Sub(t1)
		if _, err := b.entropic.Pairs(b.rows, b.cols, b.cost, n, n, rng); err != nil {
			return fmt.Errorf("entropic coupling: %w", err)
		}
		permuteRows(b.scratch, dst.X0, b.rows, d)
		copy(dst.X0, b.scratch)
		permuteRows(b.scratch, dst.X1, b.cols, d)
		copy(dst.X1, b.scratch)
		t1 = time.Now()
		b.time.Assign += t1.Sub(t2)
	}
	var err error
	dst.Paths, err = ps.Paths.Solve(dst.X0, dst.X1, n)
	b.time.Solve += time.Since(t1)
	return err
}

// prefetch is a batch being built on another goroutine.
type prefetch struct {
	k    int
	b    *batcher
	done chan error
}

// permuteRows writes row perm[i] of src to row i of dst.
func permuteRows(dst, src []float64, perm []int, d int) {
	for i, j := range perm {
		copy(dst[i*d:(i+1)*d], src[j*d:(j+1)*d])
	}
}

// Batch returns the minibatch of iteration k: fresh for closed forms, from
// the pool of solved paths otherwise. It belongs to Pairs and stays valid
// until the next call. Fresh batches are prefetched: batches k+1 and k+2
// are drawn and coupled on other goroutines while iteration k trains, which
// changes nothing in the results since batch k depends only on the stream
// (Seed, k). Threads = 1 turns prefetching off.
func (ps *Pairs) Batch(k int) (*Batch, error) {
	if ps.Paths.Closed() {
		cur := &ps.fresh[k%len(ps.fresh)]
		if len(ps.pending) > 0 && ps.pending[0].k == k {
			p := ps.pending[0]
			ps.pending = ps.pending[1:]
			t0 := time.Now()
			err := <-p.done
			ps.Time.Wait += time.Since(t0)
			p.b.flush(&ps.Time)
			if err != nil {
				return nil, err
			}
		} else {
			ps.drain()
			if err := ps.NewBatch(cur, ps.rngFor(uint64(k))); err != nil {
				return nil, err
			}
		}
		if ps.prob.Threads != 1 {
			next := k + 1
			if n := len(ps.pending); n > 0 {
				next = ps.pending[n-1].k + 1
			}
			for len(ps.pending) < prefetchDepth && (ps.prob.Iters == 0 || next < ps.prob.Iters) {
				ps.prefetch(next)
				next++
			}
		}
		return cur, nil
	}
	if ps.pool == nil {
		ps.pool = make([]*Batch, ps.Settings.Pool)
	}
	p := k % ps.Settings.Pool
	if ps.pool[p] == nil {
		b := new(Batch)
		if err := ps.NewBatch(b, ps.rngFor(streamPool+uint64(p))); err != nil {
			return nil, fmt.Errorf("solving paths of pool batch %d: %w", p, err)
		}
		ps.pool[p] = b
	}
	return ps.pool[p], nil
}

// prefetchDepth is how many batches are built ahead, each on its own
// goroutine: coupling a batch (a 256×256 assignment, ≈3.4 ms) costs several
// network steps (≈0.35 ms), so two builders keep both cores busy.
const prefetchDepth = 2

// prefetch starts building batch k into its buffer with its batcher.
func (ps *Pairs) prefetch(k int) {
	b := ps.ahead[k%prefetchDepth]
	if b == nil {
		b = ps.newBatcher()
		ps.ahead[k%prefetchDepth] = b
	}
	p := &prefetch{k: k, b: b, done: make(chan error, 1)}
	ps.pending = append(ps.pending, p)
	dst, rng := &ps.fresh[k%len(ps.fresh)], ps.rngFor(uint64(k))
	go func() { p.done <- b.build(dst, rng) }()
}

// drain waits for prefetches that will not be used (a jump in k).
func (ps *Pairs) drain() {
	for _, p := range ps.pending {
		<-p.done
		p.b.flush(&ps.Time)
	}
	ps.pending = nil
}

// Next returns the minibatch of iteration k (Batch) and fills in with its
// network inputs [x_t + σε, t] and target with the velocities u_t, at the
// times and noise of iteration k's own stream. Every training method draws
// its iterations through it.
func (ps *Pairs) Next(k int, in, target []float64) (*Batch, error) {
	b, err := ps.Batch(k)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	err = ps.Targets(in, target, b, ps.rngFor(uint64(k)+streamPool/2))
	ps.Time.Targets += time.Since(t0)
	return b, err
}

// Targets fills the network input rows [x_t + s(t)ε, t] and the target
// velocities u_t (+ ṡ(t)ε for the bridge schedule, runtime/noise) for the
// pairs of b at times drawn from rng.
func (ps *Pairs) Targets(in, target []float64, b *Batch, rng *rand.Rand) error {
	d := b.D
	sigma := ps.Settings.Sigma
	for k := 0; k < b.N; k++ {
		t := rng.Float64()
		row := in[k*(d+1) : (k+1)*(d+1)]
		xt, ut := row[:d], target[k*d:(k+1)*d]
		var err error
		if b.Paths == nil {
			err = ps.Paths.cf.Path(xt, ut, t, b.X0[k*d:(k+1)*d], b.X1[k*d:(k+1)*d])
		} else {
			err = b.Paths[k].At(xt, ut, t)
		}
		if err != nil {
			return fmt.Errorf("path target of pair %d at t=%g: %w", k, t, err)
		}
		ps.schedule.Perturb(xt, ut, sigma, t, rng)
		row[d] = t
	}
	return nil
}
