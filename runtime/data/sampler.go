package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Sampler draws points from a distribution.
//
// Dim is the dimension d of the points, or 0 for distributions defined in
// every dimension (the standard normal); for those the caller chooses d by
// the length of dst: Sample fills dst[:n*d] with d = len(dst)/n.
//
// Sample writes n points into dst[:n*d], row-major. It panics if dst is
// shorter than n*Dim(), as a copy out of range would: that is a bug in the
// caller, not bad input.
type Sampler interface {
	Dim() int
	Sample(dst []float64, n int, rng *rand.Rand)
}

// Built-in samplers. Their definitions are part of lagc's contract: results
// on them are compared with published ones, so they must not drift.
var builtins = map[string]Sampler{
	"gaussian":     Gaussian{},
	"normal":       Gaussian{},
	"8gaussians":   EightGaussians{},
	"moons":        Moons{},
	"checkerboard": Checkerboard{},
	"circles":      Circles{},
	"scurve":       SCurve{},
}

// Names returns the names of the built-in distributions, sorted.
func Names() []string {
	names := make([]string, 0, len(builtins))
	for name := range builtins {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Lookup returns the built-in sampler with the given name (case and
// surrounding space are ignored). An unknown name gives an error that lists
// the known ones and suggests the closest.
func Lookup(name string) (Sampler, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if s, ok := builtins[key]; ok {
		return s, nil
	}
	msg := fmt.Sprintf("unknown data set %q", name)
	if near := closest(key, Names()); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return nil, fmt.Errorf("%s; built-in sets are %s, or give a file as csv:PATH or npy:PATH", msg, strings.Join(Names(), ", "))
}

// closest returns the candidate nearest to s in edit distance, or "" when
// none is near enough to be a plausible typo.
func closest(s string, candidates []string) string {
	best, bestDist := "", math.MaxInt
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	// A third of the word wrong is still a typo; more is a different word.
	if bestDist > max(2, len(best)/3) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Gaussian is the standard normal N(0, I) in any dimension ("gaussian",
// "normal"). Its Dim is 0: Sample takes d from len(dst)/n.
type Gaussian struct{}

// Dim returns 0: the standard normal is defined in every dimension.
func (Gaussian) Dim() int { return 0 }

// Sample fills dst[:n*d] with independent standard normal numbers, where
// d = len(dst)/n.
func (Gaussian) Sample(dst []float64, n int, rng *rand.Rand) {
	if n <= 0 {
		return
	}
	d := len(dst) / n
	for i := range dst[:n*d] {
		dst[i] = rng.NormFloat64()
	}
}

// EightGaussians is the torchcfm "8gaussians" set: a mixture of eight
// equally weighted Gaussians centred at 5·(±1, 0), 5·(0, ±1) and
// 5·(±1/√2, ±1/√2), each with covariance √0.1·I. torchcfm passes
// sqrt(var) = √0.1 as the covariance, so the per-axis standard deviation is
// 0.1^(1/4) ≈ 0.5623, not √0.1. Each point picks its centre uniformly at
// random (torch.multinomial with replacement), so the counts per centre
// vary from draw to draw.
type EightGaussians struct{}

// EightGaussiansStd is the per-axis standard deviation of each component of
// EightGaussians, 0.1^(1/4).
var EightGaussiansStd = math.Pow(0.1, 0.25)

// eightCentres are the unit-circle centres in torchcfm's order.
var eightCentres = [8][2]float64{
	{1, 0}, {-1, 0}, {0, 1}, {0, -1},
	{1 / math.Sqrt2, 1 / math.Sqrt2}, {1 / math.Sqrt2, -1 / math.Sqrt2},
	{-1 / math.Sqrt2, 1 / math.Sqrt2}, {-1 / math.Sqrt2, -1 / math.Sqrt2},
}

// Dim returns 2.
func (EightGaussians) Dim() int { return 2 }

// Sample draws n points into dst[:2n].
func (EightGaussians) Sample(dst []float64, n int, rng *rand.Rand) {
	const scale = 5
	dst = dst[:2*n]
	for i := 0; i < n; i++ {
		c := eightCentres[rng.IntN(8)]
		dst[2*i] = scale*c[0] + EightGaussiansStd*rng.NormFloat64()
		dst[2*i+1] = scale*c[1] + EightGaussiansStd*rng.NormFloat64()
	}
}

// Moons is the torchcfm "moons" set: sample_moons(n) =
// 3·generate_moons(n, noise=0.2) − 1, with torchdyn's generate_moons, which
// is scikit-learn's make_moons with two differences: it does not shuffle,
// and its noise is one uniform number per point added to both coordinates
// rather than Gaussian noise per coordinate. Exactly:
//
//	n_out = n/2 (integer division), n_in = n − n_out
//	outer arc, rows 0..n_out−1:   (cos s, sin s),             s = linspace(0, π, n_out)
//	inner arc, rows n_out..n−1:   (1 − cos s, 1 − sin s − ½), s = linspace(0, π, n_in)
//	every point p += (u, u), u ~ U[0, 0.2) drawn per point
//	every point p ↦ 3p − 1
//
// So the arcs are deterministic given n, only the shift along (1, 1) is
// random, and the rows come in order: outer arc first, then inner arc, each
// by increasing s. lagc keeps that order, like torchcfm. Two consequences
// for callers: a prefix of a draw is not a sample of the distribution (take
// the whole draw, or shuffle it), and the distribution depends on n (n = 1
// always gives a point of the inner arc at s = 0).
type Moons struct{}

// MoonsNoise is the width of the uniform (1, 1)-shift in Moons, before the
// final scaling by 3.
const MoonsNoise = 0.2

// Dim returns 2.
func (Moons) Dim() int { return 2 }

// Sample draws n points into dst[:2n].
func (Moons) Sample(dst []float64, n int, rng *rand.Rand) {
	dst = dst[:2*n]
	nOut := n / 2
	nIn := n - nOut
	for i := 0; i < nOut; i++ {
		s := linspace(0, math.Pi, nOut, i)
		dst[2*i], dst[2*i+1] = math.Cos(s), math.Sin(s)
	}
	for i := 0; i < nIn; i++ {
		s := linspace(0, math.Pi, nIn, i)
		r := nOut + i
		dst[2*r], dst[2*r+1] = 1-math.Cos(s), 1-math.Sin(s)-0.5
	}
	for i := 0; i < n; i++ {
		u := MoonsNoise * rng.Float64()
		dst[2*i] = 3*(dst[2*i]+u) - 1
		dst[2*i+1] = 3*(dst[2*i+1]+u) - 1
	}
}

// linspace returns the i-th of num evenly spaced numbers from start to stop
// inclusive, computed as numpy.linspace does (start + i·step, the last one
// exactly stop), so the arcs agree with the Python sets to the last bit.
func linspace(start, stop float64, num, i int) float64 {
	if num == 1 {
		return start
	}
	if i == num-1 {
		return stop
	}
	step := (stop - start) / float64(num-1)
	return float64(i)*step + start
}

// Checkerboard is the FFJORD "checkerboard" set (rtqichen/ffjord,
// lib/toy_data.py): uniform on the eight dark squares of a 4×4 board of
// side-2 squares covering [−4, 4)². Exactly, per point:
//
//	x1 = 4·U − 2,  U ~ U[0, 1)
//	x2 = U' − 2·B + (⌊x1⌋ mod 2),  U' ~ U[0, 1), B ~ {0, 1} equally likely
//	point = 2·(x1, x2)
type Checkerboard struct{}

// Dim returns 2.
func (Checkerboard) Dim() int { return 2 }

// Sample draws n points into dst[:2n].
func (Checkerboard) Sample(dst []float64, n int, rng *rand.Rand) {
	dst = dst[:2*n]
	for i := 0; i < n; i++ {
		x1 := 4*rng.Float64() - 2
		x2 := rng.Float64() - 2*float64(rng.IntN(2))
		// Python's % is non-negative for a positive modulus; Go's is not.
		x2 += float64(((int(math.Floor(x1)) % 2) + 2) % 2)
		dst[2*i], dst[2*i+1] = 2*x1, 2*x2
	}
}

// Circles is the FFJORD "circles" set: 3·make_circles(n, factor=0.5,
// noise=0.08) with scikit-learn's make_circles. Exactly:
//
//	n_out = n/2 (integer division), n_in = n − n_out
//	outer circle: (cos s, sin s),         s = linspace(0, 2π, n_out, endpoint=False)
//	inner circle: 0.5·(cos s, sin s),     s = linspace(0, 2π, n_in, endpoint=False)
//	rows shuffled uniformly at random (make_circles shuffles by default)
//	every coordinate += 0.08·N(0, 1)
//	every point p ↦ 3p
//
// so the radii are 3 and 1.5 and the noise has standard deviation 0.24.
type Circles struct{}

// Dim returns 2.
func (Circles) Dim() int { return 2 }

// Sample draws n points into dst[:2n].
func (Circles) Sample(dst []float64, n int, rng *rand.Rand) {
	const factor, noise, scale = 0.5, 0.08, 3
	dst = dst[:2*n]
	nOut := n / 2
	nIn := n - nOut
	for i := 0; i < nOut; i++ {
		s := 2 * math.Pi / float64(nOut) * float64(i)
		dst[2*i], dst[2*i+1] = math.Cos(s), math.Sin(s)
	}
	for i := 0; i < nIn; i++ {
		s := 2 * math.Pi / float64(nIn) * float64(i)
		r := nOut + i
		dst[2*r], dst[2*r+1] = factor*math.Cos(s), factor*math.Sin(s)
	}
	rng.Shuffle(n, func(i, j int) {
		dst[2*i], dst[2*j] = dst[2*j], dst[2*i]
		dst[2*i+1], dst[2*j+1] = dst[2*j+1], dst[2*i+1]
	})
	for i := range dst {
		dst[i] = scale * (dst[i] + noise*rng.NormFloat64())
	}
}

// SCurve is the 2D S curve: scikit-learn's make_s_curve(n, noise=0.1)
// projected on its first and third coordinates, as the flow-matching and
// Schrödinger-bridge toy benchmarks do (torchcfm has no S curve of its own,
// and the scalings used after the projection vary between papers; lagc
// applies none). Exactly, per point:
//
//	t = 3π·(U − ½),  U ~ U[0, 1)
//	point = (sin t, sign(t)·(cos t − 1)) + 0.1·(N(0,1), N(0,1))
//
// so the curve spans [−1, 1] × [−2, 2] before noise.
type SCurve struct{}

// Dim returns 2.
func (SCurve) Dim() int { return 2 }

// SCurveNoise is the standard deviation of the Gaussian noise in SCurve.
const SCurveNoise = 0.1

// Sample draws n points into dst[:2n].
func (SCurve) Sample(dst []float64, n int, rng *rand.Rand) {
	dst = dst[:2*n]
	for i := 0; i < n; i++ {
		t := 3 * math.Pi * (rng.Float64() - 0.5)
		x, z := sCurveAt(t)
		dst[2*i] = x + SCurveNoise*rng.NormFloat64()
		dst[2*i+1] = z + SCurveNoise*rng.NormFloat64()
	}
}

// sCurveAt is the noiseless S curve at parameter t.
func sCurveAt(t float64) (x, z float64) {
	sign := 0.0
	switch {
	case t > 0:
		sign = 1
	case t < 0:
		sign = -1
	}
	return math.Sin(t), sign * (math.Cos(t) - 1)
}
