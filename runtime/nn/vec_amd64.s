//go:build !purego

#include "textflag.h"

// func mulAVX2(dst, src *float64, n int)
// dst[i] *= src[i]; n is a multiple of 4.
TEXT ·mulAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ   muldone

mulloop:
	VMOVUPD (DI), Y0
	VMULPD  (SI), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     mulloop

muldone:
	VZEROUPPER
	RET

// func colSumAVX2(dst, src *float64, rows, n, ldg int)
// dst[j] = Σ_r src[r*ldg+j] summed from zero in row order; n is a multiple of 4.
TEXT ·colSumAVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+24(FP), AX
	MOVQ ldg+32(FP), R9
	SHLQ $3, R9

block16:
	CMPQ   AX, $16
	JLT    block4
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	MOVQ   SI, DX
	MOVQ   rows+16(FP), CX
	TESTQ  CX, CX
	JZ     store16

rows16:
	VADDPD (DX), Y0, Y0
	VADDPD 32(DX), Y1, Y1
	VADDPD 64(DX), Y2, Y2
	VADDPD 96(DX), Y3, Y3
	ADDQ   R9, DX
	DECQ   CX
	JNZ    rows16

store16:
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ    $128, DI
	ADDQ    $128, SI
	SUBQ    $16, AX
	JMP     block16

block4:
	TESTQ  AX, AX
	JZ     colsumdone
	VXORPD Y0, Y0, Y0
	MOVQ   SI, DX
	MOVQ   rows+16(FP), CX
	TESTQ  CX, CX
	JZ     store4

rows4:
	VADDPD (DX), Y0, Y0
	ADDQ   R9, DX
	DECQ   CX
	JNZ    rows4

store4:
	VMOVUPD Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	SUBQ    $4, AX
	JMP     block4

colsumdone:
	VZEROUPPER
	RET

// func adamAVX2(p, grad, m, v *float64, n int, c *[8]float64)
// One Adam step on n (a multiple of 4) parameters, lane by lane the same
// operations as adamScalar. c holds l2, decay, 1-β1, β2, 1-β2, √bc2, eps and
// -stepSize.
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), DX
	MOVQ v+24(FP), BX
	MOVQ n+32(FP), CX
	MOVQ c+40(FP), AX
	SHRQ $2, CX
	JZ   adamdone
	MOVQ (AX), R8 // l2 bits: zero means no L2 term
	VBROADCASTSD (AX), Y8
	VBROADCASTSD 8(AX), Y9
	VBROADCASTSD 16(AX), Y10
	VBROADCASTSD 24(AX), Y11
	VBROADCASTSD 32(AX), Y12
	VBROADCASTSD 40(AX), Y13
	VBROADCASTSD 48(AX), Y14
	VBROADCASTSD 56(AX), Y15

adamloop:
	VMOVUPD (DI), Y0
	VMOVUPD (SI), Y1
	VMOVUPD (DX), Y2
	VMOVUPD (BX), Y3
	TESTQ   R8, R8
	JZ      adamnol2
	VMULPD  Y0, Y8, Y4
	VADDPD  Y4, Y1, Y1 // g += l2·p

adamnol2:
	VMULPD  Y9, Y0, Y0 // p *= decay
	VSUBPD  Y2, Y1, Y4
	VMULPD  Y4, Y10, Y4
	VADDPD  Y4, Y2, Y2 // m += (1-β1)(g-m)
	VMULPD  Y3, Y11, Y3
	VMULPD  Y1, Y12, Y5
	VMULPD  Y1, Y5, Y5
	VADDPD  Y5, Y3, Y3 // v = β2·v + ((1-β2)g)g
	VSQRTPD Y3, Y6
	VDIVPD  Y13, Y6, Y6
	VADDPD  Y14, Y6, Y6 // denom = √v/√bc2 + eps
	VDIVPD  Y6, Y2, Y7
	VMULPD  Y7, Y15, Y7
	VADDPD  Y7, Y0, Y0 // p += -stepSize·(m/denom)
	VMOVUPD Y0, (DI)
	VMOVUPD Y2, (DX)
	VMOVUPD Y3, (BX)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, BX
	DECQ    CX
	JNZ     adamloop

adamdone:
	VZEROUPPER
	RET

// func addAVX2(dst, src *float64, n int)
// dst[i] += src[i]; n is a multiple of 4.
TEXT ·addAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ   adddone

addloop:
	VMOVUPD (DI), Y0
	VADDPD  (SI), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     addloop

adddone:
	VZEROUPPER
	RET
