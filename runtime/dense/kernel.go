package dense

// unrolled is the order from which gonum's assembly kernels (floats.Dot,
// floats.AddScaled) beat a plain loop, call overhead included. Below it the
// factorisations use dot and axpy, plain loops the compiler inlines: a
// helper that chose between the two would be too large to inline itself.
const unrolled = 16

// dot returns Σ a[i]·b[i] over len(a) values, by a plain loop.
func dot(a, b []float64) float64 {
	var s float64
	b = b[:len(a)]
	for i, ai := range a {
		s += ai * b[i]
	}
	return s
}

// axpy adds alpha·x to dst, by a plain loop.
func axpy(dst []float64, alpha float64, x []float64) {
	x = x[:len(dst)]
	for i, xi := range x {
		dst[i] += alpha * xi
	}
}
