package icnn

import (
	"math/rand/v2"
	"testing"
)

func TestCodecRoundTrip(t *testing.T) {
	for _, s := range []*Settings{nil, {Hidden: []int{5, 7}, Rank: -1, Alpha: 0.3}, {Hidden: []int{4}, Rank: 2}} {
		n, err := New(3, s, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := n.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var m Network
		if err := m.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		x := []float64{0.3, -1.2, 0.7}
		gn, gm := make([]float64, 3), make([]float64, 3)
		vn, err1 := n.Grad(gn, n.NewWorkspace(), x)
		vm, err2 := m.Grad(gm, m.NewWorkspace(), x)
		if err1 != nil || err2 != nil || vn != vm || gn[0] != gm[0] || gn[2] != gm[2] {
			t.Errorf("%+v: decoded network differs: Ψ %v vs %v, ∇Ψ %v vs %v (%v %v)", s, vn, vm, gn, gm, err1, err2)
		}
		for _, cut := range []int{0, 5, len(b) / 2, len(b) - 1} {
			if err := new(Network).UnmarshalBinary(b[:cut]); err == nil {
				t.Errorf("truncated to %d bytes: no error", cut)
			}
		}
		flip := append([]byte(nil), b...)
		flip[len(flip)/2] ^= 1
		if err := new(Network).UnmarshalBinary(flip); err == nil {
			t.Error("bit flip: no error")
		}
	}
}
