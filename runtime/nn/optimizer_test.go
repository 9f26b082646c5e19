package nn

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestOptimizerStep: the bundle is Adam then the EMA, after clipping; a
// non-finite loss or gradient changes nothing and wraps ErrDiverged.
func TestOptimizerStep(t *testing.T) {
	params := []float64{1, -2, 3}
	o, err := NewOptimizer(params, &OptimizerSettings{LR: 0.1, ClipNorm: 1, EMADecay: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	// The same step by hand: clip (3,4,0) to norm 1, one Adam step, EMA.
	adam, _ := NewAdam(3, &AdamSettings{LR: 0.1})
	ema, _ := NewEMA(params, 0.5)
	ema.Warmup = true
	want := slices.Clone(params)
	g := []float64{3, 4, 0}
	clipped := slices.Clone(g)
	ClipGradNorm(clipped, 1)
	adam.Step(want, clipped)
	ema.Update(want)
	if err := o.Step(params, g, 1.5); err != nil {
		t.Fatal(err)
	}
	for i := range params {
		if params[i] != want[i] || o.Average()[i] != ema.Params()[i] {
			t.Fatalf("param %d: %v (avg %v), by hand %v (avg %v)", i, params[i], o.Average()[i], want[i], ema.Params()[i])
		}
	}
	before := slices.Clone(params)
	for _, c := range []struct {
		loss float64
		grad []float64
	}{{math.NaN(), []float64{1, 1, 1}}, {math.Inf(1), []float64{1, 1, 1}}, {1, []float64{1, math.NaN(), 1}}, {1, []float64{math.Inf(-1), 0, 0}}} {
		if err := o.Step(params, c.grad, c.loss); !errors.Is(err, ErrDiverged) {
			t.Errorf("loss %v grad %v: err = %v, want ErrDiverged", c.loss, c.grad, err)
		}
		if !slices.Equal(params, before) {
			t.Fatalf("loss %v grad %v: the weights changed", c.loss, c.grad)
		}
	}
}

// TestOptimizerState: a decoded state continues exactly as the original.
func TestOptimizerState(t *testing.T) {
	a := []float64{0.5, -1}
	o, _ := NewOptimizer(a, nil)
	o.Step(a, []float64{0.3, -0.1}, 1)
	b, err := o.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	c := slices.Clone(a)
	p, _ := NewOptimizer([]float64{9, 9}, nil)
	if err := p.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	o.Step(a, []float64{0.2, 0.4}, 1)
	p.Step(c, []float64{0.2, 0.4}, 1)
	if !slices.Equal(a, c) || !slices.Equal(o.Average(), p.Average()) {
		t.Errorf("after restore: %v %v, original %v %v", c, p.Average(), a, o.Average())
	}
	short, _ := NewOptimizer([]float64{1}, nil)
	for name, bad := range map[string][]byte{"truncated": b[:len(b)-3], "trailing": append(slices.Clone(b), 0), "empty": nil} {
		if err := p.UnmarshalBinary(bad); err == nil {
			t.Errorf("%s state: no error", name)
		}
	}
	if err := short.UnmarshalBinary(b); err == nil {
		t.Error("a state of 2 parameters went into an optimiser of 1")
	}
}

func TestOptimizerSettingsNameConcepts(t *testing.T) {
	s := OptimizerSettings{LR: -1, WeightDecay: math.NaN(), ClipNorm: -1, EMADecay: 1}
	err := s.Validate()
	for _, want := range []string{"learning rate", "weight decay", "gradient clipping", "EMA decay"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to name %q", err, want)
		}
	}
}
