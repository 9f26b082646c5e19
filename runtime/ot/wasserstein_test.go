package ot

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// quantileCost is the exact p-Wasserstein cost W_p^p between uniform
// distributions on the real line, ∫₀¹ |F⁻¹(t) − G⁻¹(t)|^p dt, from the
// sorted samples: the independent truth for W1 and W2 in one dimension.
func quantileCost(x, y []float64, p float64) float64 {
	xs, ys := slices.Clone(x), slices.Clone(y)
	slices.Sort(xs)
	slices.Sort(ys)
	n, m := float64(len(xs)), float64(len(ys))
	var total, t float64
	i, j := 0, 0
	for i < len(xs) && j < len(ys) {
		// The quantile functions are constant on [t, next).
		next := min(float64(i+1)/n, float64(j+1)/m)
		total += (next - t) * math.Pow(math.Abs(xs[i]-ys[j]), p)
		t = next
		if float64(i+1)/n <= next {
			i++
		}
		if float64(j+1)/m <= next {
			j++
		}
	}
	return total
}

func TestWassersteinOneDimension(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {5, 5}, {64, 64}, {200, 200}, {7, 3}, {120, 75}, {50, 128}} {
		n, m := sz[0], sz[1]
		rng := newRand(uint64(7*n + m))
		x := gaussianCloud(rng, n, 1)
		y := gaussianCloud(rng, m, 1)
		for k := range y {
			y[k] = 0.5 + 2*y[k]*y[k] // skewed, not a shifted copy
		}
		w1, err := W1(x, n, y, m, 1)
		if err != nil {
			t.Fatal(err)
		}
		w2, err := W2(x, n, y, m, 1)
		if err != nil {
			t.Fatal(err)
		}
		want1 := quantileCost(x, y, 1)
		want2 := math.Sqrt(quantileCost(x, y, 2))
		if math.Abs(w1-want1) > 1e-12*want1 || math.Abs(w2-want2) > 1e-12*want2 {
			t.Fatalf("%d vs %d points: W1 = %v, W2 = %v; quantile formula %v, %v", n, m, w1, w2, want1, want2)
		}
	}
}

// gaussianW2 is the closed form W2 between N(m0, S0) and N(m1, S1):
// |m0 − m1|² + tr(S0 + S1 − 2 (S0^½ S1 S0^½)^½).
func gaussianW2(m0, m1 []float64, s0, s1 *mat.SymDense) float64 {
	var w float64
	for k := range m0 {
		w += (m0[k] - m1[k]) * (m0[k] - m1[k])
	}
	r0 := symSqrt(s0)
	var mid mat.Dense
	mid.Mul(r0, s1)
	mid.Mul(&mid, r0)
	n := len(m0)
	sym := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			sym.SetSym(i, j, (mid.At(i, j)+mid.At(j, i))/2)
		}
	}
	cross := symSqrt(sym)
	for k := range n {
		w += s0.At(k, k) + s1.At(k, k) - 2*cross.At(k, k)
	}
	return math.Sqrt(w)
}

func symSqrt(s *mat.SymDense) *mat.SymDense {
	var eig mat.EigenSym
	if !eig.Factorize(s, true) {
		panic("eigendecomposition failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	n := len(vals)
	out := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			var v float64
			for k := range n {
				v += vecs.At(i, k) * math.Sqrt(max(vals[k], 0)) * vecs.At(j, k)
			}
			out.SetSym(i, j, v)
		}
	}
	return out
}

// sampleGaussian draws n points of N(mean, L Lᵀ).
func sampleGaussian(seed uint64, n int, mean []float64, l *mat.Dense) []float64 {
	rng := newRand(seed)
	d := len(mean)
	x := make([]float64, n*d)
	z := make([]float64, d)
	for i := range n {
		for k := range z {
			z[k] = rng.NormFloat64()
		}
		for r := range d {
			v := mean[r]
			for c := range d {
				v += l.At(r, c) * z[c]
			}
			x[i*d+r] = v
		}
	}
	return x
}

// TestW2Gaussians checks that W2 between samples of two Gaussians with
// different means and covariances approaches the closed form as n grows.
// The empirical distance is biased upward by sampling noise, which in two
// dimensions shrinks slowly, so the tolerance is loose.
func TestW2Gaussians(t *testing.T) {
	m0, m1 := []float64{0, 0}, []float64{1.5, -0.5}
	l0 := mat.NewDense(2, 2, []float64{1, 0, 0.3, 0.8})
	l1 := mat.NewDense(2, 2, []float64{0.5, 0, -0.4, 1.2})
	var s0, s1 mat.SymDense
	s0.SymOuterK(1, l0)
	s1.SymOuterK(1, l1)
	want := gaussianW2(m0, m1, &s0, &s1)
	var errSmall float64
	for _, tc := range []struct {
		n   int
		tol float64
	}{{64, 0.5}, {2048, 0.08}} {
		var sum float64
		const draws = 2
		for k := range draws {
			x := sampleGaussian(uint64(10+k), tc.n, m0, l0)
			y := sampleGaussian(uint64(20+k), tc.n, m1, l1)
			w, err := W2(x, tc.n, y, tc.n, 2)
			if err != nil {
				t.Fatal(err)
			}
			sum += math.Abs(w - want)
		}
		e := sum / draws
		if e > tc.tol {
			t.Fatalf("n=%d: mean |W2 − closed form| = %v (closed form %v), want ≤ %v", tc.n, e, want, tc.tol)
		}
		if tc.n == 64 {
			errSmall = e
		} else if e >= errSmall {
			t.Fatalf("error did not shrink with n: %v at 64, %v at %d", errSmall, e, tc.n)
		}
	}
}

func TestWassersteinIdentityAndSymmetry(t *testing.T) {
	rng := newRand(21)
	x := gaussianCloud(rng, 100, 3)
	y := gaussianCloud(rng, 70, 3)
	for name, w := range map[string]func([]float64, int, []float64, int, int) (float64, error){"W1": W1, "W2": W2} {
		self, err := w(x, 100, x, 100, 3)
		if err != nil || self != 0 {
			t.Fatalf("%s(x, x) = %v, %v; want exactly 0", name, self, err)
		}
		xy, err1 := w(x, 100, y, 70, 3)
		yx, err2 := w(y, 70, x, 100, 3)
		if err1 != nil || err2 != nil || math.Abs(xy-yx) > 1e-12*xy {
			t.Fatalf("%s not symmetric: %v, %v (%v, %v)", name, xy, yx, err1, err2)
		}
	}
}

func TestSqDist(t *testing.T) {
	for _, tc := range []struct{ n, m, d int }{{3, 4, 1}, {17, 9, 2}, {30, 40, 5}, {700, 300, 2}, {300, 200, 3}} {
		rng := newRand(uint64(tc.n))
		x := gaussianCloud(rng, tc.n, tc.d)
		y := gaussianCloud(rng, tc.m, tc.d)
		want := sqDistNaive(x, tc.n, y, tc.m, tc.d)
		got := make([]float64, tc.n*tc.m)
		if err := SqDist(got, x, tc.n, y, tc.m, tc.d); err != nil {
			t.Fatal(err)
		}
		dist := make([]float64, tc.n*tc.m)
		if err := Dist(dist, x, tc.n, y, tc.m, tc.d); err != nil {
			t.Fatal(err)
		}
		for k := range want {
			if got[k] != want[k] || dist[k] != math.Sqrt(want[k]) {
				t.Fatalf("%+v: entry %d: SqDist %v, Dist %v, want %v", tc, k, got[k], dist[k], want[k])
			}
		}
	}
	// A point's distance to itself is exactly zero, even far from the origin.
	x := []float64{1e8 + 0.1, -3e7, 5, 5}
	self := make([]float64, 4)
	if err := SqDist(self, x, 2, x, 2, 2); err != nil || self[0] != 0 || self[3] != 0 {
		t.Fatalf("self distances %v, %v", self, err)
	}
}

func TestWassersteinBadInput(t *testing.T) {
	pts := []float64{0, 1, 2, 3}
	for _, tc := range []struct {
		name    string
		x       []float64
		n       int
		y       []float64
		m, d    int
		wantErr string
	}{
		{"n = 0", nil, 0, pts, 2, 2, "empty point sets"},
		{"d = 0", pts, 2, pts, 2, 0, "empty point sets"},
		{"short x", pts[:3], 2, pts, 2, 2, "x has 3 coordinates"},
		{"short y", pts, 2, pts[:1], 1, 2, "y has 1 coordinates"},
		{"NaN", []float64{0, math.NaN(), 1, 1}, 2, pts, 2, 2, "x point 0 has coordinate 1 = NaN"},
		{"Inf", pts, 2, []float64{0, 0, math.Inf(1), 0}, 2, 2, "y point 1 has coordinate 0 = +Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, w := range []func([]float64, int, []float64, int, int) (float64, error){W1, W2} {
				_, err := w(tc.x, tc.n, tc.y, tc.m, tc.d)
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
				}
			}
		})
	}
	if err := SqDist(make([]float64, 3), pts, 2, pts, 2, 2); err == nil || !strings.Contains(err.Error(), "dst has length 3") {
		t.Fatalf("SqDist with short dst: %v", err)
	}
}
