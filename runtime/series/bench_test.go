package series

import "testing"

func BenchmarkLossHarmonic800(b *testing.B) {
	ser := synth(b, "param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", fiveTimes, 800, 1)
	obj, err := NewObjective(load(b, harmonicSrc), ser, []string{"w"}, 0, nil)
	if err != nil {
		b.Fatal(err)
	}
	g := make([]float64, 1)
	for i := 0; b.Loop(); i++ {
		if _, err := obj.Loss(g, []float64{1 + 0.01*float64(i%7)}); err != nil {
			b.Fatal(err)
		}
	}
}
