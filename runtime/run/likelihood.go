package run

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/lagc-dev/lagc/runtime/condflow"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/likelihood"
	"github.com/lagc-dev/lagc/runtime/nn"
)

// velocityModel is implemented by methods whose model is a velocity MLP
// v(x, t) (flow matching): the models with a likelihood by the
// instantaneous change of variables.
type velocityModel interface {
	Model(raw bool) *nn.MLP
}

// Evaluation is what lagc eval reports: the sample metrics and, when
// asked for, the likelihood.
type Evaluation struct {
	*fm.Metrics
	NLL *NLLResult `json:"nll,omitempty"`
	// Classes are a class-conditional run's per-class W2 (EvaluateClasses).
	Classes []condflow.ClassW2 `json:"classes,omitempty"`
}

// NLLResult is the negative log-likelihood of a run's evaluation points.
type NLLResult struct {
	NLL         float64 `json:"nats"`
	BPD         float64 `json:"bits_per_dim"`
	StdErr      float64 `json:"stderr"`
	ProbeStdErr float64 `json:"hutchinson_stderr"`
	Exact       bool    `json:"exact_divergence"`
	Probes      int     `json:"probes,omitempty"`
	N           int     `json:"n"`
	// Points are "held-out" rows of a file target or "fresh target"
	// draws; Units are always the data's ("data"), also for standardized
	// runs, whose NLL gets Σ_j ln s_j added.
	Points string `json:"points"`
	Units  string `json:"units"`
	NFE    int    `json:"nfe"`
}

// NLL returns the negative log-likelihood under the run's flow (its
// averaged weights unless raw) of the held-out rows of a file target (at
// most n) or of n fresh target points drawn with rng (likelihood.NLL;
// s may be nil). It needs a velocity-field model and the standard normal
// source.
func (r *Run) NLL(n int, raw bool, s *likelihood.Settings, rng *rand.Rand) (*NLLResult, error) {
	d := r.Data.Dim
	vm, ok := r.Method.(velocityModel)
	var net *nn.MLP
	if ok && !r.Reg.OneStep {
		net = vm.Model(raw)
	}
	if net == nil || net.In() != d+1 || net.Out() != d {
		return nil, fmt.Errorf("the likelihood needs a velocity-field model v(x, t); the %s method's is not one", r.Reg.Title)
	}
	if _, isNormal := map[string]bool{"gaussian": true, "normal": true}[strings.ToLower(r.Spec.Source)]; !isNormal {
		return nil, fmt.Errorf("the likelihood needs the standard normal source (gaussian), not %q", r.Spec.Source)
	}
	if n < 1 {
		return nil, fmt.Errorf("likelihood of %d points: want at least 1", n)
	}
	var set likelihood.Settings
	if s != nil {
		set = *s
	}
	if set.Batch == 0 {
		set.Batch = 512
	}
	res := &NLLResult{Points: "fresh target", Units: "data"}
	var x []float64
	if h := r.Data.Holdout; h != nil {
		n = min(n, h.N)
		x, res.Points = h.X[:n*d], "held-out"
	} else {
		x = make([]float64, n*d)
		r.Data.Tgt.Sample(x, n, rng)
	}
	set.Offset += logScale(r.Data.Std)
	f, err := likelihood.NewMLPField(net, nil, min(n, set.Batch), 0)
	if err != nil {
		return nil, err
	}
	out, err := likelihood.NLL(nil, f, x, n, &set)
	if err != nil {
		return nil, err
	}
	res.NLL, res.BPD, res.StdErr, res.ProbeStdErr = out.NLL, out.BPD, out.StdErr, out.ProbeStdErr
	res.Exact, res.Probes, res.N, res.NFE = out.Exact, out.Probes, out.N, out.NFE
	return res, nil
}

// logScale is Σ_j ln s_j of a standardization (0 without one): the
// log-determinant that turns a density of standardized points into one of
// the data.
func logScale(std *data.Standardizer) float64 {
	if std == nil {
		return 0
	}
	var s float64
	for _, v := range std.Std {
		s += math.Log(v)
	}
	return s
}
