package ofm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/lagc-dev/lagc/runtime/dense"
	"gonum.org/v1/gonum/mat"
)

// GaussianMap is the optimal-transport map between N(m0, Σ0) and N(m1, Σ1)
// for the squared Euclidean cost, T(x) = m1 + A(x - m0) with
//
//	A = Σ0^{-1/2} (Σ0^{1/2} Σ1 Σ0^{1/2})^{1/2} Σ0^{-1/2},
//
// symmetric positive definite, the gradient of a convex quadratic.
type GaussianMap struct {
	d      int
	m0, m1 []float64
	a      []float64
}

// NewGaussianMap returns the OT map between N(m0, cov0) and N(m1, cov1);
// covariances are d×d row-major, symmetric positive definite.
func NewGaussianMap(m0, cov0, m1, cov1 []float64) (*GaussianMap, error) {
	d := len(m0)
	if d == 0 || len(m1) != d || len(cov0) != d*d || len(cov1) != d*d {
		return nil, fmt.Errorf("ofm: Gaussian map needs two means of the same length d and two d×d covariances, got %d, %d, %d, %d values", len(m0), len(m1), len(cov0), len(cov1))
	}
	s0, err := symPow(cov0, d, 0.5)
	if err != nil {
		return nil, fmt.Errorf("ofm: source covariance: %w", err)
	}
	s0inv, _ := symPow(cov0, d, -0.5)
	if _, err := symPow(cov1, d, 1); err != nil {
		return nil, fmt.Errorf("ofm: target covariance: %w", err)
	}
	var mid, mid2 mat.Dense
	c1 := mat.NewDense(d, d, append([]float64(nil), cov1...))
	mid.Mul(s0, c1)
	mid.Mul(&mid, s0)
	root, err := symPow(symmetrize(&mid, d), d, 0.5)
	if err != nil {
		return nil, err
	}
	mid2.Mul(s0inv, root)
	mid2.Mul(&mid2, s0inv)
	a := symmetrize(&mid2, d)
	return &GaussianMap{d: d, m0: append([]float64(nil), m0...), m1: append([]float64(nil), m1...), a: a}, nil
}

func symmetrize(m *mat.Dense, d int) []float64 {
	out := make([]float64, d*d)
	for i := range d {
		for j := range d {
			out[i*d+j] = (m.At(i, j) + m.At(j, i)) / 2
		}
	}
	return out
}

// symPow returns S^p for a symmetric positive-definite S by its
// eigen-decomposition.
func symPow(s []float64, d int, p float64) (*mat.Dense, error) {
	var eig mat.EigenSym
	if !eig.Factorize(mat.NewSymDense(d, append([]float64(nil), s...)), true) {
		return nil, fmt.Errorf("eigen-decomposition failed")
	}
	vals := eig.Values(nil)
	for _, v := range vals {
		if !(v > 0) {
			return nil, fmt.Errorf("matrix is not positive definite (eigenvalue %g)", v)
		}
	}
	var vec mat.Dense
	eig.VectorsTo(&vec)
	out := mat.NewDense(d, d, nil)
	for i := range d {
		for j := range d {
			var s float64
			for k := range d {
				s += vec.At(i, k) * math.Pow(vals[k], p) * vec.At(j, k)
			}
			out.Set(i, j, s)
		}
	}
	return out, nil
}

// Dim is the dimension d.
func (g *GaussianMap) Dim() int { return g.d }

// Matrix returns a copy of A (d×d, row-major).
func (g *GaussianMap) Matrix() []float64 { return append([]float64(nil), g.a...) }

// Apply writes T(x) for the n rows of x to dst.
func (g *GaussianMap) Apply(dst, x []float64, n int) {
	d := g.d
	for r := range n {
		xr, yr := x[r*d:(r+1)*d], dst[r*d:(r+1)*d]
		for i := range d {
			v := g.m1[i]
			for j := range d {
				v += g.a[i*d+j] * (xr[j] - g.m0[j])
			}
			yr[i] = v
		}
	}
}

// Gaussian is the distribution N(mean, cov), a data.Sampler.
type Gaussian struct {
	mean []float64
	chol []float64 // lower Cholesky factor of cov
}

// NewGaussian returns N(mean, cov) with cov d×d row-major, symmetric
// positive definite.
func NewGaussian(mean, cov []float64) (*Gaussian, error) {
	d := len(mean)
	if d == 0 || len(cov) != d*d {
		return nil, fmt.Errorf("ofm: a Gaussian of dimension %d needs a %d×%d covariance, got %d values", d, d, d, len(cov))
	}
	var ch dense.Cholesky
	if !ch.Factorize(cov, d, 0) {
		return nil, fmt.Errorf("ofm: the covariance is not positive definite")
	}
	c := make([]float64, d*d)
	ch.LowerTo(c)
	return &Gaussian{mean: append([]float64(nil), mean...), chol: c}, nil
}

// Dim is the dimension d.
func (g *Gaussian) Dim() int { return len(g.mean) }

// Sample writes n draws to dst[:n*d].
func (g *Gaussian) Sample(dst []float64, n int, rng *rand.Rand) {
	d := len(g.mean)
	var buf [64]float64
	var e []float64
	if d > len(buf) {
		e = make([]float64, d)
	} else {
		e = buf[:d]
	}
	for r := range n {
		for i := range e {
			e[i] = rng.NormFloat64()
		}
		row := dst[r*d : (r+1)*d]
		for i := range d {
			v := g.mean[i]
			for j := 0; j <= i; j++ {
				v += g.chol[i*d+j] * e[j]
			}
			row[i] = v
		}
	}
}

// RandomCovariance returns a random d×d covariance QΛQᵀ with Q a uniformly
// random rotation (QR of a Gaussian matrix) and eigenvalues Λ drawn
// log-uniformly from [lo, hi].
func RandomCovariance(d int, lo, hi float64, rng *rand.Rand) ([]float64, error) {
	if d < 1 || !(lo > 0) || !(hi >= lo) || math.IsInf(hi, 0) {
		return nil, fmt.Errorf("ofm: random covariance of dimension %d with eigenvalues in [%g, %g]: want d ≥ 1 and 0 < lo ≤ hi < ∞", d, lo, hi)
	}
	g := mat.NewDense(d, d, nil)
	for i := range d {
		for j := range d {
			g.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(g)
	var q mat.Dense
	qr.QTo(&q)
	cov := make([]float64, d*d)
	for k := range d {
		lam := lo * math.Pow(hi/lo, rng.Float64())
		for i := range d {
			for j := range d {
				cov[i*d+j] += lam * q.At(i, k) * q.At(j, k)
			}
		}
	}
	return cov, nil
}

// L2UVP is the unexplained-variance percentage of a learned map against the
// true one: 100·mean|T(x) - T*(x)|² / variance over n rows of mapped = T(x)
// and truth = T*(x), where variance is the target's total variance (the
// trace of its covariance).
func L2UVP(mapped, truth []float64, n, d int, variance float64) float64 {
	var s float64
	for i := range n * d {
		e := mapped[i] - truth[i]
		s += e * e
	}
	return 100 * s / float64(n) / variance
}
