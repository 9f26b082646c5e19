package ofm

import (
	"math/rand/v2"
	"testing"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// kinetic is L = ½|v|² with its closed form (straight lines), written by
// hand so that these tests do not depend on the compiler.
type kinetic struct{ d int }

func (k kinetic) Dim() int                                       { return k.d }
func (k kinetic) L(t float64, x, v []float64) float64            { return dot(v, v) / 2 }
func (k kinetic) Accel(dst []float64, t float64, x, v []float64) { clear(dst[:k.d]) }
func (k kinetic) Clone() lagrangian.System                       { return k }
func (k kinetic) Action(x0, x1 []float64) (float64, error)       { return sqDist(x0, x1) / 2, nil }
func (k kinetic) Path(xt, vt []float64, t float64, x0, x1 []float64) error {
	for i := range x0 {
		xt[i] = (1-t)*x0[i] + t*x1[i]
		vt[i] = x1[i] - x0[i]
	}
	return nil
}

func sqDist(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return s
}

// gaussianProblem is N(m0, Σ0) → N(m1, Σ1) with random covariances and its
// closed-form OT map.
func gaussianProblem(t *testing.T, d int, seed uint64) (src, tgt *Gaussian, truth *GaussianMap, variance float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 77))
	c0, _ := RandomCovariance(d, 0.5, 2, rng)
	c1, _ := RandomCovariance(d, 0.5, 2, rng)
	m0, m1 := randRows(rng, 1, d), randRows(rng, 1, d)
	var err error
	if src, err = NewGaussian(m0, c0); err != nil {
		t.Fatal(err)
	}
	if tgt, err = NewGaussian(m1, c1); err != nil {
		t.Fatal(err)
	}
	if truth, err = NewGaussianMap(m0, c0, m1, c1); err != nil {
		t.Fatal(err)
	}
	for i := range d {
		variance += c1[i*d+i]
	}
	return src, tgt, truth, variance
}

// TestTrainRecoversGaussianOT trains both objectives from the independent
// coupling, which is far from optimal, and checks the learned map against
// the closed form.
func TestTrainRecoversGaussianOT(t *testing.T) {
	for _, obj := range []string{FlowMatching, ActionMatching} {
		t.Run(obj, func(t *testing.T) {
			d := 2
			src, tgt, truth, variance := gaussianProblem(t, d, 1)
			const iters = 300
			set := DefaultSettings()
			set.Pairs.Coupling, set.Pairs.Batch, set.Optim.LR = fm.Independent, 128, 1e-2
			set.Hidden, set.Optim.EMADecay = []int{8}, 0.9
			tr, err := NewTrainer(&fm.Problem{Sys: kinetic{d}, Source: src, Target: tgt, Seed: 1, Iters: iters}, obj, &set, nil)
			if err != nil {
				t.Fatal(err)
			}
			for tr.Step < iters {
				if _, err := tr.Iterate(nil); err != nil {
					t.Fatal(err)
				}
			}
			const n = 2000
			x := make([]float64, n*d)
			src.Sample(x, n, rand.New(rand.NewPCG(5, 5)))
			got, want := make([]float64, n*d), make([]float64, n*d)
			f, _ := NewField(tr.Model(false), nil)
			if err := f.Map(got, x, n); err != nil {
				t.Fatal(err)
			}
			truth.Apply(want, x, n)
			uvp := L2UVP(got, want, n, d, variance)
			t.Logf("%s: L2-UVP %.3f%% after %d iterations, final loss %.4f, HJ residual %.2g", obj, uvp, tr.Step, tr.Loss[len(tr.Loss)-1], tr.HJ)
			if uvp > 3 {
				t.Errorf("L2-UVP %.2f%%, want ≤ 3%%", uvp)
			}
		})
	}
}
