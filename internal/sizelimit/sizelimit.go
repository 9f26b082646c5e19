package sizelimit

import (
	"fmt"
	"math"
)

// Budget bounds any single buffer sized by the user: 4 GiB.
const Budget int64 = 4 << 30

// MaxExactOT is the largest point count of an exact optimal transport
// problem (3.75 GiB: see ExactOTBytes).
const MaxExactOT = 16384

// Error reports a size above its limit.
type Error struct {
	What        string // what the size counts, such as "evaluation samples"
	N, Max      int    // the size asked for and the largest allowed
	Bytes       int64  // the memory N would need (math.MaxInt64 when it overflows)
	Alternative string // what to do instead
}

func (e *Error) Error() string {
	return fmt.Sprintf("%d %s would need %s of memory; the limit is %d: %s", e.N, e.What, Human(e.Bytes), e.Max, e.Alternative)
}

// Human formats a byte count: "80 GB", "512 MB".
func Human(b int64) string {
	switch {
	case b == math.MaxInt64:
		return "more than 9 EB"
	case b >= 1e9:
		return fmt.Sprintf("%.3g GB", float64(b)/1e9)
	case b >= 1e6:
		return fmt.Sprintf("%.3g MB", float64(b)/1e6)
	case b >= 1e3:
		return fmt.Sprintf("%.3g kB", float64(b)/1e3)
	}
	return fmt.Sprintf("%d B", b)
}

// mul returns a·b·c (all ≥ 0), or math.MaxInt64 on overflow.
func mul(fs ...int64) int64 {
	p := int64(1)
	for _, f := range fs {
		if f < 0 {
			return math.MaxInt64
		}
		if f != 0 && p > math.MaxInt64/f {
			return math.MaxInt64
		}
		p *= f
	}
	return p
}

// ExactOTBytes is the memory of one exact transport problem between n and
// m points: 15 bytes a pair: the float64 cost matrix (8), runtime/ot's float32
// copy for the auction's bids (4) and the same two for the half-size problem
// that warm-starts it (12/4).
func ExactOTBytes(n, m int) int64 { return mul(15, int64(n), int64(m)) }

// ExactOT refuses exact optimal transport between n and m points above
// MaxExactOT; what names the points and alternative says what to do.
func ExactOT(what string, n, m int, alternative string) error {
	if n <= MaxExactOT && m <= MaxExactOT {
		return nil
	}
	return &Error{What: what, N: max(n, m), Max: MaxExactOT, Bytes: ExactOTBytes(n, m), Alternative: alternative}
}

// Floats refuses a buffer of count float64 values (count = the product of
// dims) above Budget. n is the user's size reported in the error and max
// the largest n that fits when the other factors stay as they are.
func Floats(what string, n int, dims []int, alternative string) error {
	fs := []int64{8}
	other := int64(8)
	for _, d := range dims {
		fs = append(fs, int64(d))
	}
	b := mul(fs...)
	if b <= Budget {
		return nil
	}
	if n > 0 {
		other = b / int64(n) // bytes per unit of n (b is at least n·8)
		if b == math.MaxInt64 {
			other = mul(append([]int64{8}, dimsWithout(dims, n)...)...)
		}
	}
	m := 0
	if other > 0 {
		m = int(Budget / other)
	}
	return &Error{What: what, N: n, Max: m, Bytes: b, Alternative: alternative}
}

// dimsWithout returns dims with one occurrence of n removed.
func dimsWithout(dims []int, n int) []int64 {
	var out []int64
	removed := false
	for _, d := range dims {
		if !removed && d == n {
			removed = true
			continue
		}
		out = append(out, int64(d))
	}
	return out
}
