package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// SB-CFM from the command line (sinkhorn coupling, bridge noise), then
// eval --nll: the NLL object is there, finite, with bpd = nats/(d ln 2).
func TestTrainSBAndEvalNLL(t *testing.T) {
	run := filepath.Join(t.TempDir(), "run")
	code, _, errs := lagc(t, "", "train", "--iters", "20", "--batch", "32", "--hidden", "16,16", "--eval-n", "0", "--no-plot", "--quiet",
		"--coupling", "sinkhorn", "--sigma", "0.5", "--sigma-schedule", "bridge", "-o", run)
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errs)
	}
	code, out, errs := lagc(t, "", "eval", run, "-n", "40", "--nll")
	if code != 0 {
		t.Fatalf("eval --nll: exit %d: %s", code, errs)
	}
	var m struct {
		W2  float64 `json:"w2"`
		NLL struct {
			Nats  float64 `json:"nats"`
			BPD   float64 `json:"bits_per_dim"`
			Exact bool    `json:"exact_divergence"`
			N     int     `json:"n"`
		} `json:"nll"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("eval output %q: %v", out, err)
	}
	if !(m.W2 > 0) || !m.NLL.Exact || m.NLL.N != 40 || math.Abs(m.NLL.BPD-m.NLL.Nats/(2*math.Ln2)) > 1e-12 || math.IsNaN(m.NLL.Nats) {
		t.Errorf("eval --nll printed %s", out)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"train", "--iters", "1", "--coupling", "emd", "-o", run + "2"}, 2, "coupling"},
		{[]string{"train", "--iters", "1", "--sigma-schedule", "vp", "-o", run + "3"}, 2, "schedule"},
	} {
		if code, _, errs := lagc(t, "", tc.args...); code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d mentioning %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}
