package run

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/likelihood"
)

func TestRunNLL(t *testing.T) {
	spec, set := small(t, "fm", 20)
	r, err := New(spec, &set, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Train(nil); err != nil {
		t.Fatal(err)
	}
	res, err := r.NLL(30, false, nil, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Exact || res.N != 30 || res.Points != "fresh target" || math.IsNaN(res.NLL) || math.Abs(res.BPD-res.NLL/(2*math.Ln2)) > 1e-12 {
		t.Errorf("NLL %+v", res)
	}

	// A standardized file target: the held-out rows, in the data's units.
	dir := t.TempDir()
	var b strings.Builder
	rng := rand.New(rand.NewPCG(2, 2))
	for range 50 {
		fmt.Fprintf(&b, "%g,%g\n", 100+10*rng.NormFloat64(), -3+0.1*rng.NormFloat64())
	}
	path := filepath.Join(dir, "x.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	spec.Target, spec.Standardize, spec.Holdout = "csv:"+path, true, 0.2
	r, err = New(spec, &set, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Train(nil); err != nil {
		t.Fatal(err)
	}
	res, err = r.NLL(1000, false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Points != "held-out" || res.N != 10 {
		t.Errorf("NLL of %d %s points, want the 10 held-out rows", res.N, res.Points)
	}
	// The same points without the standardization's log-determinant.
	f, err := likelihood.NewMLPField(r.Method.(velocityModel).Model(false), nil, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	std, err := likelihood.NLL(nil, f, r.Data.Holdout.X, 10, &likelihood.Settings{Batch: 512})
	if err != nil {
		t.Fatal(err)
	}
	if want := std.NLL + math.Log(r.Data.Std.Std[0]) + math.Log(r.Data.Std.Std[1]); math.Abs(res.NLL-want) > 1e-9 {
		t.Errorf("NLL in data units %.9g, want standardized %.9g + Σ ln s = %.9g", res.NLL, std.NLL, want)
	}

	for _, tc := range []struct {
		method, source, want string
	}{{"am", "gaussian", "velocity-field"}, {"fm", "8gaussians", "standard normal"}} {
		spec, set := small(t, tc.method, 2)
		spec.Source = tc.source
		r, err := New(spec, &set, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.NLL(10, false, nil, rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s from %s: error %v, want one mentioning %q", tc.method, tc.source, err, tc.want)
		}
	}
}
