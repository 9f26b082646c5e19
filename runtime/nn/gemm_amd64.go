//go:build !purego

package nn

// useAVX2 selects the assembly kernels. golang.org/x/sys/cpu would need a
// newer go directive in go.mod, so the check is done here with CPUID and
// XGETBV: the CPU must have AVX2 and FMA and the OS must save YMM state.
var useAVX2 = hasAVX2FMA()

func hasAVX2FMA() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const (
		fma     = 1 << 12
		osxsave = 1 << 27
		avx     = 1 << 28
	)
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// gemm4x8AVX2 computes a 4-row band of C, 8 columns at a time; n%8 == 0.
// Strides are in elements.
//
//go:noescape
func gemm4x8AVX2(n, k int, a *float64, sai, sak int, b *float64, ldb int, c *float64, ldc int, acc int)

// gemm1x8AVX2 computes one row of C, 8 columns at a time; n%8 == 0.
//
//go:noescape
func gemm1x8AVX2(n, k int, a *float64, sak int, b *float64, ldb int, c *float64, acc int)
