package noise

import (
	"math"
	"math/rand/v2"
	"testing"
)

// curved is a mean path μ_t that is not a straight line, with its velocity.
func curved(x, v []float64, t float64) {
	x[0], v[0] = math.Cos(3*t), -3*math.Sin(3*t)
	x[1], v[1] = t*t, 2*t
}

// noisyPath is x_t = μ_t + s(t)ε and its target, for the ε drawn from seed.
func noisyPath(s Schedule, sigma, t float64, seed uint64) (x, u []float64) {
	x, u = make([]float64, 2), make([]float64, 2)
	curved(x, u, t)
	s.Perturb(x, u, sigma, t, rand.New(rand.NewPCG(seed, 0)))
	return x, u
}

// The target is the time derivative of the noisy path with its ε held
// fixed: central finite differences of μ_t + s(t)ε.
func TestTargetIsDerivativeOfNoisyPath(t *testing.T) {
	const h = 1e-6
	for _, s := range []Schedule{Constant, Bridge} {
		for _, tt := range []float64{0.03, 0.3, 0.5, 0.77, 0.97} {
			for seed := range uint64(4) {
				_, u := noisyPath(s, 0.7, tt, seed)
				xp, _ := noisyPath(s, 0.7, tt+h, seed)
				xm, _ := noisyPath(s, 0.7, tt-h, seed)
				for i := range u {
					fd := (xp[i] - xm[i]) / (2 * h)
					if math.Abs(fd-u[i]) > 1e-6*(1+math.Abs(fd)) {
						t.Errorf("%v t=%g seed %d coord %d: target %.9g, finite differences %.9g", s, tt, seed, i, u[i], fd)
					}
				}
			}
		}
	}
}

// The target field u(x) = μ̇ + (ṡ/s)(x − μ) and the Gaussian path density
// p_t = N(μ_t, s(t)²I) satisfy the continuity equation ∂p/∂t + ∇·(p u) = 0,
// checked by finite differences in t and x at points around the mean.
func TestBridgeTargetSatisfiesContinuityEquation(t *testing.T) {
	const sigma = 0.8
	density := func(x []float64, t float64) float64 {
		mu, v := make([]float64, 2), make([]float64, 2)
		curved(mu, v, t)
		s := Bridge.Std(sigma, t)
		var q float64
		for i := range x {
			q += (x[i] - mu[i]) * (x[i] - mu[i])
		}
		return math.Exp(-q/(2*s*s)) / (2 * math.Pi * s * s)
	}
	flux := func(dst, x []float64, t float64) { // p u
		mu, v := make([]float64, 2), make([]float64, 2)
		curved(mu, v, t)
		ratio := Bridge.Rate(sigma, t) / Bridge.Std(sigma, t)
		p := density(x, t)
		for i := range x {
			dst[i] = p * (v[i] + ratio*(x[i]-mu[i]))
		}
	}
	const h = 1e-5
	rng := rand.New(rand.NewPCG(2, 2))
	for _, tt := range []float64{0.1, 0.35, 0.6, 0.9} {
		mu, v := make([]float64, 2), make([]float64, 2)
		curved(mu, v, tt)
		s := Bridge.Std(sigma, tt)
		for range 5 {
			x := []float64{mu[0] + s*rng.NormFloat64(), mu[1] + s*rng.NormFloat64()}
			dpdt := (density(x, tt+h) - density(x, tt-h)) / (2 * h)
			var div float64
			fp, fm := make([]float64, 2), make([]float64, 2)
			for i := range x {
				xp := append([]float64(nil), x...)
				xm := append([]float64(nil), x...)
				xp[i] += h
				xm[i] -= h
				flux(fp, xp, tt)
				flux(fm, xm, tt)
				div += (fp[i] - fm[i]) / (2 * h)
			}
			scale := math.Abs(dpdt) + math.Abs(div) + density(x, tt)
			if r := math.Abs(dpdt + div); r > 1e-6*scale {
				t.Errorf("t=%g x=%v: ∂p/∂t = %.8g, ∇·(pu) = %.8g; residual %.3g", tt, x, dpdt, div, r)
			}
		}
	}
}

// Perturb's noise has mean 0 and variance s(t)² per coordinate (within
// five standard errors over 20000 draws), and none at the bridge's ends.
func TestPerturbStatistics(t *testing.T) {
	const sigma, n = 0.5, 20000
	rng := rand.New(rand.NewPCG(8, 8))
	for _, s := range []Schedule{Constant, Bridge} {
		for _, tt := range []float64{0, 0.2, 0.5, 1} {
			var sum, sumSq float64
			for range n {
				x, u := []float64{1}, []float64{2}
				s.Perturb(x, u, sigma, tt, rng)
				e := x[0] - 1
				sum += e
				sumSq += e * e
			}
			want := s.Std(sigma, tt) * s.Std(sigma, tt)
			mean, variance := sum/n, sumSq/n
			if want == 0 {
				if sumSq != 0 {
					t.Errorf("%v t=%g: noise of variance %g where the schedule has none", s, tt, variance)
				}
				continue
			}
			if math.Abs(mean) > 5*math.Sqrt(want/n) || math.Abs(variance-want) > 5*want*math.Sqrt(2.0/n) {
				t.Errorf("%v t=%g: noise mean %.4g variance %.4g, want 0 and %.4g", s, tt, mean, variance, want)
			}
		}
	}
	if Bridge.Std(1, 0.5) != 0.5 || Constant.Std(0.3, 0.9) != 0.3 {
		t.Errorf("s(½) of the bridge with σ = 1 is %g, want ½; constant s is %g, want 0.3", Bridge.Std(1, 0.5), Constant.Std(0.3, 0.9))
	}
}

func TestParseSchedule(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Schedule
		ok   bool
	}{{"", Constant, true}, {"constant", Constant, true}, {"Bridge", Bridge, true}, {"vp", 0, false}} {
		got, err := ParseSchedule(tc.in)
		if (err == nil) != tc.ok || tc.ok && got != tc.want {
			t.Errorf("ParseSchedule(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok {
			if back, _ := ParseSchedule(got.String()); back != got {
				t.Errorf("%v does not round-trip through its name", got)
			}
		}
	}
}
