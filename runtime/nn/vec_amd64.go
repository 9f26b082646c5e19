//go:build !purego

package nn

//go:noescape
func mulAVX2(dst, src *float64, n int)

//go:noescape
func colSumAVX2(dst, src *float64, rows, n, ldg int)

//go:noescape
func adamAVX2(p, grad, m, v *float64, n int, c *[8]float64)

//go:noescape
func addAVX2(dst, src *float64, n int)
