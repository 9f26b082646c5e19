package main

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lagc-dev/lagc/runtime/am"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/icnn"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/nn"
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
	// transport carries points with the current averaged (EMA) model.
	transport func() fm.Transport
	// snapshot is what a checkpoint stores of the run; restore puts it back.
	snapshot func() fm.Snapshot
	restore  func(ck *fm.Checkpoint) error
}

func (r *methodRun) loss() []float64 { return r.losses() }

// transportFor returns how a model of method carries source points to
// t = 1: the flow of a velocity MLP (fm), of a potential's gradient (am), or
// the one-step map ∇Ψ of an ICNN along straight paths (ofm, am-optimal).
func transportFor(method string, model any, threads int) (fm.Transport, error) {
	switch m := model.(type) {
	case *nn.MLP:
		if method == methodAM {
			return func(x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
				return am.Sample(m, x0, n, s)
			}, nil
		}
		return func(x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
			return fm.Sample(m, x0, n, s)
		}, nil
	case *icnn.Network:
		return func(x0 []float64, n int, s *fm.SampleSettings) (*fm.SampleResult, error) {
			f, err := ofm.NewField(m, &ofm.Settings{Workers: threads})
			if err != nil {
				return nil, err
			}
			d := len(x0) / n
			res := &fm.SampleResult{X: make([]float64, n*d), NFE: 1}
			if err := f.Map(res.X, x0[:n*d], n); err != nil {
				return nil, err
			}
			// The optimal paths are straight: x_t = (1-t)x + t∇Ψ(x).
			if s != nil && s.Trajectory > 1 {
				for k := range s.Trajectory {
					t := float64(k) / float64(s.Trajectory-1)
					snap := make([]float64, n*d)
					for i := range snap {
						snap[i] = (1-t)*x0[i] + t*res.X[i]
					}
					res.Traj, res.TrajT = append(res.Traj, snap), append(res.TrajT, t)
				}
			}
			return res, nil
		}, nil
	}
	return nil, fmt.Errorf("no sampler for a %T model of method %q", model, method)
}

// newMethodRun builds the trainer of method.
func newMethodRun(method string, cfg fm.Config, sys lagrangian.System, src, tgt data.Sampler) (*methodRun, error) {
	cfg.Method = method
	emaMLP := func(net *nn.MLP, ema *nn.EMA) *nn.MLP {
		c := net.Clone()
		copy(c.Params(), ema.Params())
		return c
	}
	mlpTransport := func(net func() *nn.MLP) func() fm.Transport {
		return func() fm.Transport {
			t, _ := transportFor(method, net(), cfg.Threads)
			return t
		}
	}
	switch method {
	case methodFM:
		tr, err := fm.NewTrainer(cfg, sys, src, tgt)
		if err != nil {
			return nil, err
		}
		return &methodRun{method: method, iterate: tr.Iterate, step: func() int { return tr.Step }, losses: func() []float64 { return tr.Loss },
			transport: mlpTransport(func() *nn.MLP { return emaMLP(tr.Net, tr.EMA) }),
			snapshot: func() fm.Snapshot {
				return fm.Snapshot{Cfg: tr.Cfg, Step: tr.Step, Loss: tr.Loss, Net: tr.Net, Adam: tr.Adam, EMA: tr.EMA}
			},
			restore: func(ck *fm.Checkpoint) error {
				tr.Step, tr.Loss = ck.Step, slices.Clone(ck.Loss)
				return ck.Restore(tr.Net, tr.Adam, tr.EMA)
			}}, nil
	case methodAM:
		tr, err := am.NewTrainer(cfg, sys, src, tgt)
		if err != nil {
			return nil, err
		}
		return &methodRun{method: method, iterate: tr.Iterate, step: func() int { return tr.Step }, losses: func() []float64 { return tr.Loss },
			transport: mlpTransport(tr.Model),
			snapshot: func() fm.Snapshot {
				return fm.Snapshot{Cfg: cfg, Step: tr.Step, Loss: tr.Loss, Net: tr.Net, Adam: tr.Adam, EMA: tr.EMA}
			},
			restore: func(ck *fm.Checkpoint) error {
				tr.Step, tr.Loss = ck.Step, slices.Clone(ck.Loss)
				return ck.Restore(tr.Net, tr.Adam, tr.EMA)
			}}, nil
	case ofm.FlowMatching, ofm.ActionMatching:
		tr, err := ofm.NewTrainer(cfg, method, sys, src, tgt, nil)
		if err != nil {
			return nil, err
		}
		return &methodRun{method: method, iterate: tr.Iterate, step: func() int { return tr.Step }, losses: func() []float64 { return tr.Loss },
			transport: func() fm.Transport {
				t, _ := transportFor(method, tr.Model(), cfg.Threads)
				return t
			},
			snapshot: func() fm.Snapshot {
				return fm.Snapshot{Cfg: cfg, Step: tr.Step, Loss: tr.Loss, Net: tr.Net, Adam: tr.Adam, EMA: tr.EMA}
			},
			restore: func(ck *fm.Checkpoint) error {
				tr.Step, tr.Loss = ck.Step, slices.Clone(ck.Loss)
				return ck.Restore(tr.Net, tr.Adam, tr.EMA)
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

// evaluateMethod computes the metrics of lagc eval for a run of any
// method (fm.EvaluateTransport) and draws its samples and trajectories.
func evaluateMethod(r *methodRun, pr *problem, cfg *fm.Config, n int, plots bool, dir string) (*evalResult, error) {
	d := pr.d
	rng := rand.New(rand.NewPCG(cfg.Seed, 1<<60))
	set := &fm.SampleSettings{Solver: fm.RK4, Steps: 20, Threads: cfg.Threads}
	m, res, err := fm.EvaluateTransport(r.transport(), d, pr.src, pr.tgt, pr.holdout, n, set, rng)
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
