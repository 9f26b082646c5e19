//go:build !purego

#include "textflag.h"

// func gemm4x8AVX2(n, k int, a *float64, sai, sak int, b *float64, ldb int, c *float64, ldc int, acc int)
//
// For each 8-column block j of a 4-row band, eight YMM accumulators hold
// C[0:4, j:j+8]; each step p broadcasts A[r,p] and fuses it with the two
// halves of B[p, j:j+8]. Accumulators start at zero and C's old value is
// added at the end, matching gemmGeneric element for element.
TEXT ·gemm4x8AVX2(SB), NOSPLIT, $0-80
	MOVQ n+0(FP), AX
	SHRQ $3, AX
	MOVQ a+16(FP), R10
	MOVQ sai+24(FP), R11
	SHLQ $3, R11
	MOVQ sak+32(FP), R12
	SHLQ $3, R12
	MOVQ b+40(FP), BX
	MOVQ ldb+48(FP), R13
	SHLQ $3, R13
	MOVQ c+56(FP), CX
	MOVQ ldc+64(FP), R14
	SHLQ $3, R14

colblock:
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	MOVQ k+8(FP), R8
	TESTQ R8, R8
	JZ store4
	MOVQ R10, SI
	LEAQ (R10)(R11*2), R9
	MOVQ BX, DI

kloop4:
	VMOVUPD (DI), Y12
	VMOVUPD 32(DI), Y13
	VBROADCASTSD (SI), Y14
	VFMADD231PD Y12, Y14, Y0
	VFMADD231PD Y13, Y14, Y1
	VBROADCASTSD (SI)(R11*1), Y15
	VFMADD231PD Y12, Y15, Y2
	VFMADD231PD Y13, Y15, Y3
	VBROADCASTSD (R9), Y14
	VFMADD231PD Y12, Y14, Y4
	VFMADD231PD Y13, Y14, Y5
	VBROADCASTSD (R9)(R11*1), Y15
	VFMADD231PD Y12, Y15, Y6
	VFMADD231PD Y13, Y15, Y7
	ADDQ R12, SI
	ADDQ R12, R9
	ADDQ R13, DI
	DECQ R8
	JNZ kloop4

store4:
	LEAQ (CX)(R14*2), DX
	CMPQ acc+72(FP), $0
	JEQ nosum4
	VADDPD (CX), Y0, Y0
	VADDPD 32(CX), Y1, Y1
	VADDPD (CX)(R14*1), Y2, Y2
	VADDPD 32(CX)(R14*1), Y3, Y3
	VADDPD (DX), Y4, Y4
	VADDPD 32(DX), Y5, Y5
	VADDPD (DX)(R14*1), Y6, Y6
	VADDPD 32(DX)(R14*1), Y7, Y7

nosum4:
	VMOVUPD Y0, (CX)
	VMOVUPD Y1, 32(CX)
	VMOVUPD Y2, (CX)(R14*1)
	VMOVUPD Y3, 32(CX)(R14*1)
	VMOVUPD Y4, (DX)
	VMOVUPD Y5, 32(DX)
	VMOVUPD Y6, (DX)(R14*1)
	VMOVUPD Y7, 32(DX)(R14*1)
	ADDQ $64, BX
	ADDQ $64, CX
	DECQ AX
	JNZ colblock
	VZEROUPPER
	RET

// func gemm1x8AVX2(n, k int, a *float64, sak int, b *float64, ldb int, c *float64, acc int)
TEXT ·gemm1x8AVX2(SB), NOSPLIT, $0-64
	MOVQ n+0(FP), AX
	SHRQ $3, AX
	MOVQ a+16(FP), R10
	MOVQ sak+24(FP), R12
	SHLQ $3, R12
	MOVQ b+32(FP), BX
	MOVQ ldb+40(FP), R13
	SHLQ $3, R13
	MOVQ c+48(FP), CX

colblock1:
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	MOVQ k+8(FP), R8
	TESTQ R8, R8
	JZ store1
	MOVQ R10, SI
	MOVQ BX, DI

kloop1:
	VBROADCASTSD (SI), Y14
	VFMADD231PD (DI), Y14, Y0
	VFMADD231PD 32(DI), Y14, Y1
	ADDQ R12, SI
	ADDQ R13, DI
	DECQ R8
	JNZ kloop1

store1:
	CMPQ acc+56(FP), $0
	JEQ nosum1
	VADDPD (CX), Y0, Y0
	VADDPD 32(CX), Y1, Y1

nosum1:
	VMOVUPD Y0, (CX)
	VMOVUPD Y1, 32(CX)
	ADDQ $64, BX
	ADDQ $64, CX
	DECQ AX
	JNZ colblock1
	VZEROUPPER
	RET

