//go:build !purego

package nn

import "golang.org/x/sys/cpu"

// useAVX2 selects the assembly kernels: the CPU must have AVX2 and FMA and
// the OS must save YMM state, which golang.org/x/sys/cpu checks.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// gemm4x8AVX2 computes a 4-row band of C, 8 columns at a time; n%8 == 0.
// Strides are in elements.
//
//go:noescape
func gemm4x8AVX2(n, k int, a *float64, sai, sak int, b *float64, ldb int, c *float64, ldc int, acc int)

// gemm1x8AVX2 computes one row of C, 8 columns at a time; n%8 == 0.
//
//go:noescape
func gemm1x8AVX2(n, k int, a *float64, sak int, b *float64, ldb int, c *float64, acc int)
