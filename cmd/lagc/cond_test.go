package main

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/data"
	lagrun "github.com/lagc-dev/lagc/runtime/run"
)

// twoClassCSV writes n rows x, y, label: class 0 around (-3, 0), class 1
// around (2, 3), σ = 0.3. It returns the file and the class means of its
// rows, the truth samples of a class are checked against.
func twoClassCSV(t *testing.T, n int) (string, [2][2]float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(4, 4))
	centres := [2][2]float64{{-3, 0}, {2, 3}}
	x := make([]float64, 3*n)
	var means [2][2]float64
	var counts [2]float64
	for i := range n {
		k := i % 2
		x[3*i], x[3*i+1], x[3*i+2] = centres[k][0]+0.3*rng.NormFloat64(), centres[k][1]+0.3*rng.NormFloat64(), float64(k)
		means[k][0] += x[3*i]
		means[k][1] += x[3*i+1]
		counts[k]++
	}
	for k := range means {
		means[k][0] /= counts[k]
		means[k][1] /= counts[k]
	}
	path := filepath.Join(t.TempDir(), "two.csv")
	if err := data.WriteCSV(path, x, n, 3, nil); err != nil {
		t.Fatal(err)
	}
	return path, means
}

// sampleMean parses lagc sample's CSV output and returns its mean.
func sampleMean(t *testing.T, csv string) (mean [2]float64, n int) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(csv), "\n") {
		f := strings.Split(line, ",")
		if len(f) != 2 {
			t.Fatalf("sample row %q: want 2 columns", line)
		}
		for j := range 2 {
			v, err := strconv.ParseFloat(f[j], 64)
			if err != nil {
				t.Fatal(err)
			}
			mean[j] += v
		}
		n++
	}
	mean[0] /= float64(n)
	mean[1] /= float64(n)
	return mean, n
}

// A conditional run trained with --cond-col (on standardized points)
// samples each class near that class's mean in the data, evaluates per
// class in the data's units, and resumes bit for bit.
func TestTrainConditional(t *testing.T) {
	csv, means := twoClassCSV(t, 400)
	dir := t.TempDir()
	train := func(out string, iters int, extra ...string) {
		t.Helper()
		args := append([]string{"train", "--target", "csv:" + csv, "--cond-col", "2", "--holdout", "0.25", "--standardize",
			"--iters", strconv.Itoa(iters), "--batch", "64", "--hidden", "32,32", "--lr", "3e-3", "--threads", "1",
			"--ckpt-every", "100", "--eval-n", "64", "--no-plot", "--quiet", "-o", out}, extra...)
		if code, _, errs := lagc(t, "", args...); code != 0 {
			t.Fatalf("train: exit %d: %s", code, errs)
		}
	}
	run := filepath.Join(dir, "run")
	train(run, 600)
	ck, err := lagrun.ReadCheckpoint(filepath.Join(run, "model.ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	if ck.Spec.Method != "cond" || ck.Spec.LabelColumn != 2 {
		t.Errorf("checkpoint spec: method %q, label column %d; want cond, 2", ck.Spec.Method, ck.Spec.LabelColumn)
	}
	var sum lagrun.Summary
	readJSON(t, filepath.Join(run, "summary.json"), &sum)
	if sum.Method != "cond" || len(sum.Classes) != 2 || !(sum.Classes[0].W2 < 1) || !(sum.Classes[1].W2 < 1) {
		t.Errorf("summary.json: method %q, classes %+v; want cond and 2 classes with W2 < 1", sum.Method, sum.Classes)
	}

	for k, m := range means {
		code, out, errs := lagc(t, "", "sample", run, "--class", strconv.Itoa(k), "-n", "300", "--seed", "3")
		if code != 0 {
			t.Fatalf("sample --class %d: exit %d: %s", k, code, errs)
		}
		got, n := sampleMean(t, out)
		other := means[1-k]
		dist := math.Hypot(got[0]-m[0], got[1]-m[1])
		t.Logf("class %d: sample mean %.3f, data mean %.3f (other class %.3f)", k, got, m, other)
		if n != 300 || dist > 0.5 || math.Hypot(got[0]-other[0], got[1]-other[1]) < 4 {
			t.Errorf("class %d: %d samples with mean %.3f; want 300 near the class mean %.3f (off by %.3f), far from %.3f", k, n, got, m, dist, other)
		}
	}

	code, out, errs := lagc(t, "", "eval", run, "-n", "200")
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errs)
	}
	var ev struct {
		W2      float64 `json:"w2"`
		Classes []struct {
			Label   float64 `json:"label"`
			N       int     `json:"n"`
			W2      float64 `json:"w2"`
			W2Other float64 `json:"w2_other"`
		} `json:"classes"`
	}
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("eval output %q: %v", out, err)
	}
	if len(ev.Classes) != 2 {
		t.Fatalf("eval: %d classes, want 2: %s", len(ev.Classes), out)
	}
	for k, c := range ev.Classes {
		t.Logf("class %d: %+v", k, c)
		// 100 held-out rows, about 50 a class; the classes' means are
		// 5.8 apart in the data's units (about 2 standardized).
		if c.Label != float64(k) || c.N < 30 || c.N > 70 || !(c.W2 < 1) || !(c.W2Other > 4) {
			t.Errorf("class %d: %+v; want its label, ~50 held-out points, W2 < 1 to them and > 4 to the other class's", k, c)
		}
	}

	// Resume bit for bit: 300 + 300 iterations write the checkpoint of 600.
	half := filepath.Join(dir, "half")
	train(half, 300)
	if code, _, errs := lagc(t, "", "train", "--resume", "--iters", "600", "--threads", "1", "--eval-n", "0", "--no-plot", "--quiet", "-o", half); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	a, err := os.ReadFile(filepath.Join(run, "model.ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(half, "model.ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the resumed run's checkpoint differs from the straight run's")
	}

	plain := filepath.Join(dir, "plain")
	if code, _, errs := lagc(t, "", "train", "--iters", "5", "--batch", "16", "--hidden", "8", "--eval-n", "0", "--no-plot", "--quiet", "-o", plain); code != 0 {
		t.Fatalf("unconditional train: exit %d: %s", code, errs)
	}
	notInt := writeFile(t, "real.csv", "0,0.5\n1,1.5\n2,2.25\n")
	threeClasses := writeFile(t, "three.csv", "0,0,0\n1,1,1\n2,2,2\n3,3,0\n")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sample", run, "--class", "5"}, 1, "not among"},
		{[]string{"sample", run, "--class", "zero"}, 2, "--class"},
		{[]string{"sample", run, "--class", "0.5"}, 2, "integer"},
		{[]string{"sample", plain, "--class", "0"}, 1, "not class-conditional"},
		{[]string{"eval", run, "--target", "csv:" + threeClasses}, 1, "other classes"},
		{[]string{"train", "--target", "csv:" + notInt, "--cond-col", "1", "--iters", "1", "-o", filepath.Join(dir, "e1")}, 1, "integers"},
		{[]string{"train", "--target", "csv:" + csv, "--cond-col", "3", "--iters", "1", "-o", filepath.Join(dir, "e2")}, 1, "label column 3"},
		{[]string{"train", "--target", "moons", "--cond-col", "0", "--iters", "1", "-o", filepath.Join(dir, "e3")}, 1, "label column"},
		{[]string{"train", "--target", "csv:" + csv, "--cond-col", "2", "--method", "am", "-o", filepath.Join(dir, "e4")}, 2, "--method"},
		{[]string{"train", "--target", "csv:" + csv, "--method", "cond", "-o", filepath.Join(dir, "e5")}, 2, "--cond-col"},
		{[]string{"train", "--resume", "--cond-col", "2", "-o", run}, 2, "--cond-col"},
	} {
		code, _, errs := lagc(t, "", c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("lagc %s: exit %d, %q; want exit %d mentioning %q", strings.Join(c.args, " "), code, errs, c.code, c.want)
		}
	}
}
