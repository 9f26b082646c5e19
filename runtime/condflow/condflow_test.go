package condflow

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/labeled"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// kinetic is L = ½|v|² with its closed form, written out so that these
// tests do not depend on the compiler.
type kinetic struct{ d int }

func (k kinetic) Dim() int                                       { return k.d }
func (k kinetic) L(t float64, x, v []float64) float64            { return 0.5 * dot(v, v) }
func (k kinetic) Accel(dst []float64, t float64, x, v []float64) { clear(dst) }
func (k kinetic) Clone() lagrangian.System                       { return k }
func (k kinetic) EuclideanCoupling() bool                        { return true }
func (k kinetic) Action(x0, x1 []float64) (float64, error)       { return 0.5 * sqDist(x0, x1), nil }
func (k kinetic) Path(xt, vt []float64, t float64, x0, x1 []float64) error {
	for i := range x0 {
		xt[i], vt[i] = (1-t)*x0[i]+t*x1[i], x1[i]-x0[i]
	}
	return nil
}

// numeric has no closed form.
type numeric struct{ d int }

func (k numeric) Dim() int                                       { return k.d }
func (k numeric) L(t float64, x, v []float64) float64            { return 0.5 * dot(v, v) }
func (k numeric) Accel(dst []float64, t float64, x, v []float64) { clear(dst) }
func (k numeric) Clone() lagrangian.System                       { return k }

func dot(a, b []float64) (s float64) {
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func sqDist(a, b []float64) (s float64) {
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return s
}

var centres = [][]float64{{-4, 0}, {4, 0}, {0, 4}}

// clusters is n points around the three centres (σ = 0.3), labelled by
// their centre's index times ten (labels 0, 10, 20).
func clusters(t *testing.T, n int, seed uint64) *labeled.Set {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 3))
	x, labels := make([]float64, 2*n), make([]float64, n)
	for i := range n {
		k := i % 3
		x[2*i], x[2*i+1] = centres[k][0]+0.3*rng.NormFloat64(), centres[k][1]+0.3*rng.NormFloat64()
		labels[i] = float64(10 * k)
	}
	tab, err := data.NewTable(x, n, 2, "clusters")
	if err != nil {
		t.Fatal(err)
	}
	s, err := labeled.New(tab, labels)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// nearest is the index of the centre closest to p.
func nearest(p []float64) int {
	best := 0
	for k := range centres {
		if sqDist(p, centres[k]) < sqDist(p, centres[best]) {
			best = k
		}
	}
	return best
}

// Every coupling keeps each target point with its own label.
func TestCouplingsKeepLabelsWithTargets(t *testing.T) {
	for _, c := range []string{Independent, OT, Sinkhorn} {
		set := Defaults()
		set.Coupling, set.Batch, set.Epsilon = c, 64, 0.5
		tr, err := NewTrainer(kinetic{2}, data.Gaussian{}, clusters(t, 90, 1), &set)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(2, 2))
		tr.src.Sample(tr.x0, 64, rng)
		tr.tgt.Sample(tr.x1, tr.class, 64, rng)
		if err := tr.couple(rng); err != nil {
			t.Fatal(err)
		}
		for i := range 64 {
			if k := nearest(tr.x1[2*i : 2*i+2]); tr.class[i] != k {
				t.Fatalf("%s: pair %d targets a point of class %d but carries class %d", c, i, k, tr.class[i])
			}
		}
	}
}

// A conditional flow trained on three labelled clusters sends each class's
// samples to its own cluster: per-class W2 small, W2 to the next class's
// points large.
func TestConditionalSamplesLandInTheirClass(t *testing.T) {
	train := clusters(t, 600, 1)
	test := clusters(t, 300, 2)
	set := Defaults()
	set.Batch, set.Coupling = 128, OT
	tr, err := NewTrainer(kinetic{2}, data.Gaussian{}, train, &set)
	if err != nil {
		t.Fatal(err)
	}
	for range 800 {
		if _, err := tr.Iterate(nil); err != nil {
			t.Fatal(err)
		}
	}
	cells, err := Evaluate(tr.Model(), data.Gaussian{}, test, 100, &fm.SampleSettings{Solver: fm.RK4, Steps: 20}, rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 3 {
		t.Fatalf("%d classes evaluated, want 3", len(cells))
	}
	for _, c := range cells {
		t.Logf("class %v: W2 %.3f to its held-out points, %.3f to the next class's", c.Label, c.W2, c.W2Other)
		if c.W2 > 1.5 || c.W2Other < 4 {
			t.Errorf("class %v: W2 %.3f to its own points (want < 1.5), %.3f to another class's (want > 4)", c.Label, c.W2, c.W2Other)
		}
	}

	// The marginal Transport splits points among the classes in the
	// training labels' proportions (a third each here, to rounding), with
	// trajectories that end at the samples.
	transport, err := tr.Transport(false)
	if err != nil {
		t.Fatal(err)
	}
	const n = 301
	x0 := make([]float64, 2*n)
	data.Gaussian{}.Sample(x0, n, rand.New(rand.NewPCG(6, 6)))
	res, err := transport(x0, n, &fm.SampleSettings{Solver: fm.RK4, Steps: 20, Trajectory: 5})
	if err != nil {
		t.Fatal(err)
	}
	var counts [3]int
	for i := range n {
		counts[nearest(res.X[2*i:2*i+2])]++
	}
	t.Logf("marginal samples per cluster: %v", counts)
	for k, c := range counts {
		if c < 95 || c > 106 {
			t.Errorf("cluster %d: %d of %d marginal samples, want about a third", k, c, n)
		}
	}
	if len(res.Traj) != 5 || !slices.Equal(res.Traj[4], res.X) {
		t.Errorf("%d trajectory snapshots, the last equal to the samples: %v; want 5, true", len(res.Traj), len(res.Traj) == 5 && slices.Equal(res.Traj[4], res.X))
	}
	// ClassTransport is Sample with the averaged weights.
	one, err := tr.ClassTransport(false, 2)
	if err != nil {
		t.Fatal(err)
	}
	a, err := one(x0, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Sample(tr.Model(), 2, x0, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.X, b.X) {
		t.Error("ClassTransport(false, 2) differs from Sample of the averaged model for class 2")
	}
	if _, err := tr.ClassTransport(false, 3); err == nil {
		t.Error("ClassTransport of class index 3 of 3 classes: no error")
	}
}

func TestConditionalErrors(t *testing.T) {
	set := Defaults()
	if _, err := NewTrainer(numeric{2}, data.Gaussian{}, clusters(t, 9, 1), &set); err == nil || !strings.Contains(err.Error(), "closed-form") {
		t.Errorf("numeric Lagrangian: error %v, want one asking for a closed form", err)
	}
	if _, err := NewTrainer(kinetic{3}, data.Gaussian{}, clusters(t, 9, 1), &set); err == nil || !strings.Contains(err.Error(), "dimension") {
		t.Errorf("dimension mismatch: error %v", err)
	}
	bad := set
	bad.Coupling = "emd"
	if _, err := NewTrainer(kinetic{2}, data.Gaussian{}, clusters(t, 9, 1), &bad); err == nil || !strings.Contains(err.Error(), "coupling") {
		t.Errorf("unknown coupling: error %v", err)
	}
	bad = set
	bad.Optim.LR = math.NaN()
	if _, err := NewTrainer(kinetic{2}, data.Gaussian{}, clusters(t, 9, 1), &bad); err == nil || !strings.Contains(err.Error(), "learning rate") {
		t.Errorf("NaN learning rate: error %v", err)
	}
	tr, err := NewTrainer(kinetic{2}, data.Gaussian{}, clusters(t, 9, 1), &set)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Sample(tr.Model(), 3, make([]float64, 2), 1, nil); err == nil || !strings.Contains(err.Error(), "class index") {
		t.Errorf("class out of range: error %v", err)
	}
}
