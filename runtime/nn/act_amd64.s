//go:build !purego

#include "textflag.h"

// EXP overwrites x (clamped to [-708, 708] by the caller) with exp(x),
// clobbering t1 and t2. It is expKernel, lane by lane, with the same
// operations in the same order: n = round(x·log2e) by the 1.5·2⁵² shift,
// r = x − n·ln2 in two parts, a degree-12 Taylor polynomial, then 2ⁿ built
// in the exponent bits.
#define EXP(x, t1, t2) \
	VMOVUPD     expShift<>(SB), t1    \
	VFMADD231PD expLog2e<>(SB), x, t1 \
	VSUBPD      expShift<>(SB), t1, t2 \
	VFMADD231PD expNegLn2Hi<>(SB), t2, x \
	VFMADD231PD expNegLn2Lo<>(SB), t2, x \
	VMOVUPD     expC12<>(SB), t2 \
	VFMADD213PD expC11<>(SB), x, t2 \
	VFMADD213PD expC10<>(SB), x, t2 \
	VFMADD213PD expC9<>(SB), x, t2 \
	VFMADD213PD expC8<>(SB), x, t2 \
	VFMADD213PD expC7<>(SB), x, t2 \
	VFMADD213PD expC6<>(SB), x, t2 \
	VFMADD213PD expC5<>(SB), x, t2 \
	VFMADD213PD expC4<>(SB), x, t2 \
	VFMADD213PD expC3<>(SB), x, t2 \
	VFMADD213PD expC2<>(SB), x, t2 \
	VFMADD213PD expC1<>(SB), x, t2 \
	VFMADD213PD expC0<>(SB), x, t2 \
	VPADDQ      expBias<>(SB), t1, t1 \
	VPSLLQ      $52, t1, t1 \
	VMULPD      t1, t2, x

// SELU4 computes selu of x into y and its derivative into d, given
// the zero vector in Y15 and -708 in Y14; e, t1, t2, m are scratch.
#define SELU4(x, y, d, e, t1, t2, m) \
	VMINPD      x, Y15, e \
	VMAXPD      e, Y14, e \
	EXP(e, t1, t2) \
	VCMPPD      $0x1e, Y15, x, m \
	VMULPD      seluScaleAlpha<>(SB), e, d \
	VMOVUPD     seluNegScaleAlpha<>(SB), y \
	VFMADD231PD seluScaleAlpha<>(SB), e, y \
	VMULPD      seluScale<>(SB), x, t1 \
	VBLENDVPD   m, t1, y, y \
	VBLENDVPD   m, seluScale<>(SB), d, d

// func seluAVX2(z, d *float64, n int)
// z ← selu(z), d ← selu'(z); n is a multiple of 4.
TEXT ·seluAVX2(SB), NOSPLIT, $0-24
	MOVQ z+0(FP), SI
	MOVQ d+8(FP), DI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ   seludone
	VXORPD  Y15, Y15, Y15
	VMOVUPD actLo<>(SB), Y14

seluloop:
	VMOVUPD (SI), Y0
	SELU4(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
	VMOVUPD Y1, (SI)
	VMOVUPD Y2, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     seluloop

seludone:
	VZEROUPPER
	RET

// func siluAVX2(z, d *float64, n int)
TEXT ·siluAVX2(SB), NOSPLIT, $0-24
	MOVQ z+0(FP), SI
	MOVQ d+8(FP), DI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ   siludone
	VXORPD  Y15, Y15, Y15
	VMOVUPD actLo<>(SB), Y14
	VMOVUPD actHi<>(SB), Y13

siluloop:
	VMOVUPD (SI), Y0
	VSUBPD  Y0, Y15, Y1 // -x
	VMAXPD  Y1, Y14, Y1
	VMINPD  Y1, Y13, Y1
	EXP(Y1, Y2, Y3)
	VADDPD      actOne<>(SB), Y1, Y1
	VMOVUPD     actOne<>(SB), Y4
	VDIVPD      Y1, Y4, Y4 // s = 1/(1+e)
	VCMPPD      $0x11, Y14, Y0, Y7 // x < -708: s underflows to 0
	VANDNPD     Y4, Y7, Y4
	VMULPD      Y4, Y0, Y5 // y = x·s
	VMOVUPD     actOne<>(SB), Y6
	VSUBPD      Y4, Y6, Y6 // 1-s
	VFMADD213PD actOne<>(SB), Y0, Y6 // x(1-s)+1
	VMULPD      Y6, Y4, Y6
	VMOVUPD     Y5, (SI)
	VMOVUPD     Y6, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JNZ         siluloop

siludone:
	VZEROUPPER
	RET

// func tanhAVX2(z, d *float64, n int)
TEXT ·tanhAVX2(SB), NOSPLIT, $0-24
	MOVQ z+0(FP), SI
	MOVQ d+8(FP), DI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ   tanhdone
	VMOVUPD actLo<>(SB), Y14
	VMOVUPD actHi<>(SB), Y13

tanhloop:
	VMOVUPD (SI), Y0
	VADDPD  Y0, Y0, Y1 // 2x
	VMAXPD  Y1, Y14, Y1
	VMINPD  Y1, Y13, Y1
	EXP(Y1, Y2, Y3)
	VADDPD       actOne<>(SB), Y1, Y1
	VMOVUPD      actTwo<>(SB), Y4
	VDIVPD       Y1, Y4, Y4 // 2/(e+1)
	VMOVUPD      actOne<>(SB), Y5
	VSUBPD       Y4, Y5, Y5 // t = 1 - 2/(e+1)
	VMOVUPD      actOne<>(SB), Y6
	VFNMADD231PD Y5, Y5, Y6 // 1 - t²
	VMOVUPD      Y5, (SI)
	VMOVUPD      Y6, (DI)
	ADDQ         $32, SI
	ADDQ         $32, DI
	DECQ         CX
	JNZ          tanhloop

tanhdone:
	VZEROUPPER
	RET

// func reluAVX2(z, d *float64, n int)
TEXT ·reluAVX2(SB), NOSPLIT, $0-24
	MOVQ z+0(FP), SI
	MOVQ d+8(FP), DI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ   reludone
	VXORPD  Y15, Y15, Y15
	VMOVUPD actOne<>(SB), Y14

reluloop:
	VMOVUPD (SI), Y0
	VCMPPD  $0x06, Y15, Y0, Y5 // x > 0 or NaN (not less-or-equal, unordered)
	VANDPD  Y5, Y0, Y1
	VANDPD  Y5, Y14, Y2
	VMOVUPD Y1, (SI)
	VMOVUPD Y2, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     reluloop

reludone:
	VZEROUPPER
	RET

DATA expShift<>+0(SB)/8, $0x4338000000000000
DATA expShift<>+8(SB)/8, $0x4338000000000000
DATA expShift<>+16(SB)/8, $0x4338000000000000
DATA expShift<>+24(SB)/8, $0x4338000000000000
GLOBL expShift<>(SB), RODATA|NOPTR, $32

DATA expLog2e<>+0(SB)/8, $0x3ff71547652b82fe
DATA expLog2e<>+8(SB)/8, $0x3ff71547652b82fe
DATA expLog2e<>+16(SB)/8, $0x3ff71547652b82fe
DATA expLog2e<>+24(SB)/8, $0x3ff71547652b82fe
GLOBL expLog2e<>(SB), RODATA|NOPTR, $32

DATA expNegLn2Hi<>+0(SB)/8, $0xbfe62e42fee00000
DATA expNegLn2Hi<>+8(SB)/8, $0xbfe62e42fee00000
DATA expNegLn2Hi<>+16(SB)/8, $0xbfe62e42fee00000
DATA expNegLn2Hi<>+24(SB)/8, $0xbfe62e42fee00000
GLOBL expNegLn2Hi<>(SB), RODATA|NOPTR, $32

DATA expNegLn2Lo<>+0(SB)/8, $0xbdea39ef35793c76
DATA expNegLn2Lo<>+8(SB)/8, $0xbdea39ef35793c76
DATA expNegLn2Lo<>+16(SB)/8, $0xbdea39ef35793c76
DATA expNegLn2Lo<>+24(SB)/8, $0xbdea39ef35793c76
GLOBL expNegLn2Lo<>(SB), RODATA|NOPTR, $32

DATA expC0<>+0(SB)/8, $0x3ff0000000000000
DATA expC0<>+8(SB)/8, $0x3ff0000000000000
DATA expC0<>+16(SB)/8, $0x3ff0000000000000
DATA expC0<>+24(SB)/8, $0x3ff0000000000000
GLOBL expC0<>(SB), RODATA|NOPTR, $32

DATA expC1<>+0(SB)/8, $0x3ff0000000000000
DATA expC1<>+8(SB)/8, $0x3ff0000000000000
DATA expC1<>+16(SB)/8, $0x3ff0000000000000
DATA expC1<>+24(SB)/8, $0x3ff0000000000000
GLOBL expC1<>(SB), RODATA|NOPTR, $32

DATA expC2<>+0(SB)/8, $0x3fe0000000000000
DATA expC2<>+8(SB)/8, $0x3fe0000000000000
DATA expC2<>+16(SB)/8, $0x3fe0000000000000
DATA expC2<>+24(SB)/8, $0x3fe0000000000000
GLOBL expC2<>(SB), RODATA|NOPTR, $32

DATA expC3<>+0(SB)/8, $0x3fc5555555555555
DATA expC3<>+8(SB)/8, $0x3fc5555555555555
DATA expC3<>+16(SB)/8, $0x3fc5555555555555
DATA expC3<>+24(SB)/8, $0x3fc5555555555555
GLOBL expC3<>(SB), RODATA|NOPTR, $32

DATA expC4<>+0(SB)/8, $0x3fa5555555555555
DATA expC4<>+8(SB)/8, $0x3fa5555555555555
DATA expC4<>+16(SB)/8, $0x3fa5555555555555
DATA expC4<>+24(SB)/8, $0x3fa5555555555555
GLOBL expC4<>(SB), RODATA|NOPTR, $32

DATA expC5<>+0(SB)/8, $0x3f81111111111111
DATA expC5<>+8(SB)/8, $0x3f81111111111111
DATA expC5<>+16(SB)/8, $0x3f81111111111111
DATA expC5<>+24(SB)/8, $0x3f81111111111111
GLOBL expC5<>(SB), RODATA|NOPTR, $32

DATA expC6<>+0(SB)/8, $0x3f56c16c16c16c17
DATA expC6<>+8(SB)/8, $0x3f56c16c16c16c17
DATA expC6<>+16(SB)/8, $0x3f56c16c16c16c17
DATA expC6<>+24(SB)/8, $0x3f56c16c16c16c17
GLOBL expC6<>(SB), RODATA|NOPTR, $32

DATA expC7<>+0(SB)/8, $0x3f2a01a01a01a01a
DATA expC7<>+8(SB)/8, $0x3f2a01a01a01a01a
DATA expC7<>+16(SB)/8, $0x3f2a01a01a01a01a
DATA expC7<>+24(SB)/8, $0x3f2a01a01a01a01a
GLOBL expC7<>(SB), RODATA|NOPTR, $32

DATA expC8<>+0(SB)/8, $0x3efa01a01a01a01a
DATA expC8<>+8(SB)/8, $0x3efa01a01a01a01a
DATA expC8<>+16(SB)/8, $0x3efa01a01a01a01a
DATA expC8<>+24(SB)/8, $0x3efa01a01a01a01a
GLOBL expC8<>(SB), RODATA|NOPTR, $32

DATA expC9<>+0(SB)/8, $0x3ec71de3a556c734
DATA expC9<>+8(SB)/8, $0x3ec71de3a556c734
DATA expC9<>+16(SB)/8, $0x3ec71de3a556c734
DATA expC9<>+24(SB)/8, $0x3ec71de3a556c734
GLOBL expC9<>(SB), RODATA|NOPTR, $32

DATA expC10<>+0(SB)/8, $0x3e927e4fb7789f5c
DATA expC10<>+8(SB)/8, $0x3e927e4fb7789f5c
DATA expC10<>+16(SB)/8, $0x3e927e4fb7789f5c
DATA expC10<>+24(SB)/8, $0x3e927e4fb7789f5c
GLOBL expC10<>(SB), RODATA|NOPTR, $32

DATA expC11<>+0(SB)/8, $0x3e5ae64567f544e4
DATA expC11<>+8(SB)/8, $0x3e5ae64567f544e4
DATA expC11<>+16(SB)/8, $0x3e5ae64567f544e4
DATA expC11<>+24(SB)/8, $0x3e5ae64567f544e4
GLOBL expC11<>(SB), RODATA|NOPTR, $32

DATA expC12<>+0(SB)/8, $0x3e21eed8eff8d898
DATA expC12<>+8(SB)/8, $0x3e21eed8eff8d898
DATA expC12<>+16(SB)/8, $0x3e21eed8eff8d898
DATA expC12<>+24(SB)/8, $0x3e21eed8eff8d898
GLOBL expC12<>(SB), RODATA|NOPTR, $32

DATA actOne<>+0(SB)/8, $0x3ff0000000000000
DATA actOne<>+8(SB)/8, $0x3ff0000000000000
DATA actOne<>+16(SB)/8, $0x3ff0000000000000
DATA actOne<>+24(SB)/8, $0x3ff0000000000000
GLOBL actOne<>(SB), RODATA|NOPTR, $32

DATA actTwo<>+0(SB)/8, $0x4000000000000000
DATA actTwo<>+8(SB)/8, $0x4000000000000000
DATA actTwo<>+16(SB)/8, $0x4000000000000000
DATA actTwo<>+24(SB)/8, $0x4000000000000000
GLOBL actTwo<>(SB), RODATA|NOPTR, $32

DATA actLo<>+0(SB)/8, $0xc086200000000000
DATA actLo<>+8(SB)/8, $0xc086200000000000
DATA actLo<>+16(SB)/8, $0xc086200000000000
DATA actLo<>+24(SB)/8, $0xc086200000000000
GLOBL actLo<>(SB), RODATA|NOPTR, $32

DATA actHi<>+0(SB)/8, $0x4086200000000000
DATA actHi<>+8(SB)/8, $0x4086200000000000
DATA actHi<>+16(SB)/8, $0x4086200000000000
DATA actHi<>+24(SB)/8, $0x4086200000000000
GLOBL actHi<>(SB), RODATA|NOPTR, $32

DATA seluScale<>+0(SB)/8, $0x3ff0cfabd6a91132
DATA seluScale<>+8(SB)/8, $0x3ff0cfabd6a91132
DATA seluScale<>+16(SB)/8, $0x3ff0cfabd6a91132
DATA seluScale<>+24(SB)/8, $0x3ff0cfabd6a91132
GLOBL seluScale<>(SB), RODATA|NOPTR, $32

DATA seluScaleAlpha<>+0(SB)/8, $0x3ffc212cc640f031
DATA seluScaleAlpha<>+8(SB)/8, $0x3ffc212cc640f031
DATA seluScaleAlpha<>+16(SB)/8, $0x3ffc212cc640f031
DATA seluScaleAlpha<>+24(SB)/8, $0x3ffc212cc640f031
GLOBL seluScaleAlpha<>(SB), RODATA|NOPTR, $32

DATA seluNegScaleAlpha<>+0(SB)/8, $0xbffc212cc640f031
DATA seluNegScaleAlpha<>+8(SB)/8, $0xbffc212cc640f031
DATA seluNegScaleAlpha<>+16(SB)/8, $0xbffc212cc640f031
DATA seluNegScaleAlpha<>+24(SB)/8, $0xbffc212cc640f031
GLOBL seluNegScaleAlpha<>(SB), RODATA|NOPTR, $32

DATA expBias<>+0(SB)/8, $0x00000000000003ff
DATA expBias<>+8(SB)/8, $0x00000000000003ff
DATA expBias<>+16(SB)/8, $0x00000000000003ff
DATA expBias<>+24(SB)/8, $0x00000000000003ff
GLOBL expBias<>(SB), RODATA|NOPTR, $32
