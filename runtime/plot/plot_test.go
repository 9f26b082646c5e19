package plot

import (
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// moonsLike returns n points on two noisy arcs in d dimensions.
func moonsLike(n, d int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 3))
	x := make([]float64, n*d)
	for i := 0; i < n; i++ {
		s := math.Pi * rng.Float64()
		cx, cy := math.Cos(s), math.Sin(s)
		if i%2 == 1 {
			cx, cy = 1-cx, 0.5-cy
		}
		x[i*d] = 3*cx + 0.2*rng.NormFloat64()
		x[i*d+1] = 3*cy + 0.2*rng.NormFloat64()
		for j := 2; j < d; j++ {
			x[i*d+j] = rng.NormFloat64()
		}
	}
	return x
}

// pixelStats decodes a PNG and counts pixels that are not near-white, and
// among them bluish (blue clearly above red), reddish and grey ones.
type pixelStats struct {
	w, h                      int
	blue, red, grey, nonWhite int
}

func readPNG(t *testing.T, path string) pixelStats {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s does not decode as PNG: %v", path, err)
	}
	b := img.Bounds()
	st := pixelStats{w: b.Dx(), h: b.Dy()}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if r > 240 && g > 240 && bl > 240 {
				continue
			}
			st.nonWhite++
			switch {
			case bl > r+60:
				st.blue++
			case r > bl+60:
				st.red++
			case max(r, g, bl)-min(r, g, bl) < 20 && r > 100:
				st.grey++
			}
		}
	}
	return st
}

func checkClean(t *testing.T, dir string, want int) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	if len(entries) != want {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want %d files (temporary files left behind?)", names, want)
	}
}

func TestSamplesPNG(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		d    int
		s    *Settings
		w, h int
	}{
		{"default.png", 2, nil, 640, 640},
		{"highdim.png", 5, nil, 640, 640},
		{"custom.png", 2, &Settings{Width: 4 * vg.Inch, Height: 3 * vg.Inch, DPI: 50, Title: "mine"}, 200, 150},
	} {
		path := filepath.Join(dir, tc.name)
		target := moonsLike(2000, tc.d, 1)
		samples := moonsLike(2000, tc.d, 2)
		for i := 0; i < 2000*tc.d; i += tc.d {
			samples[i] += 0.5 // offset so the grey target shows beside the blue
		}
		if err := Samples(path, samples, target, 2000, 2000, tc.d, tc.s); err != nil {
			t.Fatal(err)
		}
		st := readPNG(t, path)
		if st.w != tc.w || st.h != tc.h {
			t.Errorf("%s: %d×%d pixels, want %d×%d", tc.name, st.w, st.h, tc.w, tc.h)
		}
		// Samples in blue and target in grey both cover a visible area.
		area := st.w * st.h
		if st.blue < area/200 || st.grey < area/200 {
			t.Errorf("%s: %d blue and %d grey pixels of %d, want both above 0.5%%", tc.name, st.blue, st.grey, area)
		}
	}
	checkClean(t, dir, 3)
}

func TestSamplesSVGAndNonFinite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.svg")
	x := moonsLike(100, 2, 1)
	x[0] = math.NaN()
	x[3] = math.Inf(1)
	if err := Samples(path, x, nil, 100, 0, 2, nil); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "<svg") || !strings.Contains(string(raw), "2 non-finite points not shown") {
		t.Errorf("SVG lacks <svg or the note on the two non-finite points")
	}
}

func TestTrajectoriesPNG(t *testing.T) {
	dir := t.TempDir()
	const n, d, steps = 500, 2, 21
	x0, x1 := moonsLike(n, d, 1), moonsLike(n, d, 2)
	traj := make([][]float64, steps)
	times := make([]float64, steps)
	for k := range traj {
		tk := float64(k) / (steps - 1)
		times[k] = tk
		traj[k] = make([]float64, n*d)
		for i := range traj[k] {
			// A curved path: straight interpolation plus a bump.
			traj[k][i] = (1-tk)*x0[i]*0.3 + tk*x1[i] + math.Sin(math.Pi*tk)
		}
	}
	path := filepath.Join(dir, "t.png")
	if err := Trajectories(path, traj, times, n, d, &Settings{MaxPaths: 100}); err != nil {
		t.Fatal(err)
	}
	st := readPNG(t, path)
	if st.w != 640 || st.h != 640 {
		t.Errorf("%d×%d pixels, want 640×640", st.w, st.h)
	}
	// Early segments are blue, late ones red.
	if area := st.w * st.h; st.blue < area/400 || st.red < area/400 {
		t.Errorf("%d blue and %d red pixels of %d: the time colouring is missing", st.blue, st.red, area)
	}
	checkClean(t, dir, 1)
}

func TestLossPNG(t *testing.T) {
	dir := t.TempDir()
	const n = 2000
	steps := make([]int, n)
	loss := make([]float64, n)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range steps {
		steps[i] = i + 1
		loss[i] = 2 * math.Exp(-float64(i)/400) * (1 + 0.3*rng.Float64())
	}
	loss[5] = 0 // cannot be shown on a log axis
	path := filepath.Join(dir, "loss.png")
	if err := Loss(path, steps, loss, nil); err != nil {
		t.Fatal(err)
	}
	st := readPNG(t, path)
	if st.w != 768 || st.h != 512 {
		t.Errorf("%d×%d pixels, want 768×512", st.w, st.h)
	}
	if st.blue < st.w*st.h/400 {
		t.Errorf("%d blue pixels: the loss curve is missing", st.blue)
	}
	// A constant loss still gets an axis range.
	if err := Loss(filepath.Join(dir, "flat.svg"), []int{1, 2}, []float64{0.5, 0.5}, nil); err != nil {
		t.Errorf("constant loss: %v", err)
	}
}

func TestPlotErrors(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	x := moonsLike(10, 2, 1)
	traj := [][]float64{x, x}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"format", Samples(p("a.jpg"), x, x, 10, 10, 2, nil), `unknown image format ".jpg"`},
		{"1-D", Samples(p("a.png"), x, x, 10, 10, 1, nil), "needs at least 2 coordinates"},
		{"empty", Samples(p("a.png"), nil, nil, 0, 0, 2, nil), "nothing to plot"},
		{"short", Samples(p("a.png"), x, x, 11, 10, 2, nil), "too few"},
		{"size", Samples(p("a.png"), x, x, 10, 10, 2, &Settings{Width: -1}), "must be positive"},
		{"huge", Samples(p("a.png"), x, x, 10, 10, 2, &Settings{Width: 1e6}), "too large"},
		{"no dir", Samples(p("missing/a.png"), x, x, 10, 10, 2, nil), "no such file"},
		{"times", Trajectories(p("t.png"), traj, []float64{0}, 10, 2, nil), "2 time steps and 1 times"},
		{"order", Trajectories(p("t.png"), traj, []float64{1, 0}, 10, 2, nil), "increasing"},
		{"step short", Trajectories(p("t.png"), [][]float64{x, x[:5]}, []float64{0, 1}, 10, 2, nil), "time step 1 has 5 values"},
		{"loss lengths", Loss(p("l.png"), []int{1}, []float64{1, 2}, nil), "1 steps and 2 loss values"},
		{"loss nonpositive", Loss(p("l.png"), []int{1, 2}, []float64{0, math.NaN()}, nil), "no positive finite loss"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want one containing %q", tc.name, tc.err, tc.want)
		}
	}
	checkClean(t, dir, 0)
}

func BenchmarkSamplesPNG(b *testing.B) {
	dir := b.TempDir()
	x, y := moonsLike(2048, 2, 1), moonsLike(2048, 2, 2)
	for b.Loop() {
		if err := Samples(filepath.Join(dir, "b.png"), x, y, 2048, 2048, 2, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSamplesDegenerate(t *testing.T) {
	dir := t.TempDir()
	nan := math.NaN()
	for _, tc := range []struct {
		name    string
		samples []float64
		n       int
	}{
		{"one.png", []float64{1, 2}, 1},
		{"same.png", []float64{1, 2, 1, 2}, 2},
		{"allnan.png", []float64{nan, nan, nan, 0}, 2},
	} {
		path := filepath.Join(dir, tc.name)
		if err := Samples(path, tc.samples, nil, tc.n, 0, 2, nil); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if st := readPNG(t, path); st.nonWhite == 0 {
			t.Errorf("%s: blank image", tc.name)
		}
	}
}

// TestLossDiverged draws losses of a diverged run, spanning float64's whole
// range with zeros, infinities and NaNs among them: the log axis must get
// only positive finite values (gonum/plot panics otherwise), and the curve
// must still be drawn.
func TestLossDiverged(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]float64{
		"exploding":  {1, 10, 1e10, 1e100, 1e300, math.MaxFloat64, math.Inf(1), math.NaN(), 1e308, 1e-300},
		"denormal":   {5e-324, 5e-324},
		"huge flat":  {math.MaxFloat64, math.MaxFloat64},
		"mixed sign": {-1, 0, 2, -3, 4},
	}
	// A long run whose running sum cancels catastrophically.
	long := make([]float64, 1000)
	for i := range long {
		long[i] = 1e-3
		if i%97 == 0 {
			long[i] = 1e300
		}
	}
	cases["cancelling window"] = long
	for name, loss := range cases {
		t.Run(name, func(t *testing.T) {
			steps := make([]int, len(loss))
			for i := range steps {
				steps[i] = i + 1
			}
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".png")
			if err := Loss(path, steps, loss, nil); err != nil {
				t.Fatal(err)
			}
			if st := readPNG(t, path); st.blue == 0 {
				t.Error("no loss curve drawn")
			}
		})
	}
}
