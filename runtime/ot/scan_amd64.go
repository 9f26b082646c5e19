//go:build !purego

package ot

// useAVX2 selects the vector scan of whole rows. golang.org/x/sys/cpu would
// need a newer go directive in go.mod, so the check is done here with CPUID
// and XGETBV, as in runtime/nn: the CPU must have AVX2 and the OS must save
// YMM state.
var useAVX2 = hasAVX2()

func hasAVX2() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const (
		osxsave = 1 << 27
		avx     = 1 << 28
	)
	if ecx1&(osxsave|avx) != osxsave|avx {
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
