//go:build !amd64 || purego

package ot

const useAVX2 = false

func minPairsAVX2(row, v *float64, n int, p *minPairs) {
	panic("ot: AVX2 kernel called on a build without it")
}

func rangeAVX2(p *float64, n int, out *[12]float64) {
	panic("ot: AVX2 kernel called on a build without it")
}
