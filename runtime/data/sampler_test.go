package data

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		name string
		dim  int
	}{
		{"gaussian", 0}, {"normal", 0}, {"8gaussians", 2}, {"moons", 2},
		{"checkerboard", 2}, {"circles", 2}, {"scurve", 2}, {" Moons ", 2},
	} {
		s, err := Lookup(tc.name)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tc.name, err)
			continue
		}
		if s.Dim() != tc.dim {
			t.Errorf("Lookup(%q).Dim() = %d, want %d", tc.name, s.Dim(), tc.dim)
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	for _, tc := range []struct{ name, suggest string }{
		{"moon", `did you mean "moons"?`},
		{"8gaussian", `did you mean "8gaussians"?`},
		{"checkerbord", `did you mean "checkerboard"?`},
		{"s-curve", `did you mean "scurve"?`},
		{"swissroll", ""},
	} {
		_, err := Lookup(tc.name)
		if err == nil {
			t.Fatalf("Lookup(%q) succeeded", tc.name)
		}
		msg := err.Error()
		if tc.suggest != "" && !strings.Contains(msg, tc.suggest) {
			t.Errorf("Lookup(%q) error %q lacks %q", tc.name, msg, tc.suggest)
		}
		if tc.suggest == "" && strings.Contains(msg, "did you mean") {
			t.Errorf("Lookup(%q) error %q suggests a far name", tc.name, msg)
		}
		if !strings.Contains(msg, "8gaussians, checkerboard, circles") {
			t.Errorf("Lookup(%q) error %q does not list the built-ins", tc.name, msg)
		}
	}
}

// within reports whether got is within k standard errors of want.
func within(got, want, se, k float64) bool { return math.Abs(got-want) <= k*se }

func TestGaussianMoments(t *testing.T) {
	const n, d = 20000, 3
	x := make([]float64, n*d)
	Gaussian{}.Sample(x, n, newRand(1))
	for j := 0; j < d; j++ {
		var m, v float64
		for i := 0; i < n; i++ {
			m += x[i*d+j]
			v += x[i*d+j] * x[i*d+j]
		}
		m /= n
		v /= n
		// Standard errors: 1/√n for the mean, √(2/n) for the variance.
		if !within(m, 0, 1/math.Sqrt(n), 5) || !within(v, 1, math.Sqrt(2.0/n), 5) {
			t.Errorf("column %d: mean %v variance %v, want 0 and 1", j, m, v)
		}
	}
}

func TestEightGaussians(t *testing.T) {
	const n = 80000
	x := make([]float64, 2*n)
	EightGaussians{}.Sample(x, n, newRand(2))
	type acc struct{ n, sx, sy, sxx, syy float64 }
	var clusters [8]acc
	for i := 0; i < n; i++ {
		// Nearest centre at angle k·45°: neighbours are 3.8 apart, seven
		// standard deviations, so misassignment is negligible.
		a := math.Atan2(x[2*i+1], x[2*i])
		k := int(math.Round(a/(math.Pi/4))+8) % 8
		c := &clusters[k]
		c.n++
		c.sx += x[2*i]
		c.sy += x[2*i+1]
		c.sxx += x[2*i] * x[2*i]
		c.syy += x[2*i+1] * x[2*i+1]
	}
	wantStd := math.Pow(0.1, 0.25)
	for k, c := range clusters {
		cx, cy := 5*math.Cos(float64(k)*math.Pi/4), 5*math.Sin(float64(k)*math.Pi/4)
		// Counts are binomial(n, 1/8).
		if !within(c.n, n/8, math.Sqrt(n*(1.0/8)*(7.0/8)), 5) {
			t.Errorf("centre %d: %v points, want about %v", k, c.n, n/8)
		}
		mx, my := c.sx/c.n, c.sy/c.n
		sx, sy := math.Sqrt(c.sxx/c.n-mx*mx), math.Sqrt(c.syy/c.n-my*my)
		seMean, seStd := wantStd/math.Sqrt(c.n), wantStd/math.Sqrt(2*c.n)
		if !within(mx, cx, seMean, 5) || !within(my, cy, seMean, 5) {
			t.Errorf("centre %d: mean (%v, %v), want (%v, %v)", k, mx, my, cx, cy)
		}
		if !within(sx, wantStd, seStd, 5) || !within(sy, wantStd, seStd, 5) {
			t.Errorf("centre %d: per-axis std (%v, %v), want %v", k, sx, sy, wantStd)
		}
	}
}

func TestMoonsArcs(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 2048, 20001} {
		x := make([]float64, 2*n)
		Moons{}.Sample(x, n, newRand(uint64(n)))
		nOut := n / 2
		nIn := n - nOut
		var sum, sumSq float64
		for i := 0; i < n; i++ {
			// Undo p ↦ 3p − 1, then compare with the arc point this row
			// must come from: outer rows first, then inner, by increasing s.
			qx, qy := (x[2*i]+1)/3, (x[2*i+1]+1)/3
			var ax, ay float64
			if i < nOut {
				s := 0.0
				if nOut > 1 {
					s = math.Pi * float64(i) / float64(nOut-1)
				}
				ax, ay = math.Cos(s), math.Sin(s)
			} else {
				s := 0.0
				if nIn > 1 {
					s = math.Pi * float64(i-nOut) / float64(nIn-1)
				}
				ax, ay = 1-math.Cos(s), 0.5-math.Sin(s)
			}
			ux, uy := qx-ax, qy-ay
			if math.Abs(ux-uy) > 1e-12 {
				t.Fatalf("n=%d row %d: shift (%v, %v) is not along (1, 1)", n, i, ux, uy)
			}
			if ux < -1e-12 || ux >= 0.2+1e-12 {
				t.Fatalf("n=%d row %d: shift %v outside [0, 0.2)", n, i, ux)
			}
			sum += ux
			sumSq += ux * ux
		}
		if n < 2000 {
			continue
		}
		// The shift is U[0, 0.2): mean 0.1, variance 0.2²/12.
		mean := sum / float64(n)
		variance := sumSq/float64(n) - mean*mean
		sd := 0.2 / math.Sqrt(12)
		if !within(mean, 0.1, sd/math.Sqrt(float64(n)), 5) {
			t.Errorf("n=%d: mean shift %v, want 0.1", n, mean)
		}
		if math.Abs(variance-sd*sd) > 0.1*sd*sd {
			t.Errorf("n=%d: shift variance %v, want %v", n, variance, sd*sd)
		}
	}
}

func TestCheckerboard(t *testing.T) {
	const n = 80000
	x := make([]float64, 2*n)
	Checkerboard{}.Sample(x, n, newRand(3))
	counts := map[[2]int]float64{}
	var fracSum [2]float64
	for i := 0; i < n; i++ {
		px, py := x[2*i], x[2*i+1]
		if px < -4 || px >= 4 || py < -4 || py >= 4 {
			t.Fatalf("point (%v, %v) outside [-4, 4)²", px, py)
		}
		a, b := math.Floor(px/2), math.Floor(py/2)
		if int(a+b)%2 != 0 {
			t.Fatalf("point (%v, %v) on a light square", px, py)
		}
		counts[[2]int{int(a), int(b)}]++
		fracSum[0] += px/2 - a
		fracSum[1] += py/2 - b
	}
	if len(counts) != 8 {
		t.Errorf("points on %d squares, want 8", len(counts))
	}
	for sq, c := range counts {
		if !within(c, n/8, math.Sqrt(n*(1.0/8)*(7.0/8)), 5) {
			t.Errorf("square %v: %v points, want about %v", sq, c, n/8)
		}
	}
	// Uniform within squares: the position inside a square averages ½.
	se := 1 / math.Sqrt(12*n)
	for k, s := range fracSum {
		if !within(s/n, 0.5, se, 5) {
			t.Errorf("axis %d: mean position in square %v, want 0.5", k, s/n)
		}
	}
}

func TestCircles(t *testing.T) {
	const n = 40000
	x := make([]float64, 2*n)
	Circles{}.Sample(x, n, newRand(4))
	var nOuter, outerInFirstHalf float64
	var res [2][]float64
	for i := 0; i < n; i++ {
		r := math.Hypot(x[2*i], x[2*i+1])
		// Radius 2.25 lies 3.1 noise standard deviations from either
		// circle: about 0.1% of the points land on the wrong side.
		if r > 2.25 {
			nOuter++
			if i < n/2 {
				outerInFirstHalf++
			}
			res[0] = append(res[0], r-3)
		} else {
			res[1] = append(res[1], r-1.5)
		}
	}
	if math.Abs(nOuter-n/2) > 50 {
		t.Errorf("%v points on the outer circle, want %v", nOuter, n/2)
	}
	// Shuffled: the first half holds about as many outer points as inner.
	if !within(outerInFirstHalf, n/4, math.Sqrt(n/16.0), 5) {
		t.Errorf("%v outer points in the first half, want about %v (rows not shuffled?)", outerInFirstHalf, n/4)
	}
	for k, rs := range res {
		var m, v float64
		for _, r := range rs {
			m += r
		}
		m /= float64(len(rs))
		for _, r := range rs {
			v += (r - m) * (r - m)
		}
		sd := math.Sqrt(v / float64(len(rs)))
		// Radial residual: noise std 0.08·3; its mean is the small
		// curvature bias σ²/(2r).
		if math.Abs(sd-0.24) > 0.01 || math.Abs(m) > 0.03 {
			t.Errorf("circle %d: radial residual mean %v std %v, want about 0 and 0.24", k, m, sd)
		}
	}
}

func TestSCurveMoments(t *testing.T) {
	const n = 80000
	x := make([]float64, 2*n)
	SCurve{}.Sample(x, n, newRand(5))
	var mx, mz, vx, vz float64
	for i := 0; i < n; i++ {
		mx += x[2*i]
		mz += x[2*i+1]
		vx += x[2*i] * x[2*i]
		vz += x[2*i+1] * x[2*i+1]
	}
	mx, mz, vx, vz = mx/n, mz/n, vx/n, vz/n
	// t ~ U(−3π/2, 3π/2): E sin t = 0, E sin²t = ½, E z = 0 by symmetry,
	// E z² = E(cos t − 1)² = 3/2 + 4/(3π); noise adds 0.1² to each.
	wantVx := 0.5 + 0.01
	wantVz := 1.5 + 4/(3*math.Pi) + 0.01
	if !within(mx, 0, math.Sqrt(wantVx/n), 5) || !within(mz, 0, math.Sqrt(wantVz/n), 5) {
		t.Errorf("mean (%v, %v), want (0, 0)", mx, mz)
	}
	if math.Abs(vx-wantVx) > 0.02 || math.Abs(vz-wantVz) > 0.03 {
		t.Errorf("second moments (%v, %v), want (%v, %v)", vx, vz, wantVx, wantVz)
	}
}

func TestSamplersReproducibleAndAllocFree(t *testing.T) {
	const n = 257
	for _, name := range Names() {
		s, _ := Lookup(name)
		a, b := make([]float64, 2*n), make([]float64, 2*n)
		s.Sample(a, n, newRand(9))
		s.Sample(b, n, newRand(9))
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%s: same seed gave different draws at %d", name, i)
			}
		}
		rng := newRand(10)
		if allocs := testing.AllocsPerRun(10, func() { s.Sample(a, n, rng) }); allocs != 0 {
			t.Errorf("%s: Sample allocates %v times", name, allocs)
		}
	}
}

func TestLinspaceMatchesNumPy(t *testing.T) {
	// numpy.linspace(0, π, 5) and its exact endpoint.
	want := []float64{0, math.Pi / 4, math.Pi / 2, 3 * math.Pi / 4, math.Pi}
	for i, w := range want {
		if got := linspace(0, math.Pi, 5, i); math.Abs(got-w) > 1e-15 {
			t.Errorf("linspace(0, π, 5)[%d] = %v, want %v", i, got, w)
		}
	}
	if got := linspace(0, math.Pi, 1, 0); got != 0 {
		t.Errorf("linspace(0, π, 1)[0] = %v, want 0", got)
	}
}

func BenchmarkSample(b *testing.B) {
	const n = 256
	for _, name := range Names() {
		s, _ := Lookup(name)
		dst := make([]float64, 2*n)
		rng := newRand(1)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				s.Sample(dst, n, rng)
			}
		})
	}
}
