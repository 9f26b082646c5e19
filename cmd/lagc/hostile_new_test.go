package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// seriesFixtureOnce adds to the shared hostile fixture (under ser/) what
// the commands on snapshot series need: small series, broken ones, .lag
// files with bounds, and a trained series run and a trained plain run's
// export.
var seriesFixtureOnce sync.Once
var seriesFixtureErr error

func hostileSeriesFiles(t *testing.T) hostileFixture {
	t.Helper()
	fx := hostileFiles(t)
	seriesFixtureOnce.Do(func() {
		dir := filepath.Join(fx.dir, "ser")
		if err := os.Mkdir(dir, 0o755); err != nil {
			seriesFixtureErr = err
			return
		}
		var good strings.Builder
		good.WriteString("t,x,y\n")
		for _, tm := range []float64{0, 1, 2, 3} {
			for i := range 6 {
				a := 0.3 * float64(i)
				fmt.Fprintf(&good, "%g,%.6g,%.6g\n", tm, a*math.Cos(1.2*tm)+0.1*float64(i), -a*math.Sin(1.2*tm)+0.05*float64(i%2))
			}
		}
		g := good.String()
		rows := strings.Split(strings.TrimSpace(g), "\n")[1:]
		files := map[string]string{
			"h.csv":        g,
			"header.csv":   "t,x,y\n",
			"empty.csv":    "",
			"nantime.csv":  g + "NaN,1,2\n",
			"inftime.csv":  g + "Inf,1,2\n",
			"nanvalue.csv": g + "1,NaN,2\n",
			"two.csv":      "t,x,y\n0,0,0\n0,1,1\n1,2,2\n1,3,3\n",
			"single.csv":   "t,x,y\n0,0,0\n1,1,1\n2,2,2\n3,3,3\n",
			"unequal.csv":  "t,x,y\n0,0,0\n0,1,0\n0,2,1\n0,3,1\n1,1,1\n1,2,2\n2,2,1\n2,3,3\n2,4,4\n3,1,1\n3,0,0\n",
			"zerovar.csv":  "t,x,y\n0,0,5\n0,1,5\n1,1,5\n1,2,5\n2,2,5\n2,3,5\n3,3,5\n3,4,5\n",
			"constant.csv": "t,x,y\n0,1,5\n0,1,5\n1,1,5\n1,1,5\n2,1,5\n2,1,5\n",
			"hugetime.csv": "t,x,y\n-1e308,0,0\n-1e308,1,1\n0,0,0\n0,1,1\n1e308,0,0\n1e308,1,1\n",
			"hugevals.csv": "t,x,y\n0,1e308,0\n0,-1e308,1\n1,0,0\n1,1,1\n2,1e308,0\n2,-1e308,1\n",
			"tinytime.csv": "t,x,y\n0,0,0\n0,1,1\n1e-300,0,0\n1e-300,1,1\n2e-300,0,0\n2e-300,1,1\n",
			"ragged.csv":   "t,x,y\n0,0,0\n0,1\n1,2,2\n",
			"onecol.csv":   "t\n0\n0\n1\n1\n2\n2\n",
			"nohead.csv":   strings.Join(rows, "\n") + "\n",
			"junk.npy":     "\x93NUMPY garbage",
			"w.lag":        "param w = 0.5 in [0, 3]\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n",
			"wout.lag":     "param w = 5 in [0, 3]\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n",
			"wrev.lag":     "param w = 1 in [3, 0]\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n",
			"wnan.lag":     "param w = 1 in [nan, 3]\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n",
			"wopen.lag":    "param w = 1 in [0, 3\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n",
			"winf.lag":     "param w = 1 in [-inf, inf]\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n",
			"wexpr.lag":    "param w = 1 in [0, 1/0]\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n",
			"wnum.lag":     "param w = 1 in [0]\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\n",
			"m.lag":        "param m = 1 in [0.1, 10]\nparam w = 0.5 in [0, 3]\nL = 0.5*m*|v|^2 - 0.5*m*w^2*|x|^2\n",
			"d3.lag":       "dim 3\nL = 0.5*|v|^2\n",
			"nop.lag":      "L = 0.5*|v|^2\n",
			"fitted.lag":   "keep me: not a fit\n",
		}
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				seriesFixtureErr = err
				return
			}
		}
		var out, errb bytes.Buffer
		code := run([]string{"train", "--snapshots", "csv:" + filepath.Join(dir, "h.csv"), "--iters", "4", "--batch", "8", "--hidden", "8",
			"--eval-n", "0", "--no-plot", "--quiet", "-o", filepath.Join(dir, "run")}, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
		if code != 0 {
			seriesFixtureErr = fmt.Errorf("training the series fixture: exit %d: %s", code, errb.String())
		}
	})
	if seriesFixtureErr != nil {
		t.Fatal(seriesFixtureErr)
	}
	return fx
}

// hostileNewCases attack the commands and flags that landed after the
// first hostile pass: fit, experiment loo, training on snapshot series,
// sample --from/--to/--points, eval --nll, Sinkhorn couplings, gen --lang
// torch, export, path --t0/--t1 and parameter bounds.
func hostileNewCases() []hostileCase {
	h := "csv:{F}/ser/h.csv"
	fit := func(args ...string) []string {
		return append([]string{"fit", "{F}/ser/w.lag", "--snapshots", h, "--starts", "1", "--iters", "3"}, args...)
	}
	tr := func(args ...string) []string {
		return append([]string{"train", "--iters", "2", "--batch", "8", "--hidden", "4", "--eval-n", "0", "--no-plot", "--quiet", "-o", "{T}/r"}, args...)
	}
	trs := func(args ...string) []string {
		return tr(append([]string{"--snapshots", h}, args...)...)
	}
	loo := func(args ...string) []string {
		return append([]string{"experiment", "loo", "-L", "{F}/ser/w.lag"}, args...)
	}
	return []hostileCase{
		// fit: flags
		{cmd: "fit", name: "no file", args: []string{"fit", "--snapshots", h, "--fit", "w"}, code: 2, want: "FILE"},
		{cmd: "fit", name: "no snapshots", args: []string{"fit", "{F}/ser/w.lag", "--fit", "w"}, code: 2, want: "--snapshots"},
		{cmd: "fit", name: "nothing to fit", args: fit(), code: 2, want: "--fit"},
		{cmd: "fit", name: "unknown parameter", args: fit("--fit", "q"), code: 1, want: "q"},
		{cmd: "fit", name: "empty parameter name", args: fit("--fit", "w,"), code: 1, want: `no parameter ""`},
		{cmd: "fit", name: "parameter twice", args: fit("--fit", "w,w"), code: 1, want: "named twice"},
		{cmd: "fit", name: "zero starts", args: fit("--fit", "w", "--starts", "0"), code: 2, want: "--starts"},
		{cmd: "fit", name: "huge starts", args: fit("--fit", "w", "--starts", "1000000000"), code: 1, want: "at most 1000"},
		{cmd: "fit", name: "negative iters", args: fit("--fit", "w", "--iters", "-1"), code: 2, want: "--iters"},
		{cmd: "fit", name: "huge iters", args: fit("--fit", "w", "--iters", "1000000000"), code: 0},
		{cmd: "fit", name: "leave-out negative", args: fit("--fit", "w", "--leave-out", "-1"), code: 2, want: "--leave-out"},
		{cmd: "fit", name: "leave-out first time", args: fit("--fit", "w", "--leave-out", "0"), code: 0},
		{cmd: "fit", name: "leave-out last time", args: fit("--fit", "w", "--leave-out", "3"), code: 1, want: "interior"},
		{cmd: "fit", name: "leave-out out of range", args: fit("--fit", "w", "--leave-out", "99"), code: 1, want: "interior"},
		{cmd: "fit", name: "leave-out huge", args: fit("--fit", "w", "--leave-out", "99999999999999999999"), code: 2, want: "leave-out"},
		{cmd: "fit", name: "bound NaN", args: fit("--fit", "w", "--bound", "w=NaN:1"), code: 2, want: "LO ≤ HI"},
		{cmd: "fit", name: "bound reversed", args: fit("--fit", "w", "--bound", "w=3:0"), code: 2, want: "LO ≤ HI"},
		{cmd: "fit", name: "bound not fitted", args: fit("--fit", "w", "--bound", "m=0:1"), code: 2, want: "not among the fitted"},
		{cmd: "fit", name: "bound without range", args: fit("--fit", "w", "--bound", "w"), code: 2, want: "NAME=LO:HI"},
		{cmd: "fit", name: "bound a point", args: fit("--fit", "w", "--bound", "w=1:1", "--json"), code: 0, want: `out:"w":1`},
		{cmd: "fit", name: "bound huge", args: fit("--fit", "w", "--bound", "w=1e308:1e308"), code: 1, want: "w"},
		{cmd: "fit", name: "-p outside declared bounds", args: fit("--fit", "w", "-p", "w=7"), code: 1, want: "[0, 3]"},
		{cmd: "fit", name: "-p NaN", args: fit("--fit", "w", "-p", "w=NaN"), code: 2, want: "not a finite number"},
		{cmd: "fit", name: "profile malformed", args: fit("--profile", "w=0:1"), code: 2, want: "NAME=LO:HI:STEPS"},
		{cmd: "fit", name: "profile infinite", args: fit("--profile", "w=0:Inf:3"), code: 2, want: "finite"},
		{cmd: "fit", name: "profile zero steps", args: fit("--profile", "w=0:1:0"), code: 2, want: "STEPS"},
		{cmd: "fit", name: "profile huge steps", args: fit("--profile", "w=0:1:99999999"), code: 2, want: "STEPS"},
		{cmd: "fit", name: "profile unknown parameter", args: fit("--profile", "q=0:1:3"), code: 1, want: "q"},
		{cmd: "fit", name: "profile 1e308", args: fit("--profile", "w=-1e308:1e308:3", "--json"), code: 1, want: "w"},
		{cmd: "fit", name: "profile json strict", args: fit("--profile", "w=0:1.5:4", "--json"), code: 0, want: `out:"loss":[`, reject: "NaN"},
		{cmd: "fit", name: "plot without profile", args: fit("--fit", "w", "--plot", "{T}/p.png"), code: 2, want: "--profile"},
		{cmd: "fit", name: "plot over an existing file", args: fit("--profile", "w=0:1.5:3", "--plot", "{F}/plots/samples.png"), code: 1, want: "--force"},
		{cmd: "fit", name: "plot into a missing directory", args: fit("--profile", "w=0:1.5:3", "--plot", "{T}/no/p.png"), code: 1, want: "p.png"},
		{cmd: "fit", name: "plot with a bad extension", args: fit("--profile", "w=0:1.5:3", "--plot", "{T}/p.gif"), code: 2, want: "png"},
		{cmd: "fit", name: "output exists", args: fit("--fit", "w", "-o", "{F}/ser/fitted.lag"), code: 1, want: "--force"},
		{cmd: "fit", name: "output is the input", args: fit("--fit", "w", "-o", "{F}/ser/w.lag", "--force"), code: 1, want: "input"},
		{cmd: "fit", name: "output into a missing directory", args: fit("--fit", "w", "-o", "{T}/no/f.lag"), code: 1, want: "no"},
		{cmd: "fit", name: "output without fit", args: fit("--profile", "w=0:1:2", "-o", "{T}/f.lag"), code: 2, want: "--fit"},
		{cmd: "fit", name: "profile across a conjugate point", args: fit("--profile", "w=0:3:4"), code: 1, want: "conjugate point"},
		{cmd: "fit", name: "fitted file", args: fit("--fit", "w", "-o", "{T}/f.lag"), code: 0},
		{cmd: "fit", name: "json with profile and fit", args: fit("--fit", "w", "--profile", "w=0:1:2", "--json"), code: 2, want: "not both"},
		{cmd: "fit", name: "dimension mismatch", args: []string{"fit", "{F}/ser/d3.lag", "--snapshots", h, "--profile", "w=0:1:2"}, code: 1, want: "dimension"},
		{cmd: "fit", name: "no parameters in the file", args: []string{"fit", "{F}/ser/nop.lag", "--snapshots", h, "--fit", "w"}, code: 1, want: "w"},
		{cmd: "fit", name: "unidentifiable mass", args: []string{"fit", "{F}/ser/m.lag", "--snapshots", h, "--fit", "m", "--starts", "1", "--iters", "3", "--json"}, code: 0, want: `out:"m":null`},

		// fit: data
		{cmd: "fit", name: "missing snapshots", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/nope.csv"), code: 1, want: "no such file"},
		{cmd: "fit", name: "empty snapshots", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/empty.csv"), code: 1, want: "empty.csv"},
		{cmd: "fit", name: "header-only CSV", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/header.csv"), code: 1, want: "header.csv"},
		{cmd: "fit", name: "NaN time", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/nantime.csv"), code: 1, want: "finite"},
		{cmd: "fit", name: "Inf time", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/inftime.csv"), code: 1, want: "finite"},
		{cmd: "fit", name: "NaN value", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/nanvalue.csv"), code: 1, want: "finite"},
		{cmd: "fit", name: "two distinct times", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/two.csv"), code: 1, want: "at least 3"},
		{cmd: "fit", name: "one row per time", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/single.csv"), code: 1, want: "at least 2"},
		{cmd: "fit", name: "unequal counts", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/unequal.csv"), code: 0},
		{cmd: "fit", name: "standardize zero variance", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/zerovar.csv", "--standardize"), code: 0},
		{cmd: "fit", name: "standardize constant data", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/constant.csv", "--standardize", "--json"), code: 0, reject: "NaN"},
		{cmd: "fit", name: "times ±1e308", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/hugetime.csv", "--json"), code: 1, want: "time"},
		{cmd: "fit", name: "values ±1e308", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/hugevals.csv", "--json"), code: 1, want: "finite"},
		{cmd: "fit", name: "times 1e-300 apart", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/tinytime.csv", "--json"), code: 1, want: "not finite"},
		{cmd: "fit", name: "ragged CSV", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/ragged.csv"), code: 1, want: "ragged.csv"},
		{cmd: "fit", name: "only a time column", args: fit("--fit", "w", "--snapshots", "csv:{F}/ser/onecol.csv"), code: 1, want: "feature"},
		{cmd: "fit", name: "unknown time column", args: fit("--fit", "w", "--time-col", "time"), code: 1, want: "time"},
		{cmd: "fit", name: "time column out of range", args: fit("--fit", "w", "--time-col", "7"), code: 1, want: "time column"},
		{cmd: "fit", name: "time column also a feature", args: fit("--fit", "w", "--cols", "t,x"), code: 1, want: "time column"},
		{cmd: "fit", name: "garbage npy", args: fit("--fit", "w", "--snapshots", "npy:{F}/ser/junk.npy"), code: 1, want: "junk.npy"},
		{cmd: "fit", name: "built-in distribution", args: fit("--fit", "w", "--snapshots", "moons"), code: 1, want: "file"},
		{cmd: "fit", name: "endless device", args: fit("--fit", "w", "--snapshots", "csv:/dev/zero"), code: 1, want: "/dev/zero"},

		// experiment loo
		{cmd: "loo", name: "no Lagrangian", args: []string{"experiment", "loo", "--snapshots", h}, code: 2, want: "-L"},
		{cmd: "loo", name: "no snapshots", args: loo(), code: 2, want: "--snapshots"},
		{cmd: "loo", name: "negative iters", args: loo("--snapshots", h, "--iters", "-1"), code: 2, want: "--iters"},
		{cmd: "loo", name: "missing Lagrangian", args: loo("--snapshots", h, "-L", "{F}/nope.lag"), code: 1, want: "no such file"},
		{cmd: "loo", name: "broken Lagrangian", args: loo("--snapshots", h, "-L", "{F}/undefined.lag"), code: 1, want: "undefined.lag"},
		{cmd: "loo", name: "two distinct times", args: loo("--snapshots", "csv:{F}/ser/two.csv"), code: 1, want: "at least 3"},
		{cmd: "loo", name: "header-only CSV", args: loo("--snapshots", "csv:{F}/ser/header.csv"), code: 1, want: "header.csv"},
		{cmd: "loo", name: "values ±1e308", args: loo("--snapshots", "csv:{F}/ser/hugevals.csv", "--json"), code: 1, want: "finite"},
		{cmd: "loo", name: "times ±1e308", args: loo("--snapshots", "csv:{F}/ser/hugetime.csv", "--json"), code: 1, want: "time"},
		{cmd: "loo", name: "json strict", args: loo("--snapshots", h, "--json"), code: 0, want: "out:{", reject: "NaN"},
		{cmd: "loo", name: "plot dir is a file", args: loo("--snapshots", h, "--plot", "{F}/notes.txt"), code: 1, want: "notes.txt"},
		{cmd: "loo", name: "plot over existing plots", args: loo("--snapshots", h, "--plot", "{T}/plots"), code: 0},
		{cmd: "loo", name: "extra argument", args: loo("--snapshots", h, "{F}/ser/w.lag"), code: 2, want: "-L"},
		{cmd: "loo", name: "standardize zero variance", args: loo("--snapshots", "csv:{F}/ser/zerovar.csv", "--standardize", "--json"), code: 0, reject: "NaN"},

		// train on series, Sinkhorn, schedules
		{cmd: "train", name: "series header-only", args: tr("--snapshots", "csv:{F}/ser/header.csv"), code: 1, want: "header.csv"},
		{cmd: "train", name: "series two times", args: tr("--snapshots", "csv:{F}/ser/two.csv"), code: 1, want: "at least 3"},
		{cmd: "train", name: "series NaN time", args: tr("--snapshots", "csv:{F}/ser/nantime.csv"), code: 1, want: "finite"},
		{cmd: "train", name: "series with a target", args: trs("--target", "circles"), code: 2, want: "--snapshots"},
		{cmd: "train", name: "series unknown time column", args: trs("--time-col", "zz"), code: 1, want: "zz"},
		{cmd: "train", name: "series time column out of range", args: trs("--time-col", "-9"), code: 1, want: "range"},
		{cmd: "train", name: "leave-out first", args: trs("--leave-out", "0"), code: 2, want: "interior"},
		{cmd: "train", name: "leave-out last", args: trs("--leave-out", "3"), code: 2, want: "interior"},
		{cmd: "train", name: "leave-out out of range", args: trs("--leave-out", "-1"), code: 2, want: "interior"},
		{cmd: "train", name: "leave-out without series", args: tr("--leave-out", "1"), code: 2, want: "snapshot series"},
		{cmd: "train", name: "series values ±1e308", args: tr("--snapshots", "csv:{F}/ser/hugevals.csv"), code: 1, want: "too wide"},
		{cmd: "train", name: "series times ±1e308", args: tr("--snapshots", "csv:{F}/ser/hugetime.csv"), code: 1, want: "time"},
		{cmd: "train", name: "series standardize zero variance", args: trs("--snapshots", "csv:{F}/ser/zerovar.csv", "--standardize"), code: 0},
		{cmd: "train", name: "series unequal counts", args: trs("--snapshots", "csv:{F}/ser/unequal.csv"), code: 0},
		{cmd: "train", name: "sinkhorn negative epsilon", args: tr("--coupling", "sinkhorn", "--epsilon", "-1"), code: 2, want: "epsilon"},
		{cmd: "train", name: "sinkhorn NaN epsilon", args: tr("--coupling", "sinkhorn", "--epsilon", "NaN"), code: 2, want: "epsilon"},
		{cmd: "train", name: "sinkhorn Inf epsilon", args: tr("--coupling", "sinkhorn", "--epsilon", "Inf"), code: 2, want: "epsilon"},
		{cmd: "train", name: "sinkhorn tiny epsilon", args: tr("--coupling", "sinkhorn", "--epsilon", "1e-300"), code: 0},
		{cmd: "train", name: "sinkhorn huge epsilon", args: tr("--coupling", "sinkhorn", "--epsilon", "1e308"), code: 0},
		{cmd: "train", name: "sinkhorn zero sigma", args: tr("--coupling", "sinkhorn", "--sigma", "0"), code: 0},
		{cmd: "train", name: "epsilon without sinkhorn", args: tr("--epsilon", "0.5"), code: 2, want: "sinkhorn"},
		{cmd: "train", name: "unknown coupling", args: tr("--coupling", "magic"), code: 2, want: "coupling"},
		{cmd: "train", name: "unknown sigma schedule", args: tr("--sigma-schedule", "magic"), code: 2, want: "schedule"},
		{cmd: "train", name: "negative sigma", args: tr("--sigma", "-1"), code: 2, want: "sigma"},
		{cmd: "train", name: "sinkhorn huge batch", args: tr("--coupling", "sinkhorn", "--batch", "100000"), code: 2, want: "--pool"},
		{cmd: "train", name: "series -p outside bounds", args: trs("-L", "{F}/ser/w.lag", "-p", "w=9"), code: 1, want: "[0, 3]"},
		{cmd: "train", name: "series resume other data", args: tr("--snapshots", "csv:{F}/ser/unequal.csv", "--resume", "-o", "{F}/ser/run"), code: 1, want: "differ"},

		// sample on a series run
		{cmd: "sample", name: "from outside the span", args: []string{"sample", "{F}/ser/run", "--from", "-5", "--to", "1"}, code: 2, want: "not an observed time"},
		{cmd: "sample", name: "to outside the span", args: []string{"sample", "{F}/ser/run", "--from", "0", "--to", "1e308"}, code: 1, want: "outside the span"},
		{cmd: "sample", name: "from NaN", args: []string{"sample", "{F}/ser/run", "--from", "NaN", "--to", "1"}, code: 2, want: "not an observed time"},
		{cmd: "sample", name: "from not observed, no points", args: []string{"sample", "{F}/ser/run", "--from", "0.5", "--to", "2"}, code: 2, want: "--points"},
		{cmd: "sample", name: "backwards", args: []string{"sample", "{F}/ser/run", "--from", "3", "--to", "0"}, code: 0},
		{cmd: "sample", name: "from equals to", args: []string{"sample", "{F}/ser/run", "--from", "1", "--to", "1"}, code: 0},
		{cmd: "sample", name: "missing points file", args: []string{"sample", "{F}/ser/run", "--from", "0", "--to", "1", "--points", "csv:{F}/nope.csv"}, code: 1, want: "no such file"},
		{cmd: "sample", name: "points of another dimension", args: []string{"sample", "{F}/ser/run", "--from", "0", "--to", "1", "--points", "csv:{F}/ser/h.csv"}, code: 1, want: "column"},
		{cmd: "sample", name: "points with NaN", args: []string{"sample", "{F}/ser/run", "--from", "0", "--to", "1", "--points", "csv:{F}/nan.csv"}, code: 1, want: "NaN"},
		{cmd: "sample", name: "points header-only", args: []string{"sample", "{F}/ser/run", "--from", "0", "--to", "1", "--points", "csv:{F}/ser/header.csv"}, code: 1, want: "header.csv"},
		{cmd: "sample", name: "from on a plain run", args: []string{"sample", "{F}/run", "--from", "0", "--to", "1"}, code: 2, want: "series"},
		{cmd: "sample", name: "series output over the run", args: []string{"sample", "{F}/ser/run", "-o", "{F}/ser/run/model.ckpt"}, code: 1, want: "input of this command"},

		// eval
		{cmd: "eval", name: "nll on a series run", args: []string{"eval", "{F}/ser/run", "--nll", "-n", "4"}, code: 1, want: "series"},
		{cmd: "eval", name: "nll n 0", args: []string{"eval", "{F}/run", "--nll", "-n", "0"}, code: 2, want: "-n"},
		{cmd: "eval", name: "nll rtol 0", args: []string{"eval", "{F}/run", "--nll", "-n", "4", "--rtol", "0"}, code: 2, want: "must be positive"},
		{cmd: "eval", name: "nll rtol NaN", args: []string{"eval", "{F}/run", "--nll", "-n", "4", "--rtol", "NaN"}, code: 2, want: "must be positive"},
		{cmd: "eval", name: "nll huge target values", args: []string{"eval", "{F}/run", "--nll", "-n", "4", "--target", "csv:{F}/huge.csv"}, code: 1, want: "overflow"},
		{cmd: "eval", name: "nll OFM model", args: []string{"eval", "{F}/ofm", "--nll", "-n", "4"}, code: 1, want: "velocity-field"},
		{cmd: "eval", name: "nll json strict", args: []string{"eval", "{F}/run", "--nll", "-n", "4"}, code: 0, want: "out:nll", reject: "NaN"},

		// gen --lang torch
		{cmd: "gen", name: "unknown language", args: []string{"gen", "{EX}/harmonic.lag", "--lang", "cobol", "-o", "{T}/x"}, code: 2, want: "want go or torch"},
		{cmd: "gen", name: "torch over a foreign file", args: []string{"gen", "{EX}/harmonic.lag", "--lang", "torch", "-o", "{F}/notes.txt"}, code: 1, want: "force the overwrite"},
		{cmd: "gen", name: "torch into a missing directory", args: []string{"gen", "{EX}/harmonic.lag", "--lang", "torch", "-o", "{T}/no/h.py"}, code: 1, want: "no"},
		{cmd: "gen", name: "torch of a numeric Lagrangian", args: []string{"gen", "{EX}/pendulum.lag", "--lang", "torch", "-o", "{T}/p.py"}, code: 0},
		{cmd: "gen", name: "torch -p outside bounds", args: []string{"gen", "{F}/ser/w.lag", "--lang", "torch", "-p", "w=-1", "-o", "{T}/w.py"}, code: 1, want: "[0, 3]"},
		{cmd: "gen", name: "torch degenerate", args: []string{"gen", "{F}/degenerate.lag", "--lang", "torch", "-o", "{T}/d.py"}, code: 1, want: "degenerate"},
		{cmd: "gen", name: "torch bad type name", args: []string{"gen", "{EX}/harmonic.lag", "--lang", "torch", "-type", "1x", "-o", "{T}/x.py"}, code: 2, want: "type"},

		// export
		{cmd: "export", name: "series run", args: []string{"export", "{F}/ser/run", "-o", "{T}/s.npz"}, code: 1, want: "snapshot series", reject: `method is "fm"`},
		{cmd: "export", name: "over the input", args: []string{"export", "{F}/run", "-o", "{T}/run.npz"}, code: 0},
		{cmd: "export", name: "over itself with force", args: []string{"export", "{F}/junk.npz", "-o", "{F}/junk.npz", "-f"}, code: 1, want: "junk.npz"},
		{cmd: "export", name: "empty checkpoint", args: []string{"export", "{F}/empty.ckpt", "-o", "{T}/m.npz"}, code: 1, want: "checkpoint"},
		{cmd: "export", name: "flipped checkpoint", args: []string{"export", "{F}/flip.ckpt", "-o", "{T}/m.npz"}, code: 1, want: "checkpoint"},
		{cmd: "export", name: "missing checkpoint", args: []string{"export", "{F}/nope", "-o", "{T}/m.npz"}, code: 1, want: "no such file"},

		// path --t0 --t1
		{cmd: "path", name: "t0 NaN", args: []string{"path", "{EX}/kinetic.lag", "--x0", "0", "--x1", "1", "--t0", "NaN"}, code: 2, want: "t0"},
		{cmd: "path", name: "t1 Inf", args: []string{"path", "{EX}/kinetic.lag", "--x0", "0", "--x1", "1", "--t1", "Inf"}, code: 2, want: "t1"},
		{cmd: "path", name: "t0 equals t1", args: []string{"path", "{EX}/kinetic.lag", "--x0", "0", "--x1", "1", "--t0", "1", "--t1", "1"}, code: 2, want: "t1"},
		{cmd: "path", name: "interval ±1e308", args: []string{"path", "{EX}/kinetic.lag", "--x0", "0", "--x1", "1", "--t0", "-1e308", "--t1", "1e308"}, code: 2, want: "finite t1 − t0"},
		{cmd: "path", name: "interval 1e-300", args: []string{"path", "{EX}/kinetic.lag", "--x0", "0", "--x1", "1", "--t0", "0", "--t1", "1e-300"}, code: 1, want: "not finite"},
		{cmd: "path", name: "far interval", args: []string{"path", "{EX}/harmonic.lag", "--x0", "0", "--x1", "1", "--t0", "1e15", "--t1", "1e15+1"}, code: 2, want: "t1"},
		{cmd: "path", name: "shifted interval", args: []string{"path", "{EX}/kinetic.lag", "--x0", "0", "--x1", "1", "--t0", "1e6", "--t1", "1000001"}, code: 0, reject: "NaN"},

		// bounds in .lag files
		{cmd: "check", name: "value outside its bounds", args: []string{"check", "{F}/ser/wout.lag"}, code: 1, want: "wout.lag:1:"},
		{cmd: "check", name: "reversed bounds", args: []string{"check", "{F}/ser/wrev.lag"}, code: 1, want: "wrev.lag:1:"},
		{cmd: "check", name: "NaN bound", args: []string{"check", "{F}/ser/wnan.lag"}, code: 1, want: "wnan.lag:1:"},
		{cmd: "check", name: "unclosed bounds", args: []string{"check", "{F}/ser/wopen.lag"}, code: 1, want: "wopen.lag:1:"},
		{cmd: "check", name: "infinite bounds", args: []string{"check", "{F}/ser/winf.lag"}, code: 0},
		{cmd: "check", name: "bound 1/0", args: []string{"check", "{F}/ser/wexpr.lag"}, code: 0},
		{cmd: "check", name: "one bound", args: []string{"check", "{F}/ser/wnum.lag"}, code: 1, want: "wnum.lag:1:"},
		{cmd: "derive", name: "-p outside bounds", args: []string{"derive", "{F}/ser/w.lag", "-p", "w=3.5"}, code: 1, want: "[0, 3]"},
		{cmd: "path", name: "-p outside bounds", args: []string{"path", "{F}/ser/w.lag", "--x0", "0", "--x1", "1", "-p", "w=-0.1"}, code: 1, want: "[0, 3]"},
		{cmd: "path", name: "-p at the bound", args: []string{"path", "{F}/ser/w.lag", "--x0", "0", "--x1", "1", "-p", "w=3"}, code: 0, reject: "NaN"},
	}
}

func TestHostileNewCommands(t *testing.T) {
	runHostileTable(t, hostileSeriesFiles(t), hostileNewCases(), 60)
}
