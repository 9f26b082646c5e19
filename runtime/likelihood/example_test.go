package likelihood_test

import (
	"fmt"
	"math"

	"github.com/lagc-dev/lagc/runtime/likelihood"
)

// shift is the constant field v(x, t) = m: its flow translates N(0, I) to
// N(m, I), and its divergence is zero.
type shift struct{ m []float64 }

func (s shift) Dim() int { return len(s.m) }
func (s shift) Eval(dst []float64, t float64, x []float64, n int) error {
	for i := range dst {
		dst[i] = s.m[i%len(s.m)]
	}
	return nil
}
func (s shift) JVP(dst, dir []float64) error { clear(dst); return nil }

func ExampleNLL() {
	f := shift{m: []float64{1, -2}}
	x := []float64{1, -2, 2, -2} // the mean, and one unit to its right
	nll := make([]float64, 2)
	res, err := likelihood.NLL(nll, f, x, 2, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("per point: %.4f %.4f (log 2π = %.4f)\n", nll[0], nll[1], math.Log(2*math.Pi))
	fmt.Printf("mean %.4f nats, %.4f bits/dim, exact divergence: %v\n", res.NLL, res.BPD, res.Exact)
	// Output:
	// per point: 1.8379 2.3379 (log 2π = 1.8379)
	// mean 2.0879 nats, 1.5061 bits/dim, exact divergence: true
}
