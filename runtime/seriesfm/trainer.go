package seriesfm

import (
	"errors"
	"fmt"

	"math/rand/v2"
	"slices"
	"sort"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/nn"
	"github.com/lagc-dev/lagc/runtime/noise"
	"github.com/lagc-dev/lagc/runtime/series"
)

// ErrLeaveOut is wrapped by the error of a leave-out time that is not an
// interior time of the series.
var ErrLeaveOut = errors.New("leave-out time")

// Problem is what a series model learns from.
type Problem struct {
	// Sys is the Lagrangian at the series' dimension, in physical time.
	Sys    lagrangian.System
	Series *series.Series
	// LeaveOut is the index of an interior time (1..Len−2) left out of
	// training; 0 leaves none out.
	LeaveOut int
	Seed     uint64
	// Threads bounds the network's goroutines (0: GOMAXPROCS); results do
	// not depend on it.
	Threads int
	// Series settings for couplings and path solves (nil: defaults).
	Paths *series.Settings

	// legs, when not nil, shares the intervals' couplings and paths
	// between trainers on the same series and Lagrangian (ModelScore's
	// models, one per left-out time), keyed by the times' indices.
	legs map[[2]int]*leg
}

// CheckLeaveOut reports whether k can be left out of a series of n times:
// an interior time, 1..n−2.
func CheckLeaveOut(k, n int) error {
	if k < 1 || k > n-2 {
		return fmt.Errorf("%w %d: want an interior time, 1..%d of the %d times 0..%d (the first and last bound the span)", ErrLeaveOut, k, n-2, n, n-1)
	}
	return nil
}

func (p *Problem) check() error {
	if p == nil || p.Sys == nil || p.Series == nil {
		return errors.New("training on snapshots needs a Lagrangian and a series")
	}
	if p.Sys.Dim() != p.Series.D {
		return fmt.Errorf("the Lagrangian has dimension %d but the snapshots have %d columns", p.Sys.Dim(), p.Series.D)
	}
	if p.LeaveOut != 0 {
		if err := CheckLeaveOut(p.LeaveOut, p.Series.Len()); err != nil {
			return err
		}
	}
	if p.Threads < 0 {
		return fmt.Errorf("threads %d: must be ≥ 0 (0: all cores)", p.Threads)
	}
	return nil
}

// knots is the number of reduced-time steps at which each interval's paths
// are kept.
const knots = 32

// leg is one interval between consecutive kept times: its pairs' paths
// at knots+1 reduced times.
type leg struct {
	ta, tb float64
	cum    []float64 // cumulative masses of the pairs
	// x and v hold, for knot g, pair f, the position and dx/ds (s the
	// reduced time) at [(g*pairs+f)*d:].
	x, v  []float64
	pairs int
}

// Random streams other than the iterations'.
const streamInit = 1 << 62

// Trainer trains a velocity field on a snapshot series; it satisfies
// run.Method.
type Trainer struct {
	Settings fm.Settings
	Net      *nn.MLP
	Opt      *nn.Optimizer
	Loss     []float64

	prob Problem
	// kept are the indices of the times trained on.
	kept     []int
	t0, span float64
	legs     []*leg // made on the first iteration
	ws       *nn.Workspace
	grad     []float64
	in, out  []float64
}

// NewTrainer builds the network and optimiser of a series run; nil s means
// fm.DefaultSettings. The couplings and paths are made on the first
// iteration, so that opening a trained model to sample from it is cheap.
func NewTrainer(p *Problem, s *fm.Settings) (*Trainer, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	set := fm.DefaultSettings()
	if s != nil {
		set = *s
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	if set.Pairs.Coupling != fm.OT {
		return nil, fmt.Errorf("coupling %q: a snapshot series is coupled by exact optimal transport between consecutive times (ot)", set.Pairs.Coupling)
	}
	if sch, _ := noise.ParseSchedule(set.Pairs.Schedule); sch != noise.Constant {
		return nil, fmt.Errorf("noise schedule %q: a snapshot series is trained with constant noise around its paths", set.Pairs.Schedule)
	}
	act, err := nn.ParseActivation(set.Activation)
	if err != nil {
		return nil, err
	}
	d, ser := p.Series.D, p.Series
	net, err := nn.NewMLP(append(append([]int{d + 1}, set.Hidden...), d), act, rand.New(rand.NewPCG(p.Seed, streamInit)))
	if err != nil {
		return nil, err
	}
	n := set.Pairs.Batch
	ws, err := net.NewWorkspace(n, &nn.WorkspaceSettings{Workers: p.Threads})
	if err != nil {
		return nil, err
	}
	opt, err := nn.NewOptimizer(net.Params(), &set.Optim)
	if err != nil {
		return nil, err
	}
	tr := &Trainer{Settings: set, Net: net, Opt: opt, prob: *p, ws: ws,
		t0: ser.Times[0], span: ser.Times[ser.Len()-1] - ser.Times[0],
		grad: make([]float64, net.NumParams()), in: make([]float64, n*(d+1)), out: make([]float64, n*d)}
	for k := range ser.Len() {
		if k != p.LeaveOut || p.LeaveOut == 0 {
			tr.kept = append(tr.kept, k)
		}
	}
	return tr, nil
}

// Span returns the first and last observed times, the interval the field
// is trained on.
func (tr *Trainer) Span() (t0, t1 float64) { return tr.t0, tr.t0 + tr.span }

// Series returns the series the trainer was built on (every time, the
// left-out one included).
func (tr *Trainer) Series() *series.Series { return tr.prob.Series }

// LeaveOut is the left-out time's index (0: none).
func (tr *Trainer) LeaveOut() int { return tr.prob.LeaveOut }

// couple makes every interval's coupling and paths.
func (tr *Trainer) couple() error {
	ser, d := tr.prob.Series, tr.prob.Series.D
	legs := make([]*leg, 0, len(tr.kept)-1)
	for i := 1; i < len(tr.kept); i++ {
		a, b := tr.kept[i-1], tr.kept[i]
		if lg, ok := tr.prob.legs[[2]int{a, b}]; ok {
			legs = append(legs, lg)
			continue
		}
		ta, tb := ser.Times[a], ser.Times[b]
		br, err := series.Couple(tr.prob.Sys, ser.Points[a], ser.Count(a), ser.Points[b], ser.Count(b), ta, tb, tr.prob.Paths)
		if err != nil {
			return fmt.Errorf("coupling the snapshots at %g and %g: %w", ta, tb, err)
		}
		np := br.Pairs()
		lg := &leg{ta: ta, tb: tb, pairs: np, cum: make([]float64, np),
			x: make([]float64, (knots+1)*np*d), v: make([]float64, (knots+1)*np*d)}
		var c float64
		for f, m := range br.Mass {
			c += m
			lg.cum[f] = c
		}
		for g := 0; g <= knots; g++ {
			t := ta + (tb-ta)*float64(g)/knots
			if g == knots {
				t = tb
			}
			x, v := lg.x[g*np*d:(g+1)*np*d], lg.v[g*np*d:(g+1)*np*d]
			if err := br.At(x, v, t); err != nil {
				return err
			}
			for j := range v {
				v[j] *= tb - ta // dx/dt → dx/ds
			}
		}
		legs = append(legs, lg)
		if tr.prob.legs != nil {
			tr.prob.legs[[2]int{a, b}] = lg
		}
	}
	tr.legs = legs
	return nil
}

// at writes pair f's position and dx/ds at reduced time s ∈ [0, 1] into
// x and v: the cubic Hermite interpolant of the knots around s.
func (lg *leg) at(x, v []float64, f int, s float64, d int) {
	s = min(1, max(0, s))
	g := min(int(s*knots), knots-1)
	th := s*knots - float64(g)
	th2, th3 := th*th, th*th*th
	h00, h10, h01, h11 := 2*th3-3*th2+1, th3-2*th2+th, -2*th3+3*th2, th3-th2
	d00, d10, d01, d11 := 6*th2-6*th, 3*th2-4*th+1, -6*th2+6*th, 3*th2-2*th
	const h = 1.0 / knots
	p0, p1 := lg.x[(g*lg.pairs+f)*d:], lg.x[((g+1)*lg.pairs+f)*d:]
	m0, m1 := lg.v[(g*lg.pairs+f)*d:], lg.v[((g+1)*lg.pairs+f)*d:]
	for j := 0; j < d; j++ {
		x[j] = h00*p0[j] + h10*h*m0[j] + h01*p1[j] + h11*h*m1[j]
		v[j] = (d00*p0[j]+d01*p1[j])/h + d10*m0[j] + d11*m1[j]
	}
}

// targets fills the network inputs [x_τ + σε, τ] and targets dx/dτ of a
// minibatch drawn from rng.
func (tr *Trainer) targets(rng *rand.Rand) {
	d, sigma := tr.prob.Series.D, tr.Settings.Pairs.Sigma
	n := tr.Settings.Pairs.Batch
	for r := 0; r < n; r++ {
		tau := rng.Float64()
		t := tr.t0 + tau*tr.span
		li := sort.Search(len(tr.legs)-1, func(i int) bool { return tr.legs[i].tb >= t })
		lg := tr.legs[li]
		f := sort.SearchFloat64s(lg.cum, rng.Float64()*lg.cum[len(lg.cum)-1])
		f = min(f, lg.pairs-1)
		T := lg.tb - lg.ta
		row, u := tr.in[r*(d+1):(r+1)*(d+1)], tr.out[r*d:(r+1)*d]
		lg.at(row[:d], u, f, (t-lg.ta)/T, d)
		for j := range u {
			u[j] *= tr.span / T // dx/ds → dx/dτ
		}
		if sigma > 0 {
			for j := 0; j < d; j++ {
				row[j] += sigma * rng.NormFloat64()
			}
		}
		row[d] = tau
	}
}

// Iterate does one iteration and returns its loss; check, when not nil,
// sees the loss before the weights change.
func (tr *Trainer) Iterate(check func(loss float64) error) (float64, error) {
	if tr.legs == nil {
		if err := tr.couple(); err != nil {
			return 0, err
		}
	}
	k := len(tr.Loss)
	tr.targets(rand.New(rand.NewPCG(tr.prob.Seed, uint64(k))))
	loss, err := tr.Net.MSEGrad(tr.grad, tr.ws, tr.in, tr.out, tr.Settings.Pairs.Batch)
	if err != nil {
		return 0, err
	}
	if err := fm.Accept(check, tr.Opt, tr.Net.Params(), tr.grad, loss); err != nil {
		return loss, fmt.Errorf("iteration %d: %w", k, err)
	}
	tr.Loss = append(tr.Loss, loss)
	return loss, nil
}

// Losses returns the loss of every iteration done.
func (tr *Trainer) Losses() []float64 { return tr.Loss }

// State encodes the network and the optimiser (fm.MarshalState).
func (tr *Trainer) State() ([]byte, error) { return fm.MarshalState(tr.Net, tr.Opt) }

// Restore puts back a state written by State after the given losses.
func (tr *Trainer) Restore(losses []float64, state []byte) error {
	if err := fm.UnmarshalState(state, tr.Net, tr.Opt); err != nil {
		return err
	}
	tr.Loss = slices.Clone(losses)
	return nil
}

// model returns a copy of the network with the averaged weights, or the
// raw ones.
func (tr *Trainer) model(raw bool) *nn.MLP {
	m := tr.Net.Clone()
	if !raw {
		copy(m.Params(), tr.Opt.Average())
	}
	return m
}

// Transport carries points from the first observed time to the last.
func (tr *Trainer) Transport(raw bool) (fm.Transport, error) {
	t0, t1 := tr.Span()
	return func(x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
		return tr.Push(x0, n, t0, t1, raw, s)
	}, nil
}

// Push carries the n points x (observed at time t0) along the learned
// field to time t1, both physical times within the trained span; t1 < t0
// integrates backwards. The solver's steps span |t1 − t0|; the result's
// trajectory times (SampleResult.TrajT) are physical.
func (tr *Trainer) Push(x []float64, n int, t0, t1 float64, raw bool, s *fm.SampleSettings) (*fm.SampleResult, error) {
	lo, hi := tr.Span()
	for _, t := range []float64{t0, t1} {
		if !(t >= lo && t <= hi) {
			return nil, fmt.Errorf("time %g is outside the span the model was trained on, [%g, %g]", t, lo, hi)
		}
	}
	d := tr.prob.Series.D
	if n < 1 || len(x) < n*d {
		return nil, fmt.Errorf("push: %d points of dimension %d need %d values, got %d", n, d, n*d, len(x))
	}
	threads := 0
	if s != nil {
		threads = s.Threads
	}
	f, err := fm.NewField(tr.model(raw), n, threads)
	if err != nil {
		return nil, err
	}
	tau0, tau1 := (t0-tr.t0)/tr.span, (t1-tr.t0)/tr.span
	res, err := fm.SampleField(&rescaled{f: f, tau0: tau0, dtau: tau1 - tau0}, x, n, d, s)
	if err != nil {
		return nil, err
	}
	for i, r := range res.TrajT {
		res.TrajT[i] = t0 + r*(t1-t0)
	}
	return res, nil
}

// rescaled is the field on τ ∈ [tau0, tau0+dtau] seen from r ∈ [0, 1]:
// dx/dr = dtau·v(x, tau0 + r·dtau). With dtau = 0 it is zero, and the
// push the identity.
type rescaled struct {
	f          *fm.Field
	tau0, dtau float64
}

func (r *rescaled) Eval(dst []float64, t float64, y []float64, n int) error {
	if err := r.f.Eval(dst, r.tau0+t*r.dtau, y, n); err != nil {
		return err
	}
	for i := range dst[:n*r.f.Net.Out()] {
		dst[i] *= r.dtau
	}
	return nil
}
