package likelihood

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/nn"
)

// gaussianFlow is the optimal-transport interpolation from N(0, I) to
// N(m, Σ), Σ = A², A = Q diag(λ) Qᵀ: x_t = t m + B_t x₀ with B_t = (1−t)I + tA,
// whose velocity field is v(x, t) = m + (A − I) B_t⁻¹ (x − t m), linear in x.
type gaussianFlow struct {
	d      int
	m, lam []float64
	q      []float64 // d×d orthogonal, row-major
	t      float64
	tmp    []float64
}

func newGaussianFlow(d int, rng *rand.Rand) *gaussianFlow {
	g := &gaussianFlow{d: d, m: make([]float64, d), lam: make([]float64, d), q: randomRotation(d, rng), tmp: make([]float64, d)}
	for i := range d {
		g.m[i] = 2*rng.Float64() - 1
		g.lam[i] = 0.4 + 1.6*rng.Float64()
	}
	return g
}

// randomRotation orthonormalises a Gaussian matrix by Gram–Schmidt.
func randomRotation(d int, rng *rand.Rand) []float64 {
	q := make([]float64, d*d)
	for i := range q {
		q[i] = rng.NormFloat64()
	}
	for i := range d {
		ri := q[i*d : (i+1)*d]
		for j := range i {
			rj := q[j*d : (j+1)*d]
			var dot float64
			for k := range d {
				dot += ri[k] * rj[k]
			}
			for k := range d {
				ri[k] -= dot * rj[k]
			}
		}
		var nrm float64
		for _, v := range ri {
			nrm += v * v
		}
		nrm = math.Sqrt(nrm)
		for k := range ri {
			ri[k] /= nrm
		}
	}
	return q
}

func (g *gaussianFlow) Dim() int { return g.d }

// apply writes Q diag(s) Qᵀ u to dst, s_k = (λ_k − 1)/((1−t) + tλ_k).
func (g *gaussianFlow) apply(dst, u []float64, t float64) {
	d := g.d
	for k := range d { // tmp = diag(s) Qᵀ u; Q's columns are the rows of q here
		var s float64
		for j := range d {
			s += g.q[k*d+j] * u[j]
		}
		g.tmp[k] = s * (g.lam[k] - 1) / ((1 - t) + t*g.lam[k])
	}
	for j := range d {
		var s float64
		for k := range d {
			s += g.q[k*d+j] * g.tmp[k]
		}
		dst[j] = s
	}
}

func (g *gaussianFlow) Eval(dst []float64, t float64, x []float64, n int) error {
	d := g.d
	u := make([]float64, d)
	for i := range n {
		for j := range d {
			u[j] = x[i*d+j] - t*g.m[j]
		}
		g.apply(dst[i*d:(i+1)*d], u, t)
		for j := range d {
			dst[i*d+j] += g.m[j]
		}
	}
	g.t = t
	return nil
}

func (g *gaussianFlow) JVP(dst, dir []float64) error {
	for i := 0; i < len(dir)/g.d; i++ {
		g.apply(dst[i*g.d:(i+1)*g.d], dir[i*g.d:(i+1)*g.d], g.t)
	}
	return nil
}

// sample draws n points of N(m, Σ) as m + A z.
func (g *gaussianFlow) sample(n int, rng *rand.Rand) []float64 {
	d := g.d
	x := make([]float64, n*d)
	z, az := make([]float64, d), make([]float64, d)
	for i := range n {
		for j := range z {
			z[j] = rng.NormFloat64()
		}
		// A z = Q diag(λ) Qᵀ z = (B_1 − ... ) computed directly.
		for k := range d {
			var s float64
			for j := range d {
				s += g.q[k*d+j] * z[j]
			}
			g.tmp[k] = s * g.lam[k]
		}
		for j := range d {
			var s float64
			for k := range d {
				s += g.q[k*d+j] * g.tmp[k]
			}
			az[j] = s
		}
		for j := range d {
			x[i*d+j] = g.m[j] + az[j]
		}
	}
	return x
}

// trueNLL is −log N(x; m, Σ) with Σ = Q diag(λ²) Qᵀ.
func (g *gaussianFlow) trueNLL(x []float64) float64 {
	d := g.d
	nll := 0.5 * float64(d) * math.Log(2*math.Pi)
	for k := range d {
		var s float64
		for j := range d {
			s += g.q[k*d+j] * (x[j] - g.m[j])
		}
		nll += 0.5*s*s/(g.lam[k]*g.lam[k]) + math.Log(g.lam[k])
	}
	return nll
}

func TestNLLOfGaussianFlowMatchesClosedForm(t *testing.T) {
	for _, d := range []int{1, 2, 8} {
		rng := rand.New(rand.NewPCG(uint64(d), 7))
		g := newGaussianFlow(d, rng)
		const n = 50
		x := g.sample(n, rng)
		got := make([]float64, n)
		res, err := NLL(got, g, x, n, &Settings{RelTol: 1e-11, AbsTol: 1e-11})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Exact {
			t.Fatalf("d=%d: divergence not exact", d)
		}
		var mean float64
		for i := range n {
			want := g.trueNLL(x[i*d : (i+1)*d])
			mean += want / n
			if math.Abs(got[i]-want) > 1e-6 {
				t.Errorf("d=%d point %d: NLL %.10f, closed form %.10f", d, i, got[i], want)
			}
		}
		if math.Abs(res.NLL-mean) > 1e-6 {
			t.Errorf("d=%d: mean NLL %.10f, closed form %.10f", d, res.NLL, mean)
		}
		if want := res.NLL / (float64(d) * math.Ln2); math.Abs(res.BPD-want) > 1e-12 {
			t.Errorf("d=%d: bpd %g, want NLL/(d ln 2) = %g", d, res.BPD, want)
		}
	}
}

func TestOffsetShiftsEveryPoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	g := newGaussianFlow(2, rng)
	x := g.sample(5, rng)
	a, err := NLL(nil, g, x, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NLL(nil, g, x, 5, &Settings{Offset: 1.25})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(b.NLL-a.NLL-1.25) > 1e-12 {
		t.Errorf("offset 1.25 moved the NLL from %g to %g", a.NLL, b.NLL)
	}
}

func randomNet(t *testing.T, sizes []int, act nn.Activation, seed uint64) *nn.MLP {
	t.Helper()
	net, err := nn.NewMLP(sizes, act, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// The exact divergence (d forward-mode passes) equals central finite
// differences of the network's own outputs.
func TestExactDivergenceMatchesFiniteDifferences(t *testing.T) {
	for _, tc := range []struct {
		d, c int
		act  nn.Activation
	}{{2, 0, nn.SELU}, {5, 3, nn.Tanh}, {8, 0, nn.SiLU}} {
		net := randomNet(t, []int{tc.d + 1 + tc.c, 32, 32, tc.d}, tc.act, uint64(tc.d))
		cond := make([]float64, tc.c)
		if tc.c > 0 {
			cond[1] = 1
		}
		const n = 7
		f, err := NewMLPField(net, cond, n, 1)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(9, uint64(tc.d)))
		x := make([]float64, n*tc.d)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		const tt = 0.37
		dv := &divergence{f: f, n: n, d: tc.d, k: 1, exact: true, dir: make([]float64, n*tc.d), jv: make([]float64, n*tc.d)}
		dst := make([]float64, n*(tc.d+1))
		y := append(append([]float64(nil), x...), make([]float64, n)...)
		dv.rhs(dst, tt, y)
		if dv.err != nil {
			t.Fatal(dv.err)
		}
		const h = 1e-5
		plus, minus := make([]float64, n*tc.d), make([]float64, n*tc.d)
		xp := make([]float64, n*tc.d)
		want := make([]float64, n)
		for j := range tc.d {
			copy(xp, x)
			for i := range n {
				xp[i*tc.d+j] += h
			}
			if err := f.Eval(plus, tt, xp, n); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				xp[i*tc.d+j] -= 2 * h
			}
			if err := f.Eval(minus, tt, xp, n); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				want[i] += (plus[i*tc.d+j] - minus[i*tc.d+j]) / (2 * h)
			}
		}
		for i := range n {
			got := dst[n*tc.d+i]
			if math.Abs(got-want[i]) > 1e-7*(1+math.Abs(want[i])) {
				t.Errorf("d=%d %v row %d: divergence %.12g, finite differences %.12g", tc.d, tc.act, i, got, want[i])
			}
		}
	}
}

// Hutchinson's estimate lies within three of its reported standard errors
// of the exact NLL at d = 8, and the error shrinks with more probes.
func TestHutchinsonWithinReportedError(t *testing.T) {
	const d, n = 8, 40
	net := randomNet(t, []int{d + 1, 16, 16, d}, nn.Tanh, 11)
	f, err := NewMLPField(net, nil, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 4))
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	exact, err := NLL(nil, f, x, n, &Settings{RelTol: 1e-6, AbsTol: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	var prevErr float64
	for _, probes := range []int{4, 32} {
		h, err := NLL(nil, f, x, n, &Settings{RelTol: 1e-6, AbsTol: 1e-6, MaxExactDim: -1, Probes: probes, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("probes %d: NLL %.5f ± %.2g (exact %.5f), NFE %d", probes, h.NLL, h.ProbeStdErr, exact.NLL, h.NFE)
		if h.Exact || h.Probes != probes || !(h.ProbeStdErr > 0) {
			t.Fatalf("probes %d: result %+v; want Hutchinson with a positive standard error", probes, h)
		}
		if diff := math.Abs(h.NLL - exact.NLL); diff > 3*h.ProbeStdErr {
			t.Errorf("probes %d: Hutchinson NLL %.6f, exact %.6f: off by %.2g > 3 × reported error %.2g", probes, h.NLL, exact.NLL, diff, h.ProbeStdErr)
		}
		if prevErr > 0 && !(h.ProbeStdErr < prevErr/2) {
			t.Errorf("standard error %g with %d probes is not well below %g with fewer", h.ProbeStdErr, probes, prevErr)
		}
		prevErr = h.ProbeStdErr
	}
}

func TestNLLRejectsBadInput(t *testing.T) {
	g := newGaussianFlow(2, rand.New(rand.NewPCG(1, 1)))
	net := randomNet(t, []int{3, 8, 2}, nn.SELU, 1)
	for _, tc := range []struct {
		name string
		run  func() error
		want string
	}{
		{"NaN point", func() error { _, err := NLL(nil, g, []float64{0, math.NaN()}, 1, nil); return err }, "NaN"},
		{"short input", func() error { _, err := NLL(nil, g, []float64{0}, 1, nil); return err }, "need 2 values"},
		{"no points", func() error { _, err := NLL(nil, g, nil, 0, nil); return err }, "need 0 values"},
		{"short dst", func() error { _, err := NLL(make([]float64, 2), g, []float64{0, 0}, 1, nil); return err }, "destination"},
		{"one probe", func() error {
			_, err := NLL(nil, g, []float64{0, 0}, 1, &Settings{MaxExactDim: -1, Probes: 1})
			return err
		}, "at least 2"},
		{"bad tolerance", func() error { _, err := NLL(nil, g, []float64{0, 0}, 1, &Settings{RelTol: -1}); return err }, "tolerances"},
		{"infinite offset", func() error {
			_, err := NLL(nil, g, []float64{0, 0}, 1, &Settings{Offset: math.Inf(1)})
			return err
		}, "offset"},
		{"wrong conditioning", func() error { _, err := NewMLPField(net, []float64{1}, 4, 1); return err }, "conditioning"},
		{"too many rows", func() error {
			f, err := NewMLPField(net, nil, 1, 1)
			if err != nil {
				return err
			}
			_, err = NLL(nil, f, []float64{0, 0, 1, 1}, 2, nil)
			return err
		}, "exceed"},
	} {
		err := tc.run()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

// A field that blows up makes NLL fail with an error, not a panic or NaN.
type explodingField struct{}

func (explodingField) Dim() int { return 1 }
func (explodingField) Eval(dst []float64, t float64, x []float64, n int) error {
	for i := range dst {
		dst[i] = x[i] * x[i] * 1e3
	}
	return nil
}
func (explodingField) JVP(dst, dir []float64) error { copy(dst, dir); return nil }

func TestNLLOfDivergingFlowIsAnError(t *testing.T) {
	if _, err := NLL(nil, explodingField{}, []float64{-5}, 1, nil); err == nil {
		t.Error("a flow that leaves to infinity gave no error")
	}
}

// Batches of points integrated separately give the same NLLs and summary
// as one solve of all of them.
func TestBatchesAgreeWithOneSolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	g := newGaussianFlow(3, rng)
	const n = 23
	x := g.sample(n, rng)
	whole, parts := make([]float64, n), make([]float64, n)
	set := Settings{RelTol: 1e-10, AbsTol: 1e-10}
	a, err := NLL(whole, g, x, n, &set)
	if err != nil {
		t.Fatal(err)
	}
	set.Batch = 5
	b, err := NLL(parts, g, x, n, &set)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if math.Abs(whole[i]-parts[i]) > 1e-7 {
			t.Errorf("point %d: NLL %.10f in one solve, %.10f in batches of 5", i, whole[i], parts[i])
		}
	}
	if math.Abs(a.NLL-b.NLL) > 1e-7 || math.Abs(a.StdErr-b.StdErr) > 1e-7 || b.NFE <= a.NFE {
		t.Errorf("one solve %+v, batches %+v: want equal NLL and standard error, more evaluations", a, b)
	}
}
