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

// func minPairsAVX2(row, v *float64, n int, p *minPairs)
// For each of 8 lanes (j mod 8) of row[j] − v[j], j < n, keeps the least
// value, its first index and the second least value, starting from the
// values in p. n is a multiple of 8.
TEXT ·minPairsAVX2(SB), NOSPLIT, $0-32
	MOVQ row+0(FP), SI
	MOVQ v+8(FP), DI
	MOVQ n+16(FP), CX
	MOVQ p+24(FP), DX
	VMOVUPD 0(DX), Y0   // m1 lanes 0-3
	VMOVUPD 32(DX), Y3  // m1 lanes 4-7
	VMOVUPD 64(DX), Y1  // m2 lanes 0-3
	VMOVUPD 96(DX), Y4  // m2 lanes 4-7
	VMOVUPD 128(DX), Y2 // idx lanes 0-3
	VMOVUPD 160(DX), Y5 // idx lanes 4-7
	VMOVUPD lanes<>(SB), Y6
	VPADDQ  fours<>(SB), Y6, Y7
	VMOVUPD eights<>(SB), Y15
	SHRQ $3, CX
	JZ   done

loop:
	VMOVUPD (SI), Y8
	VSUBPD  (DI), Y8, Y8
	VMOVUPD 32(SI), Y9
	VSUBPD  32(DI), Y9, Y9
	VMAXPD  Y0, Y8, Y10
	VMAXPD  Y3, Y9, Y11
	VMINPD  Y10, Y1, Y1
	VMINPD  Y11, Y4, Y4
	VCMPPD  $1, Y0, Y8, Y12
	VCMPPD  $1, Y3, Y9, Y13
	VBLENDVPD Y12, Y6, Y2, Y2
	VBLENDVPD Y13, Y7, Y5, Y5
	VMINPD  Y8, Y0, Y0
	VMINPD  Y9, Y3, Y3
	VPADDQ  Y15, Y6, Y6
	VPADDQ  Y15, Y7, Y7
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     loop

done:
	VMOVUPD Y0, 0(DX)
	VMOVUPD Y3, 32(DX)
	VMOVUPD Y1, 64(DX)
	VMOVUPD Y4, 96(DX)
	VMOVUPD Y2, 128(DX)
	VMOVUPD Y5, 160(DX)
	VZEROUPPER
	RET

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET
