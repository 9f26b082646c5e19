package experiment

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/series"
)

func TestLOO(t *testing.T) {
	ser, err := series.Load("csv:../../examples/snapshots/harmonic.csv", &series.LoadSettings{TimeColumn: "t"})
	if err != nil {
		t.Fatal(err)
	}
	truth := filepath.Join(t.TempDir(), "truth.lag")
	os.WriteFile(truth, []byte("param w = 1.2\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n"), 0o644)
	rep, err := LOO(ser, []string{"kinetic.lag", truth}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rep)
	if !strings.Contains(string(b), `"w1_model":null`) || !strings.Contains(string(b), `"mean_w1_model":null`) || !strings.Contains(string(b), `"params":{"w":1.2}`) {
		t.Errorf("JSON: %s", b)
	}
	kin, tr := rep.Lagrangians[0], rep.Lagrangians[1]
	if len(kin.LOO) != 3 || !(tr.MeanW1Interpolation < 0.5*kin.MeanW1Interpolation) {
		t.Errorf("kinetic %g, truth %g: the truth should win clearly", kin.MeanW1Interpolation, tr.MeanW1Interpolation)
	}
	// The model column: each time k scored by the hook, averaged.
	model := func(file string, sys lagrangian.System) series.ModelScore {
		return func(k int) (float64, error) { return float64(k) / 10, nil }
	}
	rep, err = LOO(ser, []string{"kinetic.lag"}, model, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Lagrangians[0]
	if r.MeanW1Model == nil || math.Abs(*r.MeanW1Model-0.2) > 1e-15 || *r.LOO[2].W1Model != 0.3 {
		t.Errorf("model column: %+v", r)
	}
	var sb strings.Builder
	if err := WriteLOOTable(&sb, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.String(), "| kinetic.lag |  | mean | | ") || !strings.Contains(sb.String(), "| 0.2000 |") {
		t.Errorf("table:\n%s", sb.String())
	}
}
