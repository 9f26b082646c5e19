//go:build !amd64 || purego

package nn

const useAVX2 = false

func gemm4x8AVX2(n, k int, a *float64, sai, sak int, b *float64, ldb int, c *float64, ldc int, acc int) {
	panic("nn: AVX2 kernel called on a build without it")
}

func gemm1x8AVX2(n, k int, a *float64, sak int, b *float64, ldb int, c *float64, acc int) {
	panic("nn: AVX2 kernel called on a build without it")
}

func seluAVX2(z, d *float64, n int) { panic("nn: AVX2 kernel called on a build without it") }
func siluAVX2(z, d *float64, n int) { panic("nn: AVX2 kernel called on a build without it") }
func tanhAVX2(z, d *float64, n int) { panic("nn: AVX2 kernel called on a build without it") }
func reluAVX2(z, d *float64, n int) { panic("nn: AVX2 kernel called on a build without it") }

func mulAVX2(dst, src *float64, n int) { panic("nn: AVX2 kernel called on a build without it") }
func colSumAVX2(dst, src *float64, rows, n, ldg int) {
	panic("nn: AVX2 kernel called on a build without it")
}

func adamAVX2(p, grad, m, v *float64, n int, c *[8]float64) {
	panic("nn: AVX2 kernel called on a build without it")
}

func addAVX2(dst, src *float64, n int) { panic("nn: AVX2 kernel called on a build without it") }
