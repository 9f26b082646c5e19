package fm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lagc-dev/lagc/runtime/bvp"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/metric"
)

// bump is L = ½|v|² + A·exp(−|x|²/s²), written by hand: it has no closed
// form, so its paths come from the boundary-value solver.
type bump struct {
	d    int
	a, s float64
}

func (b bump) Dim() int                 { return b.d }
func (b bump) Clone() lagrangian.System { return b }
func (b bump) L(t float64, x, v []float64) float64 {
	var vv, xx float64
	for i := range x {
		vv += v[i] * v[i]
		xx += x[i] * x[i]
	}
	return vv/2 + b.a*math.Exp(-xx/(b.s*b.s))
}

// Accel is ẍ = ∂L/∂x = −2A/s²·x·exp(−|x|²/s²).
func (b bump) Accel(dst []float64, t float64, x, v []float64) {
	var xx float64
	for _, xi := range x {
		xx += xi * xi
	}
	c := -2 * b.a / (b.s * b.s) * math.Exp(-xx/(b.s*b.s))
	for i, xi := range x {
		dst[i] = c * xi
	}
}

// TestNumericTargetsMatchFreshSolve: for a Lagrangian without a closed form,
// each network input [x_t, t] and target u_t of an iteration lie on the
// least-action path of its pair at that same t, solved afresh.
func TestNumericTargetsMatchFreshSolve(t *testing.T) {
	sys := bump{d: 2, a: 2, s: 1}
	const batch = 8
	pairs, err := NewPairs(&Problem{Sys: sys, Source: sampler(t, "gaussian"), Target: sampler(t, "moons"), Seed: 1, Threads: 1},
		&PairSettings{Batch: batch, Coupling: OT, Pool: 1})
	if err != nil {
		t.Fatal(err)
	}
	if pairs.Paths.Closed() {
		t.Fatal("the bump has no closed form; the test needs numeric paths")
	}
	d := 2
	in, target := make([]float64, batch*(d+1)), make([]float64, batch*d)
	b, err := pairs.Next(0, in, target)
	if err != nil {
		t.Fatal(err)
	}
	solver, err := bvp.NewSolver(sys, nil)
	if err != nil {
		t.Fatal(err)
	}
	var bent float64
	for k := 0; k < b.N; k++ {
		x0, x1 := b.X0[k*d:(k+1)*d], b.X1[k*d:(k+1)*d]
		var p bvp.Path
		if err := solver.Solve(&p, x0, x1); err != nil {
			t.Fatal(err)
		}
		tk := in[k*(d+1)+d]
		x, v := make([]float64, d), make([]float64, d)
		if err := p.At(x, v, tk); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < d; i++ {
			if math.Abs(in[k*(d+1)+i]-x[i]) > 1e-7 || math.Abs(target[k*d+i]-v[i]) > 1e-6 {
				t.Fatalf("pair %d at t=%.4f: x_t %v u_t %v, fresh solve gives %v %v", k, tk, in[k*(d+1):k*(d+1)+d], target[k*d:(k+1)*d], x, v)
			}
			bent = math.Max(bent, math.Abs(v[i]-(x1[i]-x0[i])))
		}
	}
	if bent < 1e-3 {
		t.Fatalf("the paths are straight to %g: the bump is not bending them, so the test proves nothing", bent)
	}
}

// TestSigmaNoiseOnInputs: the noise σε is added to the network's input x_t,
// never to the target velocity, and has mean 0 and variance σ².
func TestSigmaNoiseOnInputs(t *testing.T) {
	const sigma = 0.3
	d, n := 2, 4096
	pairs, err := NewPairs(&Problem{Sys: kinetic{2}, Source: sampler(t, "gaussian"), Target: sampler(t, "moons"), Seed: 1},
		&PairSettings{Batch: n, Coupling: Independent, Sigma: sigma, Pool: 1})
	if err != nil {
		t.Fatal(err)
	}
	in, target := make([]float64, n*(d+1)), make([]float64, n*d)
	b, err := pairs.Next(0, in, target)
	if err != nil {
		t.Fatal(err)
	}
	var sum, sq float64
	for k := 0; k < n; k++ {
		tk := in[k*(d+1)+d]
		for i := 0; i < d; i++ {
			x0, x1 := b.X0[k*d+i], b.X1[k*d+i]
			if u := target[k*d+i]; math.Abs(u-(x1-x0)) > 1e-12 {
				t.Fatalf("pair %d: target %v, want the exact velocity x1−x0 = %v (noise must not reach the target)", k, u, x1-x0)
			}
			r := in[k*(d+1)+i] - ((1-tk)*x0 + tk*x1)
			sum += r
			sq += r * r
		}
	}
	m := float64(n * d)
	mean, variance := sum/m, sq/m-(sum/m)*(sum/m)
	want := sigma * sigma
	if math.Abs(mean) > 4*sigma/math.Sqrt(m) {
		t.Errorf("noise mean %.4g, want 0 within %.2g", mean, 4*sigma/math.Sqrt(m))
	}
	// The sample variance's relative standard error is √(2/m) ≈ 1.6%.
	if math.Abs(variance/want-1) > 0.07 {
		t.Errorf("noise variance %.4g, want σ² = %.4g", variance, want)
	}
}

// permutations calls f with every permutation of 0..n-1.
func permutations(n int, f func(p []int)) {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	var rec func(k int)
	rec = func(k int) {
		if k == n {
			f(p)
			return
		}
		for i := k; i < n; i++ {
			p[k], p[i] = p[i], p[k]
			rec(k + 1)
			p[k], p[i] = p[i], p[k]
		}
	}
	rec(0)
}

// bruteW returns min over permutations of mean |x_i − y_p(i)|^q, and the
// minimising permutation.
func bruteW(x, y []float64, n, d int, q float64) (float64, []int) {
	best, arg := math.Inf(1), []int(nil)
	permutations(n, func(p []int) {
		var c float64
		for i, j := range p {
			var s float64
			for k := 0; k < d; k++ {
				s += (x[i*d+k] - y[j*d+k]) * (x[i*d+k] - y[j*d+k])
			}
			c += math.Pow(math.Sqrt(s), q)
		}
		if c /= float64(n); c < best {
			best, arg = c, append([]int(nil), p...)
		}
	})
	return best, arg
}

// bruteMMD2 is the unbiased RBF MMD² written out.
func bruteMMD2(x, y []float64, n, d int, h float64) float64 {
	k := func(a, b []float64) float64 {
		var s float64
		for i := range a {
			s += (a[i] - b[i]) * (a[i] - b[i])
		}
		return math.Exp(-s / (2 * h * h))
	}
	var xx, yy, xy float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			xy += k(x[i*d:(i+1)*d], y[j*d:(j+1)*d])
			if i != j {
				xx += k(x[i*d:(i+1)*d], x[j*d:(j+1)*d])
				yy += k(y[i*d:(i+1)*d], y[j*d:(j+1)*d])
			}
		}
	}
	fn := float64(n)
	return xx/(fn*(fn-1)) + yy/(fn*(fn-1)) - 2*xy/(fn*fn)
}

// TestEvaluateTransportBruteForce checks the metrics of EvaluateTransport
// on 6 points against brute force over all 720 assignments: W1, W2, MMD²,
// and the path energy of straight trajectories, which is 1 exactly when
// they are the optimal transport paths (∫|ẋ|² = |T(x)−x|², whose mean is W2²).
func TestEvaluateTransportBruteForce(t *testing.T) {
	const n, d = 6, 2
	rng := rand.New(rand.NewPCG(5, 6))
	y := make([]float64, n*d)
	for i := range y {
		y[i] = 3 + rng.NormFloat64()
	}
	held, err := data.NewTable(y, n, d, "held")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		optimal bool // map each x0 to its optimal partner in y
	}{{"shifted", false}, {"optimal", true}} {
		t.Run(tc.name, func(t *testing.T) {
			var x0seen, xout []float64
			transport := func(x0 []float64, m int, s *SampleSettings) (*SampleResult, error) {
				x0seen = append([]float64(nil), x0...)
				x1 := make([]float64, m*d)
				if tc.optimal {
					_, p := bruteW(x0, y, m, d, 2)
					for i, j := range p {
						copy(x1[i*d:(i+1)*d], y[j*d:(j+1)*d])
					}
				} else {
					for i := range x1 {
						x1[i] = 0.5*x0[i] + 1
					}
				}
				xout = x1
				res := &SampleResult{X: x1, NFE: 7}
				for k := 0; k < s.Trajectory; k++ {
					tk := float64(k) / float64(s.Trajectory-1)
					snap := make([]float64, m*d)
					for i := range snap {
						snap[i] = (1-tk)*x0[i] + tk*x1[i]
					}
					res.Traj, res.TrajT = append(res.Traj, snap), append(res.TrajT, tk)
				}
				return res, nil
			}
			m, _, err := EvaluateTransport(transport, d, sampler(t, "gaussian"), nil, held, n, nil, rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				t.Fatal(err)
			}
			w2sq, _ := bruteW(xout, y, n, d, 2)
			w1, _ := bruteW(xout, y, n, d, 1)
			h := metric.MedianBandwidth(xout, y, n, n, d)
			mmd := bruteMMD2(xout, y, n, d, h)
			st, _ := bruteW(x0seen, y, n, d, 2)
			var energy float64
			for i := range xout {
				energy += (xout[i] - x0seen[i]) * (xout[i] - x0seen[i])
			}
			energy /= n * st
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"w2", m.W2, math.Sqrt(w2sq)}, {"w1", m.W1, w1}, {"mmd", m.MMD, mmd}, {"path_energy", m.PathEnergy, energy}} {
				if math.Abs(c.got-c.want) > 1e-9*(1+math.Abs(c.want)) {
					t.Errorf("%s = %.12g, brute force %.12g", c.name, c.got, c.want)
				}
			}
			if tc.optimal && math.Abs(m.PathEnergy-1) > 1e-9 {
				t.Errorf("straight optimal transport paths have path_energy %.12g, want 1 (their energy is W2²)", m.PathEnergy)
			}
			if m.NFE != 7 || m.N != n {
				t.Errorf("NFE %d N %d, want 7 and %d", m.NFE, m.N, n)
			}
		})
	}
}
