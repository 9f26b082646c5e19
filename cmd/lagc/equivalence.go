package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/ofm"
	"github.com/lagc-dev/lagc/runtime/plot"
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

var equivalenceRows = []interpolation{
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

// The columns: methods that learn a map.
var equivalenceMethods = []string{methodFM, methodAM, ofm.FlowMatching, ofm.ActionMatching}

// equivalenceCell is one trained model's L2-UVP.
type equivalenceCell struct {
	Dim           int     `json:"dim"`
	Seed          uint64  `json:"seed"`
	Interpolation string  `json:"interpolation"`
	Method        string  `json:"method"`
	L2UVP         float64 `json:"l2_uvp"`
	FinalLoss     float64 `json:"final_loss"`
	Iterations    int     `json:"iterations"`
	TrainSeconds  float64 `json:"train_seconds"`
}

// equivalenceReport is the --json output.
type equivalenceReport struct {
	Dims    []int             `json:"dims"`
	Methods []string          `json:"methods"`
	Seeds   int               `json:"seeds"`
	Cells   []equivalenceCell `json:"cells"`
	Mixture []mixtureCell     `json:"mixture,omitempty"`
	Seconds float64           `json:"seconds"`
}

// mixtureCell is a model of the 2-D Gaussian-to-mixture case.
type mixtureCell struct {
	Method string  `json:"method"`
	W2     float64 `json:"w2"`
	// PathEnergy is ∫|ẋ|²dt of the generated paths over W2(source,
	// target)²: 1 for straight optimal paths.
	PathEnergy float64 `json:"path_energy"`
}

type equivalenceOptions struct {
	itersFlow, itersOpt int
	batch, n            int
	hidden, icnnHidden  []int
	lrFlow, lrOpt       float64
	plotDir             string
	mixture             bool
	methods             []string
	log                 io.Writer
}

func runEquivalence(e *env, args []string) error {
	fs := newFlags(e, "experiment equivalence", "[--dims 2,8,32] [--seeds 3] [--json]",
		"Gaussian N(m0, Σ0) → N(m1, Σ1) with random covariances, whose OT map T* is known in\n"+
			"closed form. For each interpolation p_t (independent straight paths, independent\n"+
			"harmonic ω=π/2 paths, minibatch-OT straight paths) trains plain flow matching (MLP\n"+
			"field), plain Action Matching (MLP potential), Optimal Flow Matching and Action\n"+
			"Matching restricted to optimal fields (ICNN potential), and prints\n"+
			"L2-UVP = 100·E|T(x) - T*(x)|²/Var(p1) in % over fresh x ~ p0, mean ± std over seeds.\n"+
			"Flows map by integrating their field (RK4, 32 steps), optimal ones by ∇Ψ. The FM and\n"+
			"AM limit columns are the exact maps plain FM and AM converge to on independent\n"+
			"couplings (infinite data and capacity), from the closed-form Gaussian fields.\n"+
			"Then a 2-D Gaussian → 8-Gaussian mixture case compares the paths of FM and OFM.")
	dims := intList{2, 8, 32}
	fs.Var(&dims, "dims", "comma-separated dimensions")
	seeds := fs.Int("seeds", 3, "seeds (random problems and initialisations) per dimension")
	asJSON := fs.Bool("json", false, "print one JSON object instead of the table")
	var o equivalenceOptions
	fs.IntVar(&o.itersFlow, "iters", 2000, "training iterations of the FM and AM models")
	fs.IntVar(&o.itersOpt, "iters-opt", 500, "training iterations of the OFM and AM-optimal models")
	fs.IntVar(&o.batch, "batch", 256, "minibatch size")
	fs.IntVar(&o.n, "n", 10000, "fresh source samples for L2-UVP")
	o.hidden, o.icnnHidden = []int{64, 64, 64}, []int{32, 32}
	fs.Var((*intList)(&o.hidden), "hidden", "hidden widths of the FM and AM networks")
	fs.Var((*intList)(&o.icnnHidden), "icnn-hidden", "hidden widths of the input-convex potential")
	fs.Float64Var(&o.lrFlow, "lr", 1e-3, "Adam learning rate of FM and AM")
	fs.Float64Var(&o.lrOpt, "lr-opt", 1e-2, "Adam learning rate of OFM and AM-optimal")
	fs.BoolVar(&o.mixture, "mixture", true, "also run the 2-D Gaussian → mixture case")
	methodList := fs.String("methods", strings.Join(equivalenceMethods, ","), "comma-separated columns to train")
	fs.StringVar(&o.plotDir, "plot", "", "write the mixture case's trajectory plots into this `dir`ectory")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *seeds < 1 || o.itersFlow < 1 || o.itersOpt < 1 || o.batch < 2 || o.n < 1 || !(o.lrFlow > 0) || !(o.lrOpt > 0) {
		return usagef("--seeds, --iters, --iters-opt, --batch (≥ 2), -n, --lr and --lr-opt must be positive")
	}
	for _, d := range dims {
		if d > 64 {
			return usagef("--dims: %d is too large for this experiment (at most 64)", d)
		}
	}
	for _, m := range strings.Split(*methodList, ",") {
		if err := checkMethod(m); err != nil {
			return err
		}
		o.methods = append(o.methods, m)
	}
	o.log = e.stderr
	start := time.Now()
	rep := equivalenceReport{Dims: dims, Methods: o.methods, Seeds: *seeds}
	for _, d := range dims {
		for s := 1; s <= *seeds; s++ {
			cells, err := equivalenceProblem(d, uint64(s), &o)
			if err != nil {
				return fmt.Errorf("d=%d seed %d: %w", d, s, err)
			}
			rep.Cells = append(rep.Cells, cells...)
		}
	}
	if o.mixture {
		if rep.Mixture, err = mixtureCase(&o); err != nil {
			return fmt.Errorf("mixture case: %w", err)
		}
	}
	rep.Seconds = time.Since(start).Seconds()
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return writeEquivalenceTable(e.stdout, &rep)
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

func equivalenceProblem(d int, seed uint64, o *equivalenceOptions) ([]equivalenceCell, error) {
	p, err := newGaussianPair(d, seed)
	if err != nil {
		return nil, err
	}
	x := make([]float64, o.n*d)
	p.src.Sample(x, o.n, rand.New(rand.NewPCG(seed, 1<<40)))
	want := make([]float64, o.n*d)
	p.truth.Apply(want, x, o.n)
	var cells []equivalenceCell
	for _, row := range equivalenceRows {
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
				cells = append(cells, equivalenceCell{Dim: d, Seed: seed, Interpolation: row.Name, Method: lim,
					L2UVP: p.truth.MapUVP(m, p.cov0, p.cov1)})
			}
		}
		for _, method := range o.methods {
			cfg := o.config(method, row, seed)
			start := time.Now()
			m, err := trainMethod(method, cfg, sys, p.src, p.tgt)
			if err != nil {
				return nil, fmt.Errorf("%s, %s: %w", row.Name, method, err)
			}
			secs := time.Since(start).Seconds()
			res, err := m.transport()(x, o.n, &fm.SampleSettings{Solver: fm.RK4, Steps: 32})
			if err != nil {
				return nil, fmt.Errorf("%s, %s: %w", row.Name, method, err)
			}
			got := res.X
			c := equivalenceCell{Dim: d, Seed: seed, Interpolation: row.Name, Method: method,
				L2UVP: ofm.L2UVP(got, want, o.n, d, p.variance), FinalLoss: meanTail(m.loss(), 100),
				Iterations: cfg.Iters, TrainSeconds: secs}
			cells = append(cells, c)
			fmt.Fprintf(o.log, "d=%d seed %d %-28s %-10s L2-UVP %7.3f%%  %5.1fs\n", d, seed, row.Name, method, c.L2UVP, secs)
		}
	}
	return cells, nil
}

// config is the training configuration of one cell.
func (o *equivalenceOptions) config(method string, row interpolation, seed uint64) fm.Config {
	cfg := fm.DefaultConfig()
	cfg.Lagrangian, cfg.LagrangianFile = row.Lagrangian, row.Name
	cfg.Coupling, cfg.Seed, cfg.Batch = row.Coupling, seed, o.batch
	// No noise around the paths: σ > 0 changes p_t and makes the targets
	// inconsistent with it.
	cfg.Sigma = 0
	cfg.Hidden, cfg.Iters, cfg.LR = o.hidden, o.itersFlow, o.lrFlow
	switch method {
	case methodAM:
		cfg.Activation = "silu"
	case ofm.FlowMatching, ofm.ActionMatching:
		cfg.Hidden, cfg.Iters, cfg.LR, cfg.EMADecay = o.icnnHidden, o.itersOpt, o.lrOpt, 0.99
	}
	return cfg
}

// mixtureCase trains FM and OFM from a standard normal to the 8-Gaussian
// mixture with independent couplings and compares their paths.
func mixtureCase(o *equivalenceOptions) ([]mixtureCell, error) {
	const d = 2
	src, _ := data.Lookup("gaussian")
	tgt, _ := data.Lookup("8gaussians")
	sys, err := loadSystemText("kinetic", kineticLag, d)
	if err != nil {
		return nil, err
	}
	row := equivalenceRows[0]
	n := min(o.n, 2048)
	x := make([]float64, n*d)
	y := make([]float64, n*d)
	rng := rand.New(rand.NewPCG(1, 1<<41))
	src.Sample(x, n, rng)
	tgt.Sample(y, n, rng)
	_, w2st, err := fm.Wasserstein(x, y, n, d)
	if err != nil {
		return nil, err
	}
	var cells []mixtureCell
	for _, method := range []string{methodFM, ofm.FlowMatching} {
		cfg := o.config(method, row, 1)
		if method == ofm.FlowMatching {
			// The mixture needs a potential that is far from quadratic.
			cfg.Hidden = []int{64, 64}
			cfg.Iters = 2 * o.itersOpt
		}
		m, err := trainMethod(method, cfg, sys, src, tgt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		res, err := m.transport()(x, n, &fm.SampleSettings{Solver: fm.RK4, Steps: 40, Trajectory: 21})
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
		c := mixtureCell{Method: method, W2: w2, PathEnergy: energy / float64(n) / (w2st * w2st)}
		cells = append(cells, c)
		fmt.Fprintf(o.log, "mixture %-4s W2 %.3f  path energy / W2² %.3f\n", method, c.W2, c.PathEnergy)
		if o.plotDir != "" {
			if err := os.MkdirAll(o.plotDir, 0o755); err != nil {
				return nil, err
			}
			title := fmt.Sprintf("%s, gaussian → 8gaussians, independent coupling", strings.ToUpper(method))
			if err := plot.Trajectories(filepath.Join(o.plotDir, "mixture-"+method+".png"), res.Traj, res.TrajT, n, d, &plot.Settings{Title: title}); err != nil {
				return nil, err
			}
		}
	}
	return cells, nil
}

// writeEquivalenceTable prints one table per dimension: interpolations by
// methods, L2-UVP mean ± std over seeds.
func writeEquivalenceTable(w io.Writer, rep *equivalenceReport) error {
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
			fmt.Fprintf(w, " %s |", methodTitle(m))
		}
		fmt.Fprint(w, "\n| --- |")
		for range cols {
			fmt.Fprint(w, " --- |")
		}
		fmt.Fprintln(w)
		for _, row := range equivalenceRows {
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
			fmt.Fprintf(w, "| %s | %.3f | %.3f |\n", methodTitle(c.Method), c.W2, c.PathEnergy)
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

func meanStd(x []float64) (mean, std float64) {
	for _, v := range x {
		mean += v / float64(len(x))
	}
	if len(x) < 2 {
		return mean, 0
	}
	for _, v := range x {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(x)-1))
}
