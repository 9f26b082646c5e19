package experiment

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/ofm"
	"github.com/lagc-dev/lagc/runtime/plot"
	"github.com/lagc-dev/lagc/runtime/run"
)

// The Lagrangians of the equivalence experiment's interpolations.
const (
	kineticLag  = "L = 0.5*|v|^2\n"
	harmonicLag = "param w = pi/2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n"
)

// interpolation is one row of the equivalence table: how p_t is made.
type interpolation struct {
	Name       string
	Lagrangian string
	Coupling   string
	Weights    ofm.Weights // the paths' weights, for the closed-form limits
}

var EquivalenceRows = []interpolation{
	{"independent, straight", kineticLag, fm.Independent, ofm.Straight},
	{"independent, harmonic ω=π/2", harmonicLag, fm.Independent, ofm.Harmonic(math.Pi / 2)},
	{"minibatch OT, straight", kineticLag, fm.OT, ofm.Straight},
}

// Closed-form columns: the maps plain FM and AM converge to with infinite
// data and capacity (independent couplings only).
const (
	limitFM = "fm-limit"
	limitAM = "am-limit"
)

// EquivalenceMethods are the columns: methods that learn a map.
var EquivalenceMethods = []string{"fm", "am", ofm.FlowMatching, ofm.ActionMatching}

// EquivalenceCell is one trained model's L2-UVP.
type EquivalenceCell struct {
	Dim           int     `json:"dim"`
	Seed          uint64  `json:"seed"`
	Interpolation string  `json:"interpolation"`
	Method        string  `json:"method"`
	L2UVP         float64 `json:"l2_uvp"`
	FinalLoss     float64 `json:"final_loss"`
	Iterations    int     `json:"iterations"`
	TrainSeconds  float64 `json:"train_seconds"`
}

// EquivalenceReport is the --json output.
type EquivalenceReport struct {
	Dims    []int             `json:"dims"`
	Methods []string          `json:"methods"`
	Seeds   int               `json:"seeds"`
	Cells   []EquivalenceCell `json:"cells"`
	Mixture []MixtureCell     `json:"mixture,omitempty"`
	Seconds float64           `json:"seconds"`
}

// MixtureCell is a model of the 2-D Gaussian-to-mixture case.
type MixtureCell struct {
	Method string  `json:"method"`
	W2     float64 `json:"w2"`
	// PathEnergy is ∫|ẋ|²dt of the generated paths over W2(source,
	// target)²: 1 for straight optimal paths.
	PathEnergy float64 `json:"path_energy"`
}

// EquivalenceSettings configure Equivalence.
type EquivalenceSettings struct {
	Dims  []int
	Seeds int
	// ItersFlow and ItersOpt are the training iterations of the FM and AM
	// models and of the OFM and AM-optimal ones.
	ItersFlow, ItersOpt int
	Batch               int
	// N is the number of fresh source samples for L2-UVP.
	N int
	// Hidden are the widths of the FM and AM networks, ICNNHidden those of
	// the input-convex potential.
	Hidden, ICNNHidden []int
	LRFlow, LROpt      float64
	// PlotDir, when not empty, gets the mixture case's trajectory plots.
	PlotDir string
	Mixture bool
	// Methods are the columns to train (registered method names).
	Methods []string
	Log     io.Writer
}

// DefaultEquivalence is the published experiment: d = 2, 8, 32, 3 seeds.
func DefaultEquivalence() EquivalenceSettings {
	return EquivalenceSettings{Dims: []int{2, 8, 32}, Seeds: 3, ItersFlow: 2000, ItersOpt: 500, Batch: 256, N: 10000,
		Hidden: []int{64, 64, 64}, ICNNHidden: []int{32, 32}, LRFlow: 1e-3, LROpt: 1e-2, Mixture: true,
		Methods: slices.Clone(EquivalenceMethods)}
}

// Validate checks the settings; its messages name concepts.
func (o *EquivalenceSettings) Validate() error {
	if o.Seeds < 1 || o.ItersFlow < 1 || o.ItersOpt < 1 || o.Batch < 2 || o.N < 1 || !(o.LRFlow > 0) || !(o.LROpt > 0) {
		return errors.New("seeds, iterations, batch size (≥ 2), samples and learning rates must be positive")
	}
	for _, d := range o.Dims {
		if d < 1 || d > 64 {
			return fmt.Errorf("dimension %d: this experiment runs in 1 to 64 dimensions", d)
		}
	}
	for _, m := range o.Methods {
		if _, err := run.Lookup(m); err != nil {
			return err
		}
	}
	return nil
}

// Equivalence runs the experiment: Gaussian N(m0, Σ0) → N(m1, Σ1) with
// random covariances, whose OT map T* is known in closed form. For each
// interpolation p_t (EquivalenceRows) it trains every method and reports
// L2-UVP = 100·E|T(x) − T*(x)|²/Var(p1) in % over fresh x ~ p0; flows map by
// integrating their field (RK4, 32 steps), optimal ones by ∇Ψ. The FM and
// AM limit cells are the exact maps plain FM and AM converge to on
// independent couplings. Then, with Mixture, a 2-D Gaussian → 8-Gaussian
// mixture case compares the paths of FM and OFM. nil s means the defaults.
func Equivalence(s *EquivalenceSettings) (*EquivalenceReport, error) {
	o := DefaultEquivalence()
	if s != nil {
		o = *s
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	start := time.Now()
	rep := &EquivalenceReport{Dims: o.Dims, Methods: o.Methods, Seeds: o.Seeds}
	for _, d := range o.Dims {
		for seed := 1; seed <= o.Seeds; seed++ {
			cells, err := equivalenceProblem(d, uint64(seed), &o)
			if err != nil {
				return rep, fmt.Errorf("d=%d seed %d: %w", d, seed, err)
			}
			rep.Cells = append(rep.Cells, cells...)
		}
	}
	if o.Mixture {
		var err error
		if rep.Mixture, err = mixtureCase(&o); err != nil {
			return rep, fmt.Errorf("mixture case: %w", err)
		}
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// gaussianPair is a random Gaussian problem with its OT map.
type gaussianPair struct {
	src, tgt   *ofm.Gaussian
	truth      *ofm.GaussianMap
	variance   float64
	cov0, cov1 []float64
}

// newGaussianPair draws means from N(0, I) and covariances with
// eigenvalues log-uniform on [0.25, 4].
func newGaussianPair(d int, seed uint64) (*gaussianPair, error) {
	rng := rand.New(rand.NewPCG(seed, uint64(d)))
	var covs [2][]float64
	var means [2][]float64
	for i := range covs {
		c, err := ofm.RandomCovariance(d, 0.25, 4, rng)
		if err != nil {
			return nil, err
		}
		covs[i] = c
		means[i] = make([]float64, d)
		for j := range means[i] {
			means[i][j] = rng.NormFloat64()
		}
	}
	p := &gaussianPair{cov0: covs[0], cov1: covs[1]}
	var err error
	if p.src, err = ofm.NewGaussian(means[0], covs[0]); err != nil {
		return nil, err
	}
	if p.tgt, err = ofm.NewGaussian(means[1], covs[1]); err != nil {
		return nil, err
	}
	if p.truth, err = ofm.NewGaussianMap(means[0], covs[0], means[1], covs[1]); err != nil {
		return nil, err
	}
	for i := range d {
		p.variance += covs[1][i*d+i]
	}
	return p, nil
}

// loadSystemText compiles a Lagrangian given as text at dimension d.
func loadSystemText(name, src string, d int) (lagrangian.System, error) {
	sys, err := eulerlag.Load(name, []byte(src), nil)
	if err != nil {
		return nil, err
	}
	return sys.Instantiate(d)
}

func equivalenceProblem(d int, seed uint64, o *EquivalenceSettings) ([]EquivalenceCell, error) {
	p, err := newGaussianPair(d, seed)
	if err != nil {
		return nil, err
	}
	x := make([]float64, o.N*d)
	p.src.Sample(x, o.N, rand.New(rand.NewPCG(seed, 1<<40)))
	want := make([]float64, o.N*d)
	p.truth.Apply(want, x, o.N)
	var cells []EquivalenceCell
	for _, row := range EquivalenceRows {
		sys, err := loadSystemText(row.Name, row.Lagrangian, d)
		if err != nil {
			return nil, err
		}
		if row.Coupling == fm.Independent {
			for _, lim := range []string{limitFM, limitAM} {
				m, err := ofm.LimitMap(p.cov0, p.cov1, d, row.Weights, lim == limitAM, 400)
				if err != nil {
					return nil, err
				}
				cells = append(cells, EquivalenceCell{Dim: d, Seed: seed, Interpolation: row.Name, Method: lim,
					L2UVP: p.truth.MapUVP(m, p.cov0, p.cov1)})
			}
		}
		for _, method := range o.Methods {
			set, iters := o.config(method, row)
			cfg := cellConfig{set, iters}
			start := time.Now()
			m, err := trainMethod(method, cfg, sys, p.src, p.tgt, seed)
			if err != nil {
				return nil, fmt.Errorf("%s, %s: %w", row.Name, method, err)
			}
			secs := time.Since(start).Seconds()
			res, err := transportOf(m)(x, o.N, &fm.SampleSettings{Solver: fm.RK4, Steps: 32})
			if err != nil {
				return nil, fmt.Errorf("%s, %s: %w", row.Name, method, err)
			}
			got := res.X
			c := EquivalenceCell{Dim: d, Seed: seed, Interpolation: row.Name, Method: method,
				L2UVP: ofm.L2UVP(got, want, o.N, d, p.variance), FinalLoss: run.FinalLoss(m.Losses()),
				Iterations: len(m.Losses()), TrainSeconds: secs}
			cells = append(cells, c)
			fmt.Fprintf(o.Log, "d=%d seed %d %-28s %-10s L2-UVP %7.3f%%  %5.1fs\n", d, seed, row.Name, method, c.L2UVP, secs)
		}
	}
	return cells, nil
}

// config is the training configuration of one cell: its settings and
// iterations.
func (o *EquivalenceSettings) config(method string, row interpolation) (fm.Settings, int) {
	reg, _ := run.Lookup(method)
	set := reg.Defaults()
	set.Pairs.Coupling, set.Pairs.Batch = row.Coupling, o.Batch
	// No noise around the paths: σ > 0 changes p_t and makes the targets
	// inconsistent with it.
	set.Pairs.Sigma = 0
	set.Hidden, set.Optim.LR = o.Hidden, o.LRFlow
	iters := o.ItersFlow
	if reg.OneStep {
		set.Hidden, set.Optim.LR, set.Optim.EMADecay = o.ICNNHidden, o.LROpt, 0.99
		iters = o.ItersOpt
	}
	return set, iters
}

// trainMethod trains method on sys from src to tgt.
func trainMethod(method string, cfg cellConfig, sys lagrangian.System, src, tgt data.Sampler, seed uint64) (run.Method, error) {
	reg, err := run.Lookup(method)
	if err != nil {
		return nil, err
	}
	m, err := reg.New(&fm.Problem{Sys: sys, Source: src, Target: tgt, Seed: seed, Iters: cfg.iters}, &cfg.set)
	if err != nil {
		return nil, err
	}
	for len(m.Losses()) < cfg.iters {
		if _, err := m.Iterate(nil); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// cellConfig is a cell's settings and iterations.
type cellConfig struct {
	set   fm.Settings
	iters int
}

// transportOf returns the averaged model's transport (its error is
// reported by the transport's call).
func transportOf(m run.Method) fm.Transport {
	t, err := m.Transport(false)
	if err != nil {
		return func([]float64, int, *fm.SampleSettings) (*fm.SampleResult, error) { return nil, err }
	}
	return t
}

// mixtureCase trains FM and OFM from a standard normal to the 8-Gaussian
// mixture with independent couplings and compares their paths.
func mixtureCase(o *EquivalenceSettings) ([]MixtureCell, error) {
	const d = 2
	src, _ := data.Lookup("gaussian")
	tgt, _ := data.Lookup("8gaussians")
	sys, err := loadSystemText("kinetic", kineticLag, d)
	if err != nil {
		return nil, err
	}
	row := EquivalenceRows[0]
	n := min(o.N, 2048)
	x := make([]float64, n*d)
	y := make([]float64, n*d)
	rng := rand.New(rand.NewPCG(1, 1<<41))
	src.Sample(x, n, rng)
	tgt.Sample(y, n, rng)
	_, w2st, err := fm.Wasserstein(x, y, n, d)
	if err != nil {
		return nil, err
	}
	var cells []MixtureCell
	for _, method := range []string{"fm", ofm.FlowMatching} {
		set, iters := o.config(method, row)
		cfg := cellConfig{set, iters}
		if method == ofm.FlowMatching {
			// The mixture needs a potential that is far from quadratic.
			cfg.set.Hidden = []int{64, 64}
			cfg.iters = 2 * o.ItersOpt
		}
		m, err := trainMethod(method, cfg, sys, src, tgt, 1)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		res, err := transportOf(m)(x, n, &fm.SampleSettings{Solver: fm.RK4, Steps: 40, Trajectory: 21})
		if err != nil {
			return nil, err
		}
		_, w2, err := fm.Wasserstein(res.X, y, n, d)
		if err != nil {
			return nil, err
		}
		var energy float64
		for k := 1; k < len(res.Traj); k++ {
			dt := res.TrajT[k] - res.TrajT[k-1]
			for i := range res.Traj[k] {
				v := res.Traj[k][i] - res.Traj[k-1][i]
				energy += v * v / dt
			}
		}
		c := MixtureCell{Method: method, W2: w2, PathEnergy: energy / float64(n) / (w2st * w2st)}
		cells = append(cells, c)
		fmt.Fprintf(o.Log, "mixture %-4s W2 %.3f  path energy / W2² %.3f\n", method, c.W2, c.PathEnergy)
		if o.PlotDir != "" {
			if err := os.MkdirAll(o.PlotDir, 0o755); err != nil {
				return nil, err
			}
			title := fmt.Sprintf("%s, gaussian → 8gaussians, independent coupling", strings.ToUpper(method))
			if err := plot.Trajectories(filepath.Join(o.PlotDir, "mixture-"+method+".png"), res.Traj, res.TrajT, n, d, &plot.Settings{Title: title}); err != nil {
				return nil, err
			}
		}
	}
	return cells, nil
}

// WriteEquivalenceTable prints one table per dimension: interpolations by
// methods, L2-UVP mean ± std over seeds.
func WriteEquivalenceTable(w io.Writer, rep *EquivalenceReport) error {
	type key struct {
		d           int
		row, method string
	}
	groups := map[key][]float64{}
	secs := map[key]float64{}
	for _, c := range rep.Cells {
		k := key{c.Dim, c.Interpolation, c.Method}
		groups[k] = append(groups[k], c.L2UVP)
		secs[k] += c.TrainSeconds / float64(rep.Seeds)
	}
	cols := append(append([]string(nil), rep.Methods...), limitFM, limitAM)
	for _, d := range rep.Dims {
		fmt.Fprintf(w, "\nd = %d: L2-UVP %% (mean ± std over %d seeds; mean train seconds in brackets)\n\n", d, rep.Seeds)
		fmt.Fprint(w, "| interpolation p_t |")
		for _, m := range cols {
			fmt.Fprintf(w, " %s |", title(m))
		}
		fmt.Fprint(w, "\n| --- |")
		for range cols {
			fmt.Fprint(w, " --- |")
		}
		fmt.Fprintln(w)
		for _, row := range EquivalenceRows {
			fmt.Fprintf(w, "| %s |", row.Name)
			for _, m := range cols {
				k := key{d, row.Name, m}
				mean, std := meanStd(groups[k])
				switch {
				case len(groups[k]) == 0:
					fmt.Fprint(w, " — |")
				case m == limitFM || m == limitAM:
					fmt.Fprintf(w, " %s ± %s |", fmtUVP(mean), fmtUVP(std))
				default:
					fmt.Fprintf(w, " %s ± %s (%.0fs) |", fmtUVP(mean), fmtUVP(std), secs[k])
				}
			}
			fmt.Fprintln(w)
		}
	}
	if len(rep.Mixture) > 0 {
		fmt.Fprintln(w, "\n2-D gaussian → 8gaussians, independent coupling:")
		fmt.Fprintln(w, "\n| method | W2 | path energy / W2² |\n| --- | --- | --- |")
		for _, c := range rep.Mixture {
			fmt.Fprintf(w, "| %s | %.3f | %.3f |\n", title(c.Method), c.W2, c.PathEnergy)
		}
	}
	_, err := fmt.Fprintf(w, "\ntotal %.0f s\n", rep.Seconds)
	return err
}

func fmtUVP(v float64) string {
	if v >= 10 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// title is a column's name in the tables.
func title(m string) string {
	switch m {
	case limitFM:
		return "FM limit"
	case limitAM:
		return "AM limit"
	}
	if reg, err := run.Lookup(m); err == nil {
		return reg.Title
	}
	return m
}
