package metric

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func normals(n, d int, shift float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64()
		if i%d == 0 {
			x[i] += shift
		}
	}
	return x
}

// bruteMMD2 is the textbook definition: every ordered pair, the kernel
// written out, the diagonal included or excluded explicitly.
func bruteMMD2(x, y []float64, n, m, d int, h float64, biased bool) float64 {
	k := func(a, b []float64) float64 {
		var s float64
		for i := range a {
			s += (a[i] - b[i]) * (a[i] - b[i])
		}
		return math.Exp(-s / (2 * h * h))
	}
	row := func(z []float64, i int) []float64 { return z[i*d : (i+1)*d] }
	mean := func(z, w []float64, p, q int, same bool) float64 {
		var s, c float64
		for i := 0; i < p; i++ {
			for j := 0; j < q; j++ {
				if same && i == j && !biased {
					continue
				}
				s += k(row(z, i), row(w, j))
				c++
			}
		}
		return s / c
	}
	return mean(x, x, n, n, true) + mean(y, y, m, m, true) - 2*mean(x, y, n, m, false)
}

func TestMMD2BruteForce(t *testing.T) {
	for _, tc := range []struct {
		n, m, d int
		h       float64
	}{
		{2, 2, 1, 1}, {5, 9, 2, 0.7}, {30, 17, 3, 2.5}, {40, 40, 1, 0.1},
	} {
		x := normals(tc.n, tc.d, 0, 1)
		y := normals(tc.m, tc.d, 0.5, 2)
		for _, biased := range []bool{false, true} {
			got, err := MMD2(x, y, tc.n, tc.m, tc.d, &MMDSettings{Bandwidth: tc.h, Biased: biased})
			if err != nil {
				t.Fatal(err)
			}
			want := bruteMMD2(x, y, tc.n, tc.m, tc.d, tc.h, biased)
			if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("%+v biased=%v: MMD² = %v, brute force %v", tc, biased, got, want)
			}
			rev, _ := MMD2(y, x, tc.m, tc.n, tc.d, &MMDSettings{Bandwidth: tc.h, Biased: biased})
			if math.Abs(rev-got) > 1e-12 {
				t.Errorf("%+v biased=%v: not symmetric, %v vs %v", tc, biased, got, rev)
			}
		}
	}
}

// gaussMMD2 is the closed form for P = N(μ₁, I), Q = N(μ₂, I) in d
// dimensions: with c = (h²/(h²+2))^(d/2),
// MMD² = 2c·(1 − exp(−|μ₁−μ₂|²/(2(h²+2)))).
func gaussMMD2(shift, h float64, d int) float64 {
	c := math.Pow(h*h/(h*h+2), float64(d)/2)
	return 2 * c * (1 - math.Exp(-shift*shift/(2*(h*h+2))))
}

func TestMMD2Gaussians(t *testing.T) {
	const n, d, h = 1500, 2, 1.0
	x := normals(n, d, 0, 3)
	for _, shift := range []float64{0, 0.5, 1, 3} {
		y := normals(n, d, shift, 4)
		got, err := MMD2(x, y, n, n, d, &MMDSettings{Bandwidth: h})
		if err != nil {
			t.Fatal(err)
		}
		// The U-statistic's standard deviation is O(1/n) at shift 0 and
		// O(1/√n) otherwise; 0.01 is several of either here.
		if want := gaussMMD2(shift, h, d); math.Abs(got-want) > 0.01 {
			t.Errorf("shift %v: MMD² = %v, closed form %v", shift, got, want)
		}
	}
	// Biased is the unbiased estimate plus positive diagonal terms.
	y := normals(n, d, 0, 5)
	u, _ := MMD2(x, y, n, n, d, &MMDSettings{Bandwidth: h})
	b, _ := MMD2(x, y, n, n, d, &MMDSettings{Bandwidth: h, Biased: true})
	if !(b > u) || b < 0 {
		t.Errorf("biased %v, unbiased %v: want biased > unbiased and ≥ 0", b, u)
	}
}

func TestMedianBandwidth(t *testing.T) {
	// Small sets: the exact median over all pooled pairs.
	for _, tc := range []struct{ n, m, d int }{{3, 2, 1}, {10, 7, 2}, {50, 50, 3}} {
		x, y := normals(tc.n, tc.d, 0, 1), normals(tc.m, tc.d, 1, 2)
		pool := append(slices.Clone(x[:tc.n*tc.d]), y[:tc.m*tc.d]...)
		var dist []float64
		for i := 0; i < tc.n+tc.m; i++ {
			for j := i + 1; j < tc.n+tc.m; j++ {
				dist = append(dist, math.Sqrt(sqDist(pool[i*tc.d:(i+1)*tc.d], pool[j*tc.d:(j+1)*tc.d])))
			}
		}
		slices.Sort(dist)
		k := len(dist)
		want := dist[k/2]
		if k%2 == 0 {
			want = (dist[k/2-1] + dist[k/2]) / 2
		}
		if got := MedianBandwidth(x, y, tc.n, tc.m, tc.d); math.Abs(got-want) > 1e-12 {
			t.Errorf("%+v: median bandwidth %v, want %v", tc, got, want)
		}
	}
	// Large standard normal sets: the distance between two independent
	// N(0, I₂) points is Rayleigh with scale √2, median √2·√(2 ln 2).
	x, y := normals(3000, 2, 0, 3), normals(3000, 2, 0, 4)
	want := math.Sqrt(2) * math.Sqrt(2*math.Ln2)
	if got := MedianBandwidth(x, y, 3000, 3000, 2); math.Abs(got-want) > 0.03*want {
		t.Errorf("thinned median bandwidth %v, want about %v", got, want)
	}
	// Degenerate sets fall back instead of returning 0.
	same := []float64{1, 1, 1, 1}
	if got := MedianBandwidth(same, same, 2, 2, 2); got != 1 {
		t.Errorf("all points equal: bandwidth %v, want 1", got)
	}
	mostly := []float64{0, 0, 0, 4}
	if got := MedianBandwidth(mostly, mostly[:2], 4, 1, 1); got != 4.0*4/10 {
		t.Errorf("mostly equal points: bandwidth %v, want the mean distance 1.6", got)
	}
}

func TestMMD2Errors(t *testing.T) {
	x := []float64{0, 1, 2, 3}
	for _, tc := range []struct {
		name string
		x, y []float64
		n, m int
		s    *MMDSettings
		want string
	}{
		{"empty", x, x, 0, 2, nil, "need at least one point"},
		{"short", x, x[:3], 2, 2, nil, "y has 3 values"},
		{"one point unbiased", x, x, 1, 2, nil, "at least 2 points"},
		{"negative bandwidth", x, x, 2, 2, &MMDSettings{Bandwidth: -1}, "bandwidth -1"},
		{"nan bandwidth", x, x, 2, 2, &MMDSettings{Bandwidth: math.NaN()}, "bandwidth NaN"},
		{"nan point", []float64{0, math.NaN(), 2, 3}, x, 2, 2, nil, "x point 0 coordinate 1 is NaN"},
	} {
		_, err := MMD2(tc.x, tc.y, tc.n, tc.m, 2, tc.s)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if v, err := MMD2(x, x, 1, 1, 2, &MMDSettings{Biased: true}); err != nil || v != 0 {
		t.Errorf("biased MMD² of a point with itself = %v, %v; want 0", v, err)
	}
}

func BenchmarkMMD2(b *testing.B) {
	for _, n := range []int{256, 2048} {
		x, y := normals(n, 2, 0, 1), normals(n, 2, 0.3, 2)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				MMD2(x, y, n, n, 2, nil)
			}
		})
	}
}

func BenchmarkMedianBandwidth(b *testing.B) {
	x, y := normals(2048, 2, 0, 1), normals(2048, 2, 0.3, 2)
	for b.Loop() {
		MedianBandwidth(x, y, 2048, 2048, 2)
	}
}
