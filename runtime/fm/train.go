package fm

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/lagc-dev/lagc/runtime/bvp"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/nn"
	"github.com/lagc-dev/lagc/runtime/ot"
)

// Coupling names.
const (
	Independent = "independent"
	OT          = "ot"
)

// Config is everything that defines a training run. It is stored in every
// checkpoint, so a run can be resumed, sampled and evaluated from its
// checkpoint alone.
type Config struct {
	// Lagrangian is the .lag source text and LagrangianFile where it came
	// from; Params overrides its parameters.
	Lagrangian     string             `json:"lagrangian"`
	LagrangianFile string             `json:"lagrangian_file"`
	Params         map[string]float64 `json:"params,omitempty"`

	// Source and Target are data specs for data.Open ("gaussian", "moons",
	// "csv:PATH", …). Dim is the dimension of any-dimension sets.
	Source string `json:"source"`
	Target string `json:"target"`
	Dim    int    `json:"dim"`
	// Columns and Standardize apply to file targets.
	Columns     string `json:"columns,omitempty"`
	Standardize bool   `json:"standardize,omitempty"`
	// Holdout is the fraction of a file target held out for evaluation.
	Holdout float64 `json:"holdout,omitempty"`

	Coupling string  `json:"coupling"`
	Sigma    float64 `json:"sigma"`

	// Method is the training method: "" or "fm" (flow matching, this
	// package), or another package's ("am", "ofm", "am-optimal"), recorded
	// so that a checkpoint says how to read its model.
	Method string `json:"method,omitempty"`

	Hidden     []int  `json:"hidden"`
	Activation string `json:"activation"`

	Batch       int     `json:"batch"`
	Iters       int     `json:"iters"`
	LR          float64 `json:"lr"`
	WeightDecay float64 `json:"weight_decay"`
	ClipNorm    float64 `json:"clip_norm"`
	EMADecay    float64 `json:"ema_decay"`
	Seed        uint64  `json:"seed"`

	// Pool is the number of minibatches whose numeric paths are solved once
	// and cycled through (ignored for closed-form Lagrangians, whose paths
	// are exact and free). More pairs generalise better: for the bump,
	// gaussian → moons, seed 1, W2 0.222 with 16 batches (44 s) and 0.168
	// with 64 (148 s); 64 is the default.
	Pool int `json:"pool"`
	// Threads bounds the goroutines of the network and path solving (0:
	// GOMAXPROCS). Results do not depend on it.
	Threads int `json:"threads"`
}

// DefaultConfig is the run of `lagc train` with no flags: kinetic
// Lagrangian, standard normal to moons, minibatch OT, MLP 3×64 SELU.
func DefaultConfig() Config {
	return Config{
		Lagrangian:     "L = 0.5*|v|^2\n",
		LagrangianFile: "kinetic.lag",
		Source:         "gaussian",
		Target:         "moons",
		Coupling:       OT,
		Sigma:          0.1,
		Hidden:         []int{64, 64, 64},
		Activation:     "selu",
		Batch:          256,
		Iters:          20000,
		LR:             1e-3,
		EMADecay:       0.999,
		Seed:           1,
		Pool:           64,
	}
}

// Validate checks the numbers a user gave.
func (c *Config) Validate() error {
	var errs []string
	add := func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) }
	if c.Batch < 1 {
		add("batch %d: must be at least 1", c.Batch)
	}
	if c.Iters < 0 {
		add("iters %d: must not be negative", c.Iters)
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 0) {
		add("lr %v: must be positive", c.LR)
	}
	if c.Sigma < 0 || math.IsNaN(c.Sigma) || math.IsInf(c.Sigma, 0) {
		add("sigma %v: must be finite and ≥ 0", c.Sigma)
	}
	if c.EMADecay < 0 || c.EMADecay >= 1 || math.IsNaN(c.EMADecay) {
		add("ema decay %v: must be in [0, 1)", c.EMADecay)
	}
	if c.ClipNorm < 0 || math.IsNaN(c.ClipNorm) {
		add("clip %v: must be ≥ 0 (0 = no clipping)", c.ClipNorm)
	}
	if c.WeightDecay < 0 || math.IsNaN(c.WeightDecay) {
		add("weight decay %v: must be ≥ 0", c.WeightDecay)
	}
	if c.Holdout < 0 || c.Holdout >= 1 {
		add("holdout %v: must be in [0, 1)", c.Holdout)
	}
	if c.Pool < 1 {
		add("pool %d: must be at least 1", c.Pool)
	}
	if len(c.Hidden) == 0 {
		add("hidden: at least one hidden layer")
	}
	for _, h := range c.Hidden {
		if h < 1 {
			add("hidden width %d: must be at least 1", h)
		}
	}
	switch c.Coupling {
	case Independent, OT:
	default:
		add("coupling %q: want %q or %q", c.Coupling, Independent, OT)
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
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

// Trainer trains a velocity field v_θ(x, t) by flow matching on the
// least-action paths of a Lagrangian.
type Trainer struct {
	Cfg   Config
	Net   *nn.MLP
	Adam  *nn.Adam
	EMA   *nn.EMA
	Step  int       // iterations done
	Loss  []float64 // loss of every iteration done
	Paths *Paths
	// Time accumulates where the iterations spent their time.
	Time Timing

	src, tgt data.Sampler
	d        int
	ws       *nn.Workspace
	grad     []float64
	in, out  []float64
	pool     []*Batch
	fresh    [prefetchDepth + 1]Batch
	sync     *batcher                // builds batches on the caller's goroutine
	ahead    [prefetchDepth]*batcher // build the prefetched batches
	pending  []*prefetch             // in order of k
	// euclid is set when the Lagrangian's optimal couplings are those of
	// the squared Euclidean cost (lagrangian.EuclideanCoupling).
	euclid bool
}

// NewTrainer builds the network, optimiser and data of a run. sys is the
// compiled Lagrangian at the data dimension; src and tgt draw the data.
func NewTrainer(cfg Config, sys lagrangian.System, src, tgt data.Sampler) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	d := sys.Dim()
	for _, s := range []struct {
		name string
		s    data.Sampler
	}{{"source", src}, {"target", tgt}} {
		if s.s.Dim() != 0 && s.s.Dim() != d {
			return nil, fmt.Errorf("the %s data have dimension %d but the Lagrangian is evaluated in dimension %d", s.name, s.s.Dim(), d)
		}
	}
	act, err := nn.ParseActivation(cfg.Activation)
	if err != nil {
		return nil, err
	}
	sizes := append(append([]int{d + 1}, cfg.Hidden...), d)
	initRNG := rand.New(rand.NewPCG(cfg.Seed, streamInit))
	net, err := nn.NewMLP(sizes, act, initRNG)
	if err != nil {
		return nil, err
	}
	ws, err := net.NewWorkspace(cfg.Batch, &nn.WorkspaceSettings{Workers: cfg.Threads})
	if err != nil {
		return nil, err
	}
	adam, err := nn.NewAdam(net.NumParams(), &nn.AdamSettings{LR: cfg.LR, WeightDecay: cfg.WeightDecay, Decoupled: cfg.WeightDecay > 0})
	if err != nil {
		return nil, err
	}
	ema, err := nn.NewEMA(net.Params(), cfg.EMADecay)
	if err != nil {
		return nil, err
	}
	ema.Warmup = true
	paths := NewPaths(sys, nil)
	n := cfg.Batch
	tr := &Trainer{Cfg: cfg, Net: net, Adam: adam, EMA: ema, Paths: paths, src: src, tgt: tgt, d: d, ws: ws,
		grad: make([]float64, net.NumParams()), in: make([]float64, n*(d+1)), out: make([]float64, n*d)}
	if ec, ok := sys.(lagrangian.EuclideanCoupling); ok {
		tr.euclid = ec.EuclideanCoupling()
	}
	return tr, nil
}

// Random streams: every iteration draws from its own PCG stream, so a
// resumed run repeats an uninterrupted one exactly, whatever the threads.
const (
	streamInit = 1 << 62
	streamPool = 1 << 61
)

func (tr *Trainer) rngFor(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(tr.Cfg.Seed, stream))
}

// NewBatch draws and couples a minibatch with rng, solving its paths.
func (tr *Trainer) NewBatch(dst *Batch, rng *rand.Rand) error {
	if tr.sync == nil {
		tr.sync = tr.newBatcher()
	}
	err := tr.sync.build(dst, rng)
	tr.sync.flush(&tr.Time)
	return err
}

// batcher draws and couples minibatches with buffers of its own, so that
// one can fill the next batch on another goroutine while the network
// trains on the current one.
type batcher struct {
	tr       *Trainer
	cost     []float64
	perm     []int
	scratch  []float64
	assigner ot.Assigner
	time     Timing
}

func (tr *Trainer) newBatcher() *batcher {
	n, d := tr.Cfg.Batch, tr.d
	b := &batcher{tr: tr, perm: make([]int, n), scratch: make([]float64, n*d)}
	if tr.Cfg.Coupling == OT {
		b.cost = make([]float64, n*n)
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
	tr := b.tr
	n, d := tr.Cfg.Batch, tr.d
	if dst.X0 == nil {
		*dst = Batch{N: n, D: d, X0: make([]float64, n*d), X1: make([]float64, n*d)}
	}
	t0 := time.Now()
	tr.src.Sample(dst.X0, n, rng)
	tr.tgt.Sample(dst.X1, n, rng)
	t1 := time.Now()
	b.time.Data += t1.Sub(t0)
	if tr.Cfg.Coupling == OT {
		if tr.euclid {
			if err := ot.SqDist(b.cost, dst.X0, n, dst.X1, n, d); err != nil {
				return err
			}
		} else if err := tr.Paths.Cost(b.cost, dst.X0, n, dst.X1, n); err != nil {
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
	var err error
	dst.Paths, err = tr.Paths.Solve(dst.X0, dst.X1, n)
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
// the pool of solved paths otherwise. It belongs to the trainer and stays
// valid until the next call. Fresh batches are prefetched: batches k+1 and
// k+2 are drawn and coupled on other goroutines while iteration k trains,
// which changes nothing in the results since batch k depends only on the
// stream (Seed, k). Threads = 1 turns prefetching off.
func (tr *Trainer) Batch(k int) (*Batch, error) {
	if tr.Paths.Closed() {
		cur := &tr.fresh[k%len(tr.fresh)]
		if len(tr.pending) > 0 && tr.pending[0].k == k {
			p := tr.pending[0]
			tr.pending = tr.pending[1:]
			t0 := time.Now()
			err := <-p.done
			tr.Time.Wait += time.Since(t0)
			p.b.flush(&tr.Time)
			if err != nil {
				return nil, err
			}
		} else {
			tr.drain()
			if err := tr.NewBatch(cur, tr.rngFor(uint64(k))); err != nil {
				return nil, err
			}
		}
		if tr.Cfg.Threads != 1 {
			next := k + 1
			if n := len(tr.pending); n > 0 {
				next = tr.pending[n-1].k + 1
			}
			for len(tr.pending) < prefetchDepth && next < tr.Cfg.Iters {
				tr.prefetch(next)
				next++
			}
		}
		return cur, nil
	}
	if tr.pool == nil {
		tr.pool = make([]*Batch, tr.Cfg.Pool)
	}
	p := k % tr.Cfg.Pool
	if tr.pool[p] == nil {
		b := new(Batch)
		if err := tr.NewBatch(b, tr.rngFor(streamPool+uint64(p))); err != nil {
			return nil, fmt.Errorf("solving paths of pool batch %d: %w", p, err)
		}
		tr.pool[p] = b
	}
	return tr.pool[p], nil
}

// prefetchDepth is how many batches are built ahead, each on its own
// goroutine: coupling a batch (a 256×256 assignment, ≈3.4 ms) costs several
// network steps (≈0.35 ms), so two builders keep both cores busy.
const prefetchDepth = 2

// prefetch starts building batch k into its buffer with its batcher.
func (tr *Trainer) prefetch(k int) {
	b := tr.ahead[k%prefetchDepth]
	if b == nil {
		b = tr.newBatcher()
		tr.ahead[k%prefetchDepth] = b
	}
	p := &prefetch{k: k, b: b, done: make(chan error, 1)}
	tr.pending = append(tr.pending, p)
	dst, rng := &tr.fresh[k%len(tr.fresh)], tr.rngFor(uint64(k))
	go func() { p.done <- b.build(dst, rng) }()
}

// drain waits for prefetches that will not be used (a jump in k).
func (tr *Trainer) drain() {
	for _, p := range tr.pending {
		<-p.done
		p.b.flush(&tr.Time)
	}
	tr.pending = nil
}

// Next returns the minibatch of iteration k (Batch) and fills in with its
// network inputs [x_t + σε, t] and target with the velocities u_t, at the
// times and noise of iteration k's own stream. Every training method draws
// its iterations through it.
func (tr *Trainer) Next(k int, in, target []float64) (*Batch, error) {
	b, err := tr.Batch(k)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	err = tr.Targets(in, target, b, tr.rngFor(uint64(k)+streamPool/2))
	tr.Time.Targets += time.Since(t0)
	return b, err
}

// Targets fills the network input rows [x_t + σε, t] and the target
// velocities u_t for the pairs of b at times drawn from rng.
func (tr *Trainer) Targets(in, target []float64, b *Batch, rng *rand.Rand) error {
	d := b.D
	sigma := tr.Cfg.Sigma
	for k := 0; k < b.N; k++ {
		t := rng.Float64()
		row := in[k*(d+1) : (k+1)*(d+1)]
		xt, ut := row[:d], target[k*d:(k+1)*d]
		var err error
		if b.Paths == nil {
			err = tr.Paths.cf.Path(xt, ut, t, b.X0[k*d:(k+1)*d], b.X1[k*d:(k+1)*d])
		} else {
			err = b.Paths[k].At(xt, ut, t)
		}
		if err != nil {
			return fmt.Errorf("path target of pair %d at t=%g: %w", k, t, err)
		}
		if sigma > 0 {
			for i := range xt {
				xt[i] += sigma * rng.NormFloat64()
			}
		}
		row[d] = t
	}
	return nil
}

// Update is the optimiser step of every training method at iteration k: it
// refuses a non-finite loss or gradient, naming the iteration and what to
// try, before touching params; then clips the gradient's global norm to clip
// (when > 0), steps adam on params and updates the weight average ema.
func Update(params, grad []float64, loss float64, k int, adam *nn.Adam, ema *nn.EMA, clip float64) error {
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return fmt.Errorf("iteration %d: the loss is %v; the model diverged (try a smaller --lr, gradient clipping with --clip 1, or check the data for huge values; --standardize helps with file data)", k, loss)
	}
	if clip > 0 {
		if _, err := nn.ClipGradNorm(grad, clip); err != nil {
			return fmt.Errorf("iteration %d: %w", k, err)
		}
	}
	for _, g := range grad {
		if math.IsNaN(g) || math.IsInf(g, 0) {
			return fmt.Errorf("iteration %d: a gradient is %v although the loss %g is finite; try gradient clipping (--clip 1) or a smaller --lr", k, g, loss)
		}
	}
	if err := adam.Step(params, grad); err != nil {
		return err
	}
	return ema.Update(params)
}

// Iterate does one training iteration and returns its loss.
func (tr *Trainer) Iterate() (float64, error) {
	k := tr.Step
	b, err := tr.Next(k, tr.in, tr.out)
	if err != nil {
		return 0, err
	}
	t1 := time.Now()
	defer func() { tr.Time.Network += time.Since(t1) }()
	loss, err := tr.Net.MSEGrad(tr.grad, tr.ws, tr.in, tr.out, b.N)
	if err != nil {
		return 0, err
	}
	if err := Update(tr.Net.Params(), tr.grad, loss, k, tr.Adam, tr.EMA, tr.Cfg.ClipNorm); err != nil {
		return loss, err
	}
	tr.Step++
	tr.Loss = append(tr.Loss, loss)
	return loss, nil
}
