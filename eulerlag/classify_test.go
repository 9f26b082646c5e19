package eulerlag

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/closedform"
)

func TestClassifyExamples(t *testing.T) {
	want := map[string]string{
		"kinetic":     "closed form: straight line",
		"harmonic":    "closed form: harmonic, ω = 1.5707963267948966",
		"inverted":    "closed form: inverted harmonic, ω = 1",
		"gravity":     "closed form: constant force",
		"damped":      "closed form: linear, isotropic (a = α·x + β·v + c), α = -1, β = -0.5",
		"magnetic":    "closed form: linear, constant coefficients (matrix exponential)",
		"anisotropic": "closed form: linear, constant coefficients (matrix exponential)",
		"bump":        "numeric: nonlinear in x",
		"conformal":   "numeric: nonlinear in x",
		"pendulum":    "numeric: nonlinear in x",
	}
	for name, w := range want {
		sys := loadExample(t, name)
		if got := sys.Classify().String(); got != w {
			t.Errorf("%s: %q, want %q", name, got, w)
		}
	}
}

func TestClassifySources(t *testing.T) {
	tests := []struct {
		name, src string
		closed    bool
		kind      closedform.Kind
		isotropic bool
		reason    string // substring of String()
	}{
		{"heavy", "param m = 3\nL = 0.5*m*|v|^2\n", true, closedform.Straight, true, "straight line"},
		{"driven", "L = 0.5*|v|^2 - sin(t)*x[0]\n", false, 0, false, "numeric: depends on t"},
		{"parametric", "L = 0.5*|v|^2 - 0.5*(1+t)*|x|^2\n", false, 0, false, "numeric: depends on t"},
		{"relativistic", "L = -sqrt(1 - |v|^2)\n", false, 0, false, "numeric: non-constant mass matrix"},
		{"constant mass", "dim 2\nL = 0.5*|v|^2 + 0.25*v[0]*v[1]\n", false, 0, false, "numeric: constant mass matrix"},
		{"friction", "L = 0.5*|v|^2*exp(|v|^2)\n", false, 0, false, "numeric:"},
		{"shifted well", "param k = 2\nL = 0.5*|v|^2 - 0.5*k*|x - [1, 2]|^2\n", true, closedform.Damped, true, "α = -2, β = 0"},
		{"conjugate", "param w = 3.5\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n", true, closedform.Harmonic, true, "ω = 3.5; but harmonic with ω = 3.5 ≥ π"},
		{"gyro generic", "L = 0.5*|v|^2 + 0.3*dot(x, v)\n", true, closedform.Straight, true, "straight line"},
		{"coupled", "dim 2\nL = 0.5*|v|^2 - 0.5*(x[0]^2 + x[1]^2 + x[0]*x[1])\n", true, closedform.Matrix, false, "matrix exponential"},
		// The mass, not a non-finite acceleration, is what is wrong.
		{"negative mass", "L = -0.5*|v|^2\n", false, 0, false, "not positive definite (m = -1)"},
	}
	for _, tc := range tests {
		sys, err := Load(tc.name+".lag", []byte(tc.src), nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		c := sys.Classify()
		if c.Closed != tc.closed || (c.Closed && (c.Kind != tc.kind || c.Isotropic != tc.isotropic)) || !strings.Contains(c.String(), tc.reason) {
			t.Errorf("%s: %+v = %q; want closed %v, kind %v, isotropic %v, containing %q", tc.name, c, c, tc.closed, tc.kind, tc.isotropic, tc.reason)
		}
	}
}

// TestClassifyWithParameters checks that the kind follows the parameters
// while the structure does not change.
func TestClassifyWithParameters(t *testing.T) {
	src := []byte("param k = 1\nL = 0.5*|v|^2 + 0.5*k*|x|^2\n")
	for _, tc := range []struct {
		k    float64
		kind closedform.Kind
		w    float64
	}{{1, closedform.Inverted, 1}, {-4, closedform.Harmonic, 2}, {0, closedform.Straight, 0}} {
		sys, err := Load("k.lag", src, map[string]float64{"k": tc.k})
		if err != nil {
			t.Fatal(err)
		}
		c := sys.Classify()
		if !c.Closed || c.Kind != tc.kind || math.Abs(c.Omega-tc.w) > 1e-15 {
			t.Errorf("k = %g: %v, want %v with ω = %g", tc.k, c, tc.kind, tc.w)
		}
	}
}

func ExampleSystem_Classify() {
	for _, src := range []string{
		"param w = pi/2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n",
		"L = 0.5*|v|^2 + cos(x[0])\n",
	} {
		sys, err := Load("example.lag", []byte(src), nil)
		if err != nil {
			panic(err)
		}
		fmt.Println(sys.Classify())
	}
	// Output:
	// closed form: harmonic, ω = 1.5707963267948966
	// numeric: nonlinear in x
}
