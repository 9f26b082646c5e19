//go:build !purego

package ot

import "golang.org/x/sys/cpu"

// useAVX2 selects the vector scan of whole rows: the CPU must have AVX2
// and the OS must save YMM state, which golang.org/x/sys/cpu checks.
var useAVX2 = cpu.X86.HasAVX2

// twoSmallestKernel returns the first column and value of the least
// row[j] − v[j], j < n (a multiple of 8, at least 8), and the second least,
// as twoSmallestGo does on those columns.
//
//go:noescape
func twoSmallestKernel(row, v *float64, n int) (j1 int, w1, w2 float64)

// twoSmallestKernel32 is twoSmallestKernel on float32, for n a multiple
// of 16, at least 16.
//
//go:noescape
func twoSmallestKernel32(row, v *float32, n int) (j1 int, w1, w2 float32)

// rangeAVX2 writes the lane-wise least, greatest and finiteness probe of
// p[0:n] (n a multiple of 8, at least 8) into out, as rowRange uses them.
//
//go:noescape
func rangeAVX2(p *float64, n int, out *[12]float64)

// narrowAVX sets dst[j] = float32(src[j]) for j < n (a multiple of 8, at
// least 8).
//
//go:noescape
func narrowAVX(dst *float32, src *float64, n int)

// narrowMinAVX is narrowAVX that also lowers vmin[j] to src[j] (n a
// multiple of 8, at least 8; no NaN).
//
//go:noescape
func narrowMinAVX(dst *float32, src, vmin *float64, n int)
