//go:build !purego

#include "textflag.h"

DATA lanes<>+0(SB)/8, $0
DATA lanes<>+8(SB)/8, $1
DATA lanes<>+16(SB)/8, $2
DATA lanes<>+24(SB)/8, $3
GLOBL lanes<>(SB), RODATA|NOPTR, $32

DATA fours<>+0(SB)/8, $4
DATA fours<>+8(SB)/8, $4
DATA fours<>+16(SB)/8, $4
DATA fours<>+24(SB)/8, $4
GLOBL fours<>(SB), RODATA|NOPTR, $32

DATA eights<>+0(SB)/8, $8
DATA eights<>+8(SB)/8, $8
DATA eights<>+16(SB)/8, $8
DATA eights<>+24(SB)/8, $8
GLOBL eights<>(SB), RODATA|NOPTR, $32

DATA infs<>+0(SB)/8, $0x7ff0000000000000
DATA infs<>+8(SB)/8, $0x7ff0000000000000
DATA infs<>+16(SB)/8, $0x7ff0000000000000
DATA infs<>+24(SB)/8, $0x7ff0000000000000
GLOBL infs<>(SB), RODATA|NOPTR, $32

DATA minusones<>+0(SB)/8, $-1
DATA minusones<>+8(SB)/8, $-1
DATA minusones<>+16(SB)/8, $-1
DATA minusones<>+24(SB)/8, $-1
GLOBL minusones<>(SB), RODATA|NOPTR, $32

DATA lanes32<>+0(SB)/4, $0
DATA lanes32<>+4(SB)/4, $1
DATA lanes32<>+8(SB)/4, $2
DATA lanes32<>+12(SB)/4, $3
DATA lanes32<>+16(SB)/4, $4
DATA lanes32<>+20(SB)/4, $5
DATA lanes32<>+24(SB)/4, $6
DATA lanes32<>+28(SB)/4, $7
GLOBL lanes32<>(SB), RODATA|NOPTR, $32

DATA eights32<>+0(SB)/8, $0x0000000800000008
DATA eights32<>+8(SB)/8, $0x0000000800000008
DATA eights32<>+16(SB)/8, $0x0000000800000008
DATA eights32<>+24(SB)/8, $0x0000000800000008
GLOBL eights32<>(SB), RODATA|NOPTR, $32

DATA sixteens32<>+0(SB)/8, $0x0000001000000010
DATA sixteens32<>+8(SB)/8, $0x0000001000000010
DATA sixteens32<>+16(SB)/8, $0x0000001000000010
DATA sixteens32<>+24(SB)/8, $0x0000001000000010
GLOBL sixteens32<>(SB), RODATA|NOPTR, $32

DATA infs32<>+0(SB)/8, $0x7f8000007f800000
DATA infs32<>+8(SB)/8, $0x7f8000007f800000
DATA infs32<>+16(SB)/8, $0x7f8000007f800000
DATA infs32<>+24(SB)/8, $0x7f8000007f800000
GLOBL infs32<>(SB), RODATA|NOPTR, $32

// func twoSmallestKernel32(row, v *float32, n int) (j1 int, w1, w2 float32)
// twoSmallestKernel on float32: sixteen lanes (j mod 16), in two sets of
// eight, merged 16 → 8 → 4 → 2 → 1. n is a multiple of 16 and at least 16.
TEXT ·twoSmallestKernel32(SB), NOSPLIT, $0-40
	MOVQ    row+0(FP), SI
	MOVQ    v+8(FP), DI
	MOVQ    n+16(FP), CX
	VMOVUPS infs32<>(SB), Y0    // least, lanes 0-7
	VMOVAPS Y0, Y3              // least, lanes 8-15
	VMOVAPS Y0, Y1              // second least, lanes 0-7
	VMOVAPS Y0, Y4              // second least, lanes 8-15
	VMOVUPS minusones<>(SB), Y2 // column of the least, lanes 0-7
	VMOVAPS Y2, Y5              // column of the least, lanes 8-15
	VMOVUPS lanes32<>(SB), Y6   // current columns, lanes 0-7
	VPADDD  eights32<>(SB), Y6, Y7
	VMOVUPS sixteens32<>(SB), Y15
	SHRQ    $4, CX

sloop:
	VMOVUPS   (SI), Y8
	VSUBPS    (DI), Y8, Y8
	VMOVUPS   32(SI), Y9
	VSUBPS    32(DI), Y9, Y9
	VMAXPS    Y0, Y8, Y10
	VMAXPS    Y3, Y9, Y11
	VMINPS    Y10, Y1, Y1
	VMINPS    Y11, Y4, Y4
	VCMPPS    $1, Y0, Y8, Y12   // x < least
	VCMPPS    $1, Y3, Y9, Y13
	VBLENDVPS Y12, Y6, Y2, Y2
	VBLENDVPS Y13, Y7, Y5, Y5
	VMINPS    Y8, Y0, Y0
	VMINPS    Y9, Y3, Y3
	VPADDD    Y15, Y6, Y6
	VPADDD    Y15, Y7, Y7
	ADDQ      $64, SI
	ADDQ      $64, DI
	DECQ      CX
	JNZ       sloop

	// Lane l+8 into lane l, as in twoSmallestKernel.
	VCMPPS    $1, Y0, Y3, Y12
	VCMPPS    $0, Y0, Y3, Y13
	VPCMPGTD  Y5, Y2, Y14
	VPAND     Y14, Y13, Y13
	VPOR      Y13, Y12, Y12
	VMAXPS    Y3, Y0, Y10
	VMINPS    Y4, Y1, Y1
	VMINPS    Y10, Y1, Y1
	VMINPS    Y3, Y0, Y0
	VBLENDVPS Y12, Y5, Y2, Y2

	// Lanes 4-7 into 0-3.
	VEXTRACTF128 $1, Y0, X3
	VEXTRACTF128 $1, Y1, X4
	VEXTRACTF128 $1, Y2, X5
	VCMPPS       $1, X0, X3, X12
	VCMPPS       $0, X0, X3, X13
	VPCMPGTD     X5, X2, X14
	VPAND        X14, X13, X13
	VPOR         X13, X12, X12
	VMAXPS       X3, X0, X10
	VMINPS       X4, X1, X1
	VMINPS       X10, X1, X1
	VMINPS       X3, X0, X0
	VBLENDVPS    X12, X5, X2, X2

	// Lanes 2, 3 into 0, 1.
	VPERMILPS $0x4E, X0, X3
	VPERMILPS $0x4E, X1, X4
	VPERMILPS $0x4E, X2, X5
	VCMPPS    $1, X0, X3, X12
	VCMPPS    $0, X0, X3, X13
	VPCMPGTD  X5, X2, X14
	VPAND     X14, X13, X13
	VPOR      X13, X12, X12
	VMAXPS    X3, X0, X10
	VMINPS    X4, X1, X1
	VMINPS    X10, X1, X1
	VMINPS    X3, X0, X0
	VBLENDVPS X12, X5, X2, X2

	// Lane 1 into 0.
	VPERMILPS $0xB1, X0, X3
	VPERMILPS $0xB1, X1, X4
	VPERMILPS $0xB1, X2, X5
	VCMPPS    $1, X0, X3, X12
	VCMPPS    $0, X0, X3, X13
	VPCMPGTD  X5, X2, X14
	VPAND     X14, X13, X13
	VPOR      X13, X12, X12
	VMAXPS    X3, X0, X10
	VMINPS    X4, X1, X1
	VMINPS    X10, X1, X1
	VMINPS    X3, X0, X0
	VBLENDVPS X12, X5, X2, X2

	VMOVD   X2, R8
	MOVLQSX R8, R8
	MOVQ    R8, j1+24(FP)
	VMOVSS  X0, w1+32(FP)
	VMOVSS  X1, w2+36(FP)
	VZEROUPPER
	RET

// func twoSmallestKernel(row, v *float64, n int) (j1 int, w1, w2 float64)
// Folds row[j] − v[j], j < n, into eight lanes (j mod 8) that each keep
// the least value, its first column and the second least value, then
// merges the lanes pairwise (8 → 4 → 2 → 1) and returns the least, its
// first column (-1 if no value is below +Inf) and the second least. n is a
// multiple of 8 and at least 8. Merging here rather than in Go spares a
// trip through memory and a loop of unpredictable branches per row.
TEXT ·twoSmallestKernel(SB), NOSPLIT, $0-48
	MOVQ    row+0(FP), SI
	MOVQ    v+8(FP), DI
	MOVQ    n+16(FP), CX
	VMOVUPD infs<>(SB), Y0      // least, lanes 0-3
	VMOVAPD Y0, Y3              // least, lanes 4-7
	VMOVAPD Y0, Y1              // second least, lanes 0-3
	VMOVAPD Y0, Y4              // second least, lanes 4-7
	VMOVUPD minusones<>(SB), Y2 // column of the least, lanes 0-3
	VMOVAPD Y2, Y5              // column of the least, lanes 4-7
	VMOVUPD lanes<>(SB), Y6     // current columns, lanes 0-3
	VPADDQ  fours<>(SB), Y6, Y7 // current columns, lanes 4-7
	VMOVUPD eights<>(SB), Y15
	SHRQ    $3, CX

kloop:
	VMOVUPD   (SI), Y8
	VSUBPD    (DI), Y8, Y8
	VMOVUPD   32(SI), Y9
	VSUBPD    32(DI), Y9, Y9
	VMAXPD    Y0, Y8, Y10
	VMAXPD    Y3, Y9, Y11
	VMINPD    Y10, Y1, Y1
	VMINPD    Y11, Y4, Y4
	VCMPPD    $1, Y0, Y8, Y12   // x < least
	VCMPPD    $1, Y3, Y9, Y13
	VBLENDVPD Y12, Y6, Y2, Y2
	VBLENDVPD Y13, Y7, Y5, Y5
	VMINPD    Y8, Y0, Y0
	VMINPD    Y9, Y3, Y3
	VPADDQ    Y15, Y6, Y6
	VPADDQ    Y15, Y7, Y7
	ADDQ      $64, SI
	ADDQ      $64, DI
	DECQ      CX
	JNZ       kloop

	// Merge lane l+4 (Y3, Y4, Y5) into lane l (Y0, Y1, Y2). Lane l+4
	// wins if its least is smaller, or equal with a lower column; a lane
	// that saw only +Inf has column -1 and least +Inf and never wins.
	VCMPPD    $1, Y0, Y3, Y12   // least(l+4) < least(l)
	VCMPPD    $0, Y0, Y3, Y13   // least(l+4) == least(l)
	VPCMPGTQ  Y5, Y2, Y14       // column(l) > column(l+4)
	VPAND     Y14, Y13, Y13
	VPOR      Y13, Y12, Y12     // lane l+4 wins
	VMAXPD    Y3, Y0, Y10       // the larger least is a second least candidate
	VMINPD    Y4, Y1, Y1
	VMINPD    Y10, Y1, Y1
	VMINPD    Y3, Y0, Y0
	VBLENDVPD Y12, Y5, Y2, Y2

	// The same merge of lanes 2, 3 into lanes 0, 1.
	VEXTRACTF128 $1, Y0, X3
	VEXTRACTF128 $1, Y1, X4
	VEXTRACTF128 $1, Y2, X5
	VCMPPD       $1, X0, X3, X12
	VCMPPD       $0, X0, X3, X13
	VPCMPGTQ     X5, X2, X14
	VPAND        X14, X13, X13
	VPOR         X13, X12, X12
	VMAXPD       X3, X0, X10
	VMINPD       X4, X1, X1
	VMINPD       X10, X1, X1
	VMINPD       X3, X0, X0
	VBLENDVPD    X12, X5, X2, X2

	// And of lane 1 into lane 0.
	VPERMILPD $1, X0, X3
	VPERMILPD $1, X1, X4
	VPERMILPD $1, X2, X5
	VCMPPD    $1, X0, X3, X12
	VCMPPD    $0, X0, X3, X13
	VPCMPGTQ  X5, X2, X14
	VPAND     X14, X13, X13
	VPOR      X13, X12, X12
	VMAXPD    X3, X0, X10
	VMINPD    X4, X1, X1
	VMINPD    X10, X1, X1
	VMINPD    X3, X0, X0
	VBLENDVPD X12, X5, X2, X2

	VMOVQ     X2, j1+24(FP)
	VMOVSD    X0, w1+32(FP)
	VMOVSD    X1, w2+40(FP)
	VZEROUPPER
	RET

// func rangeAVX2(p *float64, n int, out *[12]float64)
// Writes lane-wise least (out[0:4]) and greatest (out[4:8]) of p[0:n] and
// lane sums of p[j]·0 (out[8:12]: zero exactly when all are finite). n is
// a multiple of 8 and at least 8. Lanes hold no NaN-safe min or max: a NaN
// makes the probe NaN, and callers then discard the least and greatest.
TEXT ·rangeAVX2(SB), NOSPLIT, $0-24
	MOVQ    p+0(FP), SI
	MOVQ    n+8(FP), CX
	MOVQ    out+16(FP), DX
	VMOVUPD (SI), Y0        // least, set a
	VMOVUPD 32(SI), Y1      // least, set b
	VMOVAPD Y0, Y2          // greatest, set a
	VMOVAPD Y1, Y3          // greatest, set b
	VXORPD  Y4, Y4, Y4      // probe, set a
	VXORPD  Y5, Y5, Y5      // probe, set b
	VXORPD  Y6, Y6, Y6      // zero
	SHRQ    $3, CX

rangeloop:
	VMOVUPD (SI), Y8
	VMOVUPD 32(SI), Y9
	VMINPD  Y8, Y0, Y0
	VMINPD  Y9, Y1, Y1
	VMAXPD  Y8, Y2, Y2
	VMAXPD  Y9, Y3, Y3
	VMULPD  Y6, Y8, Y8
	VMULPD  Y6, Y9, Y9
	VADDPD  Y8, Y4, Y4
	VADDPD  Y9, Y5, Y5
	ADDQ    $64, SI
	DECQ    CX
	JNZ     rangeloop

	VMINPD  Y1, Y0, Y0
	VMAXPD  Y3, Y2, Y2
	VADDPD  Y5, Y4, Y4
	VMOVUPD Y0, 0(DX)
	VMOVUPD Y2, 32(DX)
	VMOVUPD Y4, 64(DX)
	VZEROUPPER
	RET

// func narrowAVX(dst *float32, src *float64, n int)
// Sets dst[j] = float32(src[j]), j < n, rounding to nearest. n is a
// multiple of 8 and at least 8.
TEXT ·narrowAVX(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX

narrowloop:
	VCVTPD2PSY (SI), X0
	VCVTPD2PSY 32(SI), X1
	VMOVUPS    X0, (DI)
	VMOVUPS    X1, 16(DI)
	ADDQ       $64, SI
	ADDQ       $32, DI
	DECQ       CX
	JNZ        narrowloop
	VZEROUPPER
	RET

// func narrowMinAVX(dst *float32, src, vmin *float64, n int)
// narrowAVX fused with vmin[j] = min(vmin[j], src[j]): one read of a cost
// row serves both the float32 copy and the column minima. n is a multiple
// of 8 and at least 8; no entry is NaN.
TEXT ·narrowMinAVX(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ vmin+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $3, CX

narrowminloop:
	VMOVUPD    (SI), Y0
	VMOVUPD    32(SI), Y1
	VCVTPD2PSY Y0, X2
	VCVTPD2PSY Y1, X3
	VMOVUPS    X2, (DI)
	VMOVUPS    X3, 16(DI)
	VMINPD     (DX), Y0, Y4
	VMINPD     32(DX), Y1, Y5
	VMOVUPD    Y4, (DX)
	VMOVUPD    Y5, 32(DX)
	ADDQ       $64, SI
	ADDQ       $32, DI
	ADDQ       $64, DX
	DECQ       CX
	JNZ        narrowminloop
	VZEROUPPER
	RET
