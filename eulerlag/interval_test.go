package eulerlag

import (
	"math"
	"testing"

	"github.com/lagc-dev/lagc/runtime/bvp"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

func instantiateSrc(t *testing.T, src string, d int) lagrangian.System {
	t.Helper()
	sys, err := Load("test.lag", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := sys.Instantiate(d)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// TestIntervalHarmonic checks the closed form on [ta, tb] against the
// harmonic formulas written on that interval:
// x(t) = (x0 sin ω(tb−t) + x1 sin ω(t−ta)) / sin ωT and
// S = ω/(2 sin ωT)·((|x0|²+|x1|²) cos ωT − 2 x0·x1).
func TestIntervalHarmonic(t *testing.T) {
	const w = 1.3
	ev := instantiateSrc(t, "param w = 1.3\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", 2)
	x0, x1 := []float64{0.7, -1.2}, []float64{-0.4, 2.1}
	for _, iv := range [][2]float64{{0.5, 2.4}, {-3, -1}, {10, 10.25}} {
		ta, tb := iv[0], iv[1]
		T := tb - ta
		in, err := lagrangian.OnInterval(ev, ta, tb)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := in.(lagrangian.ClosedForm); !ok {
			t.Fatalf("[%g, %g]: the interval system lost its closed form", ta, tb)
		}
		for _, method := range []string{"", bvp.Collocation} {
			p, err := bvp.Solve(in, x0, x1, &bvp.Settings{Method: method})
			if err != nil {
				t.Fatal(err)
			}
			x, v := make([]float64, 2), make([]float64, 2)
			for _, s := range []float64{0, 0.3, 0.5, 0.9, 1} {
				if err := p.At(x, v, s); err != nil {
					t.Fatal(err)
				}
				tt := ta + T*s
				for i := range x {
					want := (x0[i]*math.Sin(w*(tb-tt)) + x1[i]*math.Sin(w*(tt-ta))) / math.Sin(w*T)
					wantV := w * (-x0[i]*math.Cos(w*(tb-tt)) + x1[i]*math.Cos(w*(tt-ta))) / math.Sin(w*T)
					if math.Abs(x[i]-want) > 1e-8 || math.Abs(v[i]/T-wantV) > 1e-7 {
						t.Errorf("[%g,%g] %q s=%g: x=%v ẋ=%v, want x_%d=%g ẋ=%g", ta, tb, method, s, x, v[i]/T, i, want, wantV)
					}
				}
			}
			var n0, n1, dot float64
			for i := range x0 {
				n0 += x0[i] * x0[i]
				n1 += x1[i] * x1[i]
				dot += x0[i] * x1[i]
			}
			S := w / (2 * math.Sin(w*T)) * ((n0+n1)*math.Cos(w*T) - 2*dot)
			if math.Abs(p.Action-S) > 1e-8*(1+math.Abs(S)) {
				t.Errorf("[%g,%g] %q: action %g, want %g", ta, tb, method, p.Action, S)
			}
		}
	}
}

// TestIntervalConjugate: the harmonic path is a minimum only while
// ω·(tb − ta) < π, whatever the interval's position.
func TestIntervalConjugate(t *testing.T) {
	ev := instantiateSrc(t, "param w = 2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2", 1)
	x0, x1 := []float64{1}, []float64{0.5}
	ok, err := lagrangian.OnInterval(ev, 5, 5+1.5) // ωT = 3 < π
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ok.(lagrangian.ClosedForm).Action(x0, x1); err != nil {
		t.Errorf("ωT = 3: %v", err)
	}
	if !ok.(lagrangian.EuclideanCoupling).EuclideanCoupling() {
		t.Errorf("ωT = 3: want a Euclidean coupling")
	}
	bad, err := lagrangian.OnInterval(ev, 5, 5+1.6) // ωT = 3.2 > π
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.(lagrangian.ClosedForm).Action(x0, x1); err == nil {
		t.Errorf("ωT = 3.2: want a conjugate-point error")
	}
	if _, err := bvp.Solve(bad, x0, x1, nil); err == nil {
		t.Errorf("ωT = 3.2: bvp.Solve accepted a path past a conjugate point")
	}
}

// TestIntervalTimeDependent: L = ½|v|² + t·x₀ gives ẍ₀ = t, so absolute time
// matters: x₀(t) = t³/6 + c1 t + c0 through the endpoints. The generic
// rescaling is solved numerically and compared with that formula.
func TestIntervalTimeDependent(t *testing.T) {
	ev := instantiateSrc(t, "L = 0.5*|v|^2 + t*x[0]", 2)
	x0, x1 := []float64{0.3, 1}, []float64{-0.2, 2}
	for _, iv := range [][2]float64{{0, 1}, {2, 3}, {-1, 1.5}} {
		ta, tb := iv[0], iv[1]
		in, err := lagrangian.OnInterval(ev, ta, tb)
		if err != nil {
			t.Fatal(err)
		}
		p, err := bvp.Solve(in, x0, x1, nil)
		if err != nil {
			t.Fatal(err)
		}
		cube := func(t float64) float64 { return t * t * t / 6 }
		c1 := (x1[0] - x0[0] - cube(tb) + cube(ta)) / (tb - ta)
		c0 := x0[0] - cube(ta) - c1*ta
		x := make([]float64, 2)
		var action float64
		for _, s := range []float64{0.1, 0.5, 0.77} {
			if err := p.At(x, nil, s); err != nil {
				t.Fatal(err)
			}
			tt := ta + (tb-ta)*s
			want := cube(tt) + c1*tt + c0
			if math.Abs(x[0]-want) > 1e-8 {
				t.Errorf("[%g,%g] s=%g: x0=%g, want %g", ta, tb, s, x[0], want)
			}
			if wantY := x0[1] + (x1[1]-x0[1])*s; math.Abs(x[1]-wantY) > 1e-8 {
				t.Errorf("[%g,%g] s=%g: x1=%g, want %g", ta, tb, s, x[1], wantY)
			}
		}
		// The action ∫ ½|ẋ|² + t·x₀ dt over [ta, tb] by Simpson on the formula.
		const n = 2000
		h := (tb - ta) / n
		for k := 0; k <= n; k++ {
			tt := ta + h*float64(k)
			xd0 := tt*tt/2 + c1
			xd1 := (x1[1] - x0[1]) / (tb - ta)
			f := 0.5*(xd0*xd0+xd1*xd1) + tt*(cube(tt)+c1*tt+c0)
			w := 2.0
			switch {
			case k == 0 || k == n:
				w = 1
			case k%2 == 1:
				w = 4
			}
			action += w * f * h / 3
		}
		if math.Abs(p.Action-action) > 1e-8*(1+math.Abs(action)) {
			t.Errorf("[%g,%g]: action %.12g, want %.12g", ta, tb, p.Action, action)
		}
	}
}

func TestIntervalErrors(t *testing.T) {
	ev := instantiateSrc(t, "L = 0.5*|v|^2", 1)
	for _, iv := range [][2]float64{{1, 1}, {2, 1}, {math.NaN(), 1}, {0, math.Inf(1)}} {
		if _, err := lagrangian.OnInterval(ev, iv[0], iv[1]); err == nil {
			t.Errorf("[%g, %g]: want an error", iv[0], iv[1])
		}
	}
}
