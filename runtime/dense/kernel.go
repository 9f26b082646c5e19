package dense

import "gonum.org/v1/gonum/floats"

// unrolled is the length below which a plain loop beats the call into
// gonum's assembly kernels.
const unrolled = 16

// dot returns Σ a[i]·b[i] over len(a) values.
func dot(a, b []float64) float64 {
	if len(a) >= unrolled {
		return floats.Dot(a, b[:len(a)])
	}
	var s float64
	b = b[:len(a)]
	for i, ai := range a {
		s += ai * b[i]
	}
	return s
}

// axpy adds alpha·x to dst.
func axpy(dst []float64, alpha float64, x []float64) {
	if len(dst) >= unrolled {
		floats.AddScaled(dst, alpha, x[:len(dst)])
		return
	}
	x = x[:len(dst)]
	for i, xi := range x {
		dst[i] += alpha * xi
	}
}
