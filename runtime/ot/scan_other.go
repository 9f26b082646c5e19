//go:build !amd64 || purego

package ot

const useAVX2 = false

func twoSmallestKernel(row, v *float64, n int) (j1 int, w1, w2 float64) {
	panic("ot: AVX2 kernel called on a build without it")
}

func rangeAVX2(p *float64, n int, out *[12]float64) {
	panic("ot: AVX2 kernel called on a build without it")
}

func twoSmallestKernel32(row, v *float32, n int) (j1 int, w1, w2 float32) {
	panic("ot: AVX2 kernel called on a build without it")
}

func narrowAVX(dst *float32, src *float64, n int) {
	panic("ot: AVX2 kernel called on a build without it")
}

func narrowMinAVX(dst *float32, src, vmin *float64, n int) {
	panic("ot: AVX2 kernel called on a build without it")
}
