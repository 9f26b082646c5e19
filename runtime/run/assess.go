package run

import (
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/likelihood"
)

// Assess evaluates a model as a whole: Evaluate with n samples (the
// random stream 0 of seed), a class-conditional model's per-class W2
// (EvaluateClasses, stream 2) and, with nll, the NLL of n evaluation
// points (stream 1; dopri5 with the tolerances of s).
func (r *Run) Assess(n int, s *fm.SampleSettings, raw bool, seed uint64, nll bool) (*Evaluation, error) {
	m, _, err := r.Evaluate(n, s, raw, rand.New(rand.NewPCG(seed, 0)))
	if err != nil {
		return nil, err
	}
	out := &Evaluation{Metrics: m}
	if r.Labels() != nil {
		if out.Classes, err = r.EvaluateClasses(n, s, raw, rand.New(rand.NewPCG(seed, 2))); err != nil {
			return nil, err
		}
	}
	if nll {
		if out.NLL, err = r.NLL(n, raw, &likelihood.Settings{RelTol: s.RelTol, AbsTol: s.AbsTol, Seed: seed}, rand.New(rand.NewPCG(seed, 1))); err != nil {
			return nil, err
		}
	}
	return out, nil
}
