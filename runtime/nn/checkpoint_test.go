package nn_test

import (
	"encoding"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/nn"
)

// trainSteps runs steps of MSE training on fixed random data.
func trainSteps(t *testing.T, net *nn.MLP, opt *nn.Adam, ema *nn.EMA, steps int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 5))
	in, target := randSlice(rng, 16*net.In()), randSlice(rng, 16*net.Out())
	ws, _ := net.NewWorkspace(16, nil)
	grad := make([]float64, net.NumParams())
	for range steps {
		if _, err := net.MSEGrad(grad, ws, in, target, 16); err != nil {
			t.Fatal(err)
		}
		if err := opt.Step(net.Params(), grad); err != nil {
			t.Fatal(err)
		}
		if err := ema.Update(net.Params()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCheckpointResume saves network, optimiser and EMA mid-training,
// restores them into fresh values and continues: the result must equal an
// uninterrupted run bit for bit.
func TestCheckpointResume(t *testing.T) {
	newRun := func() (*nn.MLP, *nn.Adam, *nn.EMA) {
		net, _ := nn.NewMLP([]int{3, 16, 9, 2}, nn.SiLU, rand.New(rand.NewPCG(1, 2)))
		opt, _ := nn.NewAdam(net.NumParams(), ptr(nn.DefaultAdamW()))
		ema, _ := nn.NewEMA(net.Params(), 0.9)
		return net, opt, ema
	}
	net, opt, ema := newRun()
	trainSteps(t, net, opt, ema, 10)

	netB, optB, emaB := mustMarshal(t, net), mustMarshal(t, opt), mustMarshal(t, ema)
	var net2 nn.MLP
	var opt2 nn.Adam
	var ema2 nn.EMA
	for _, u := range []struct {
		dst  encoding.BinaryUnmarshaler
		data []byte
	}{{&net2, netB}, {&opt2, optB}, {&ema2, emaB}} {
		if err := u.dst.UnmarshalBinary(u.data); err != nil {
			t.Fatal(err)
		}
	}
	trainSteps(t, net, opt, ema, 5)
	trainSteps(t, &net2, &opt2, &ema2, 5)
	same(t, "params", net2.Params(), net.Params())
	same(t, "EMA", ema2.Params(), ema.Params())
	if net2.Activation() != nn.SiLU || opt2.Steps() != 15 || opt2.Settings != nn.DefaultAdamW() {
		t.Errorf("restored activation %v, steps %d, settings %+v", net2.Activation(), opt2.Steps(), opt2.Settings)
	}

	// Into an existing network of the same shape: parameters overwritten in
	// place.
	other, _, _ := newRun()
	p := other.Params()
	if err := other.UnmarshalBinary(netB); err != nil {
		t.Fatal(err)
	}
	var restored nn.MLP
	restored.UnmarshalBinary(netB)
	same(t, "in-place params", p, restored.Params())
}

func same(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("%s[%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}

func mustMarshal(t *testing.T, m encoding.BinaryMarshaler) []byte {
	t.Helper()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCheckpointDamage truncates a checkpoint at every length and flips
// every byte: each must give an error that says what is wrong, never a
// panic or a silently wrong network.
func TestCheckpointDamage(t *testing.T) {
	net, _ := nn.NewMLP([]int{2, 8, 1}, nn.Tanh, rand.New(rand.NewPCG(1, 1)))
	opt, _ := nn.NewAdam(net.NumParams(), nil)
	ema, _ := nn.NewEMA(net.Params(), 0.99)
	for _, tc := range []struct {
		name string
		data []byte
		dst  func() encoding.BinaryUnmarshaler
	}{
		{"mlp", mustMarshal(t, net), func() encoding.BinaryUnmarshaler { return new(nn.MLP) }},
		{"adam", mustMarshal(t, opt), func() encoding.BinaryUnmarshaler { return new(nn.Adam) }},
		{"ema", mustMarshal(t, ema), func() encoding.BinaryUnmarshaler { return new(nn.EMA) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for n := range len(tc.data) {
				err := tc.dst().UnmarshalBinary(tc.data[:n])
				if err == nil || !strings.Contains(err.Error(), "truncated") {
					t.Fatalf("truncated to %d of %d bytes: error %v, want one saying truncated", n, len(tc.data), err)
				}
			}
			for i := range tc.data {
				bad := append([]byte(nil), tc.data...)
				bad[i] ^= 0x10
				err := tc.dst().UnmarshalBinary(bad)
				if err == nil {
					t.Fatalf("byte %d flipped: no error", i)
				}
				msg := err.Error()
				if !strings.Contains(msg, "checksum mismatch") && !strings.Contains(msg, "magic") &&
					!strings.Contains(msg, "version") && !strings.Contains(msg, "truncated") && !strings.Contains(msg, "unexpected bytes") {
					t.Fatalf("byte %d flipped: error %q does not say what is wrong", i, msg)
				}
			}
			if err := tc.dst().UnmarshalBinary(append(append([]byte(nil), tc.data...), 0)); err == nil {
				t.Error("trailing byte: no error")
			}
		})
	}
}

func TestCheckpointMismatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	small, _ := nn.NewMLP([]int{2, 8, 1}, nn.Tanh, rng)
	big, _ := nn.NewMLP([]int{2, 16, 1}, nn.Tanh, rng)
	other, _ := nn.NewMLP([]int{2, 8, 1}, nn.SELU, rng)
	smallB := mustMarshal(t, small)
	optSmall, _ := nn.NewAdam(small.NumParams(), nil)
	optBig, _ := nn.NewAdam(big.NumParams(), nil)
	emaBig, _ := nn.NewEMA(big.Params(), 0.9)
	emaSmall, _ := nn.NewEMA(small.Params(), 0.9)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"sizes", big.UnmarshalBinary(smallB), "architecture mismatch: checkpoint has sizes [2 8 1], tanh; network has sizes [2 16 1], tanh"},
		{"activation", other.UnmarshalBinary(smallB), "architecture mismatch"},
		{"adam", optBig.UnmarshalBinary(mustMarshal(t, optSmall)), "architecture mismatch"},
		{"ema", emaBig.UnmarshalBinary(mustMarshal(t, emaSmall)), "architecture mismatch"},
		{"kind", optSmall.UnmarshalBinary(smallB), "holds an MLP, not an Adam optimiser state"},
		{"garbage", new(nn.MLP).UnmarshalBinary([]byte("PK\x03\x04 this is a zip file, not a network")), "bad magic"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, tc.err, tc.want)
		}
	}
}

// FuzzUnmarshal feeds arbitrary bytes to the decoders: errors are fine,
// panics and huge allocations are not.
func FuzzUnmarshal(f *testing.F) {
	net, _ := nn.NewMLP([]int{2, 3, 1}, nn.ReLU, rand.New(rand.NewPCG(1, 1)))
	opt, _ := nn.NewAdam(net.NumParams(), nil)
	ema, _ := nn.NewEMA(net.Params(), 0.5)
	f.Add(mustMarshalF(net))
	f.Add(mustMarshalF(opt))
	f.Add(mustMarshalF(ema))
	f.Fuzz(func(t *testing.T, data []byte) {
		new(nn.MLP).UnmarshalBinary(data)
		new(nn.Adam).UnmarshalBinary(data)
		new(nn.EMA).UnmarshalBinary(data)
	})
}

func mustMarshalF(m encoding.BinaryMarshaler) []byte {
	b, err := m.MarshalBinary()
	if err != nil {
		panic(err)
	}
	return b
}
