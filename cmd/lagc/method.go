package main

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lagc-dev/lagc/runtime/am"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/ofm"
	"github.com/lagc-dev/lagc/runtime/plot"
)

// Training methods of lagc train --method.
const (
	methodFM = "fm"
	methodAM = "am"
)

var methods = []string{methodFM, methodAM, ofm.FlowMatching, ofm.ActionMatching}

func methodTitle(m string) string {
	switch m {
	case methodFM:
		return "FM"
	case methodAM:
		return "AM"
	case ofm.FlowMatching:
		return "OFM"
	case ofm.ActionMatching:
		return "AM-optimal"
	case limitFM:
		return "FM limit"
	case limitAM:
		return "AM limit"
	}
	return m
}

func checkMethod(m string) error {
	for _, k := range methods {
		if m == k {
			return nil
		}
	}
	return usagef("--method %q: want %s", m, strings.Join(methods, ", "))
}

// methodRun is a run of any method, trained by the same loop: all draw
// their minibatches (data, coupling, paths) from an fm.Trainer.
type methodRun struct {
	method  string
	iterate func() (float64, error)
	step    func() int
	losses  func() []float64
	// mapPoints writes the learned map of the n rows of x to dst and, when
	// traj is not nil, records 21 trajectory snapshots in it; it returns
	// the network evaluations per point.
	mapPoints func(dst, x []float64, n int, traj *fm.SampleResult) (int, error)
}

func (r *methodRun) loss() []float64 { return r.losses() }

// newMethodRun builds the trainer of method.
func newMethodRun(method string, cfg fm.Config, sys lagrangian.System, src, tgt data.Sampler) (*methodRun, error) {
	sample := func(res *fm.SampleResult, traj *fm.SampleResult, dst []float64) int {
		copy(dst, res.X)
		if traj != nil {
			traj.Traj, traj.TrajT = res.Traj, res.TrajT
		}
		return res.NFE
	}
	flowSettings := func(traj *fm.SampleResult) *fm.SampleSettings {
		s := &fm.SampleSettings{Solver: fm.RK4, Steps: 32, Threads: cfg.Threads}
		if traj != nil {
			s.Steps, s.Trajectory = 40, 21
		}
		return s
	}
	switch method {
	case methodFM:
		tr, err := fm.NewTrainer(cfg, sys, src, tgt)
		if err != nil {
			return nil, err
		}
		return &methodRun{method: method, iterate: tr.Iterate, step: func() int { return tr.Step }, losses: func() []float64 { return tr.Loss },
			mapPoints: func(dst, x []float64, n int, traj *fm.SampleResult) (int, error) {
				net := tr.Net.Clone()
				copy(net.Params(), tr.EMA.Params())
				res, err := fm.Sample(net, x, n, flowSettings(traj))
				if err != nil {
					return 0, err
				}
				return sample(res, traj, dst), nil
			}}, nil
	case methodAM:
		tr, err := am.NewTrainer(cfg, sys, src, tgt)
		if err != nil {
			return nil, err
		}
		return &methodRun{method: method, iterate: tr.Iterate, step: func() int { return tr.Step }, losses: func() []float64 { return tr.Loss },
			mapPoints: func(dst, x []float64, n int, traj *fm.SampleResult) (int, error) {
				res, err := am.Sample(tr.Model(), x, n, flowSettings(traj))
				if err != nil {
					return 0, err
				}
				return sample(res, traj, dst), nil
			}}, nil
	case ofm.FlowMatching, ofm.ActionMatching:
		tr, err := ofm.NewTrainer(cfg, method, sys, src, tgt, nil)
		if err != nil {
			return nil, err
		}
		return &methodRun{method: method, iterate: tr.Iterate, step: func() int { return tr.Step }, losses: func() []float64 { return tr.Loss },
			mapPoints: func(dst, x []float64, n int, traj *fm.SampleResult) (int, error) {
				f, err := ofm.NewField(tr.Model(), &ofm.Settings{Workers: cfg.Threads})
				if err != nil {
					return 0, err
				}
				if err := f.Map(dst, x, n); err != nil {
					return 0, err
				}
				if traj != nil {
					// The optimal paths are straight: x_t = (1-t)x + t∇Ψ(x).
					for k := range 21 {
						t := float64(k) / 20
						snap := make([]float64, len(dst))
						for i := range snap {
							snap[i] = (1-t)*x[i] + t*dst[i]
						}
						traj.Traj, traj.TrajT = append(traj.Traj, snap), append(traj.TrajT, t)
					}
				}
				return 1, nil
			}}, nil
	}
	return nil, checkMethod(method)
}

// trainMethod trains a run to cfg.Iters iterations.
func trainMethod(method string, cfg fm.Config, sys lagrangian.System, src, tgt data.Sampler) (*methodRun, error) {
	r, err := newMethodRun(method, cfg, sys, src, tgt)
	if err != nil {
		return nil, err
	}
	for r.step() < cfg.Iters {
		if _, err := r.iterate(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// runTrainMethod is lagc train for the methods other than fm: the same
// data, coupling, paths, progress, evaluation and plots, without
// checkpoints (the fm checkpoint format holds only MLP velocity fields).
func runTrainMethod(e *env, cfg fm.Config, method, out string, evalN int, plots, quiet bool) error {
	pr, err := buildProblem(&cfg)
	if err != nil {
		return err
	}
	r, err := newMethodRun(method, cfg, pr.sys, pr.src, pr.tgt)
	if err != nil {
		return err
	}
	log := newProgress(e, 0, cfg.Iters, quiet)
	start := time.Now()
	for r.step() < cfg.Iters {
		loss, err := r.iterate()
		if err != nil {
			log.finish()
			return err
		}
		log.update(r.step(), loss)
	}
	log.finish()
	wall := time.Since(start).Seconds()
	sum := summary{Iterations: r.step(), WallSeconds: wall, Seed: cfg.Seed, Lagrangian: cfg.LagrangianFile,
		Coupling: cfg.Coupling, Source: cfg.Source, Target: cfg.Target, Method: method}
	if wall > 0 {
		sum.ItersPerSec = float64(r.step()) / wall
	}
	if len(r.loss()) > 0 {
		sum.FinalLoss = meanTail(r.loss(), 100)
	}
	if evalN > 0 {
		if sum.Eval, err = evaluateMethod(r, pr, &cfg, evalN, plots, out); err != nil {
			return err
		}
	}
	// The loss plot has a log axis; Action Matching losses go negative
	// (their minimum is -W₂²/2 for am-optimal), so they get none.
	if plots && len(r.loss()) > 0 && slices.Min(r.loss()) > 0 {
		steps := make([]int, len(r.loss()))
		for i := range steps {
			steps[i] = i + 1
		}
		if err := plot.Loss(filepath.Join(out, "loss.png"), steps, r.loss(), nil); err != nil {
			return err
		}
	}
	if err := writeJSON(filepath.Join(out, "summary.json"), sum); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(e.stderr, "trained %s for %d iterations in %.1fs, final loss %.4g; wrote %s (no checkpoint: --method %s runs are not resumable yet)\n",
			methodTitle(method), r.step(), wall, sum.FinalLoss, out, method)
		if sum.Eval != nil {
			fmt.Fprintf(e.stderr, "W2 to fresh target samples: %.4f\n", sum.Eval.W2)
		}
	}
	return nil
}

// evaluateMethod computes the metrics of lagc eval for a run of any
// method (fm.EvaluateTransport) and draws its samples and trajectories.
func evaluateMethod(r *methodRun, pr *problem, cfg *fm.Config, n int, plots bool, dir string) (*evalResult, error) {
	d := pr.d
	rng := rand.New(rand.NewPCG(cfg.Seed, 1<<60))
	transport := func(x0 []float64, n int, _ *fm.SampleSettings) (*fm.SampleResult, error) {
		res := &fm.SampleResult{X: make([]float64, n*d)}
		nfe, err := r.mapPoints(res.X, x0, n, res)
		res.NFE = nfe
		return res, err
	}
	set := &fm.SampleSettings{Solver: fm.RK4, Steps: 40}
	m, res, err := fm.EvaluateTransport(transport, d, pr.src, pr.tgt, pr.holdout, n, set, rng)
	if err != nil {
		return nil, err
	}
	if r.method == ofm.FlowMatching || r.method == ofm.ActionMatching {
		m.Solver, m.Steps = "map ∇Ψ", 0
	}
	if plots && d >= 2 {
		y := make([]float64, m.N*d)
		pr.tgt.Sample(y, m.N, rng)
		title := fmt.Sprintf("%s, %s: %s → %s, W2 %.3f", methodTitle(r.method), filepath.Base(cfg.LagrangianFile), cfg.Source, cfg.Target, m.W2)
		if err := plot.Samples(filepath.Join(dir, "samples.png"), res.X, y, m.N, m.N, d, &plot.Settings{Title: title}); err != nil {
			return nil, err
		}
		if err := plot.Trajectories(filepath.Join(dir, "trajectories.png"), res.Traj, res.TrajT, m.N, d, nil); err != nil {
			return nil, err
		}
	}
	return m, nil
}
