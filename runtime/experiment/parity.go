package experiment

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/run"
)

// ParityMethod is one of torchcfm's 2-D methods in lagc's terms: a
// Lagrangian, a coupling and a noise schedule.
type ParityMethod struct {
	Name       string
	Lagrangian string // .lag source
	Coupling   string
	Sigma      float64
	Schedule   string
}

// ParityMethods are torchcfm's I-CFM, OT-CFM, SB-CFM (σ = 1, its default;
// entropic plan with ε = σ² on c_L = ½|Δ|², i.e. torchcfm's reg = 2σ² on
// |Δ|², and bridge noise) and VP-CFM — whose trigonometric interpolant
// cos(πt/2)x₀ + sin(πt/2)x₁ is the least-action path of the harmonic
// Lagrangian with ω = π/2.
var ParityMethods = []ParityMethod{
	{Name: "I-CFM", Lagrangian: "L = 0.5*|v|^2\n", Coupling: fm.Independent, Sigma: 0.1},
	{Name: "OT-CFM", Lagrangian: "L = 0.5*|v|^2\n", Coupling: fm.OT, Sigma: 0.1},
	{Name: "SB-CFM", Lagrangian: "L = 0.5*|v|^2\n", Coupling: fm.Sinkhorn, Sigma: 1, Schedule: "bridge"},
	{Name: "VP", Lagrangian: "param w = pi/2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n", Coupling: fm.Independent, Sigma: 0.1},
}

// ParityCell is one trained model's evaluation.
type ParityCell struct {
	Method    string  `json:"method"`
	Seed      uint64  `json:"seed"`
	W2        float64 `json:"w2"`
	NLL       float64 `json:"nll"`
	ItPerSec  float64 `json:"it_per_s"`
	TrainSecs float64 `json:"train_seconds"`
}

// ParitySettings configure Parity; nil means DefaultParity.
type ParitySettings struct {
	Methods        []ParityMethod
	Seeds, Iters   int
	N              int // evaluation points (samples and NLL)
	Source, Target string
	Log            io.Writer
}

// DefaultParity is the table of issue 13: gaussian → moons, 3 seeds of
// 2000 iterations (short runs), 2048 evaluation points, the methods of
// ParityMethods with flow matching's default network (MLP 3×64 SELU,
// Adam 1e-3, batch 256, EMA 0.999).
func DefaultParity() ParitySettings {
	return ParitySettings{Methods: ParityMethods, Seeds: 3, Iters: 2000, N: 2048, Source: "gaussian", Target: "moons"}
}

// Validate checks the settings; its messages name concepts.
func (s *ParitySettings) Validate() error {
	if s.Seeds < 1 || s.Iters < 1 {
		return errors.New("seeds and iterations must be at least 1")
	}
	if s.N < 2 {
		return fmt.Errorf("evaluation points %d: must be at least 2", s.N)
	}
	if len(s.Methods) == 0 {
		return errors.New("no methods to compare")
	}
	return nil
}

// Parity trains every method for every seed (runtime/run) and evaluates
// W2 (exact, N RK4-20 samples against N fresh targets) and the NLL of N
// fresh targets (Run.NLL: exact divergence, dopri5 at 1e-5).
func Parity(s *ParitySettings) ([]ParityCell, error) {
	set := DefaultParity()
	if s != nil {
		set = *s
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	var cells []ParityCell
	for _, m := range set.Methods {
		for seed := uint64(1); seed <= uint64(set.Seeds); seed++ {
			spec := run.DefaultSpec()
			spec.Lagrangian, spec.LagrangianFile = m.Lagrangian, m.Name+".lag"
			spec.Source, spec.Target, spec.Iters, spec.Seed = set.Source, set.Target, set.Iters, seed
			hyper := fm.DefaultSettings()
			hyper.Pairs.Coupling, hyper.Pairs.Sigma, hyper.Pairs.Schedule = m.Coupling, m.Sigma, m.Schedule
			r, err := run.New(spec, &hyper, nil)
			if err != nil {
				return cells, err
			}
			start := time.Now()
			if err := r.Train(nil); err != nil {
				return cells, fmt.Errorf("%s seed %d: %w", m.Name, seed, err)
			}
			secs := time.Since(start).Seconds()
			rng := rand.New(rand.NewPCG(seed, 99))
			ev, _, err := r.Evaluate(set.N, &fm.SampleSettings{Solver: fm.RK4, Steps: 20}, false, rng)
			if err != nil {
				return cells, err
			}
			nll, err := r.NLL(set.N, false, nil, rng)
			if err != nil {
				return cells, fmt.Errorf("%s seed %d: %w", m.Name, seed, err)
			}
			cell := ParityCell{Method: m.Name, Seed: seed, W2: ev.W2, NLL: nll.NLL, ItPerSec: float64(set.Iters) / secs, TrainSecs: secs}
			cells = append(cells, cell)
			if set.Log != nil {
				fmt.Fprintf(set.Log, "%s seed %d: W2 %.4f, NLL %.4f, %.0f it/s\n", m.Name, seed, cell.W2, cell.NLL, cell.ItPerSec)
			}
		}
	}
	return cells, nil
}

// WriteParityTable prints mean ± std over seeds per method.
func WriteParityTable(w io.Writer, cells []ParityCell) error {
	var order []string
	groups := map[string][]ParityCell{}
	for _, c := range cells {
		if _, ok := groups[c.Method]; !ok {
			order = append(order, c.Method)
		}
		groups[c.Method] = append(groups[c.Method], c)
	}
	fmt.Fprintln(w, "| method | W2 (mean ± std) | NLL nats (mean ± std) | it/s | seeds |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- |")
	for _, name := range order {
		g := groups[name]
		w2, nll := make([]float64, len(g)), make([]float64, len(g))
		var its float64
		for i, c := range g {
			w2[i], nll[i] = c.W2, c.NLL
			its += c.ItPerSec / float64(len(g))
		}
		mw, sw := meanStd(w2)
		mn, sn := meanStd(nll)
		if _, err := fmt.Fprintf(w, "| %s | %.3f ± %.3f | %.3f ± %.3f | %.0f | %d |\n", name, mw, sw, mn, sn, its, len(g)); err != nil {
			return err
		}
	}
	return nil
}
