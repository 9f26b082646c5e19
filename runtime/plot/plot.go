package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/lagc-dev/lagc/internal/atomicfile"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Settings are the options shared by the plots. The zero value (or nil)
// gives a 5-inch figure (6 × 4 inches for Loss) at 128 dots per inch, so
// 640 × 640 pixels as PNG.
type Settings struct {
	// Title replaces the default title.
	Title string
	// Width and Height are the figure size; 0 means the default.
	Width, Height vg.Length
	// DPI is the PNG resolution in dots per inch; 0 means 128.
	DPI int
	// MaxPaths caps the paths Trajectories draws, strided evenly over the
	// particles; 0 means 256.
	MaxPaths int
}

const (
	defaultDPI      = 128
	defaultMaxPaths = 256
)

// Colours: the target in light grey under the samples in translucent blue,
// so that where the model misses the target shows as grey.
var (
	targetColor = color.NRGBA{R: 150, G: 150, B: 150, A: 255}
	sampleColor = color.NRGBA{R: 31, G: 90, B: 200, A: 150}
	startColor  = color.NRGBA{A: 255}
	endColor    = color.NRGBA{R: 31, G: 90, B: 200, A: 255}
	rawColor    = color.NRGBA{R: 160, G: 190, B: 235, A: 255}
	earlyColor  = color.NRGBA{R: 31, G: 90, B: 200, A: 255}
	lateColor   = color.NRGBA{R: 200, G: 30, B: 30, A: 255}
)

// resolve fills in the defaults and checks the settings.
func (s *Settings) resolve(w, h vg.Length) (Settings, error) {
	var r Settings
	if s != nil {
		r = *s
	}
	if r.Width == 0 {
		r.Width = w
	}
	if r.Height == 0 {
		r.Height = h
	}
	if r.DPI == 0 {
		r.DPI = defaultDPI
	}
	if r.MaxPaths == 0 {
		r.MaxPaths = defaultMaxPaths
	}
	if r.Width < 0 || r.Height < 0 || r.DPI < 0 || r.MaxPaths < 0 {
		return r, fmt.Errorf("figure %v × %v at %d dpi, %d paths: sizes must be positive", r.Width, r.Height, r.DPI, r.MaxPaths)
	}
	// A figure wider than a poster is a unit mistake, and its pixels would
	// be allocated in one piece.
	if r.Width > 100*vg.Inch || r.Height > 100*vg.Inch || r.DPI > 2400 {
		return r, fmt.Errorf("figure %.0f × %.0f points at %d dpi is too large (width and height are in points: 1 inch = 72)", float64(r.Width), float64(r.Height), r.DPI)
	}
	return r, nil
}

// Samples writes a scatter plot of n generated samples over m target points
// (either may be 0, not both), both with d coordinates per row. For d > 2
// it plots the first two coordinates and says so in the title. Points with
// non-finite coordinates are left out and counted in the title. The format
// follows the extension of path: .png or .svg.
func Samples(path string, samples, target []float64, n, m, d int, s *Settings) error {
	r, err := s.resolve(5*vg.Inch, 5*vg.Inch)
	if err != nil {
		return fmt.Errorf("plot %s: %v", path, err)
	}
	if err := checkFormat(path); err != nil {
		return err
	}
	switch {
	case d < 2:
		return fmt.Errorf("plot %s: points of dimension %d: a scatter plot needs at least 2 coordinates", path, d)
	case n < 0 || m < 0 || n+m == 0:
		return fmt.Errorf("plot %s: %d samples and %d target points: nothing to plot", path, n, m)
	case len(samples) < n*d || len(target) < m*d:
		return fmt.Errorf("plot %s: %d sample values for %d×%d, %d target values for %d×%d: too few", path, len(samples), n, d, len(target), m, d)
	}
	p := gplot.New()
	title := "samples over target"
	if r.Title != "" {
		title = r.Title
	}
	if d > 2 {
		title += fmt.Sprintf(" (coordinates 1 and 2 of %d)", d)
	}
	var dropped int
	tgt, k := firstTwo(target, m, d)
	dropped += k
	smp, k := firstTwo(samples, n, d)
	dropped += k
	if dropped > 0 {
		title += fmt.Sprintf(", %d non-finite points not shown", dropped)
	}
	p.Title.Text = title
	p.X.Label.Text = "x₁"
	p.Y.Label.Text = "x₂"
	for _, set := range []struct {
		xys   plotter.XYs
		name  string
		color color.Color
		size  vg.Length
	}{{tgt, "target", targetColor, 1.2}, {smp, "samples", sampleColor, 1.2}} {
		if len(set.xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(set.xys)
		if err != nil {
			return fmt.Errorf("plot %s: %v", path, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: set.color, Radius: set.size, Shape: draw.CircleGlyph{}}
		p.Add(sc)
		p.Legend.Add(set.name, sc)
	}
	squareAxes(p, tgt, smp)
	p.Legend.Top = true
	return save(p, path, r)
}

// firstTwo returns the first two coordinates of the finite rows of x, and
// how many rows were not finite.
func firstTwo(x []float64, n, d int) (plotter.XYs, int) {
	xys := make(plotter.XYs, 0, n)
	for i := 0; i < n; i++ {
		row := x[i*d : (i+1)*d]
		if !finite(row) {
			continue
		}
		xys = append(xys, plotter.XY{X: row[0], Y: row[1]})
	}
	return xys, n - len(xys)
}

func finite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// squareAxes gives both axes the same range, padded by 5%, so that circles
// look round in a square figure.
func squareAxes(p *gplot.Plot, sets ...plotter.XYs) {
	xmin, xmax := math.Inf(1), math.Inf(-1)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, set := range sets {
		for _, q := range set {
			xmin, xmax = math.Min(xmin, q.X), math.Max(xmax, q.X)
			ymin, ymax = math.Min(ymin, q.Y), math.Max(ymax, q.Y)
		}
	}
	if xmin > xmax {
		return // nothing finite to show; gonum picks a default range
	}
	// The 1e-9 keeps a single point from giving an empty range.
	half := math.Max(xmax-xmin, ymax-ymin)/2*1.05 + 1e-9
	mx, my := (xmin+xmax)/2, (ymin+ymax)/2
	p.X.Min, p.X.Max = mx-half, mx+half
	p.Y.Min, p.Y.Max = my-half, my+half
}

// Trajectories writes the paths of particles through time: traj[k] holds
// the n particles (d coordinates each, the first two plotted) at times[k].
// Each path is drawn as segments coloured by time from blue through purple
// to red, with its start as a black dot and its end as a red one. At most s.MaxPaths paths are drawn, strided
// evenly over the particles.
func Trajectories(path string, traj [][]float64, times []float64, n, d int, s *Settings) error {
	r, err := s.resolve(5*vg.Inch, 5*vg.Inch)
	if err != nil {
		return fmt.Errorf("plot %s: %v", path, err)
	}
	if err := checkFormat(path); err != nil {
		return err
	}
	switch {
	case len(traj) < 2 || len(traj) != len(times):
		return fmt.Errorf("plot %s: %d time steps and %d times: need the same number, at least 2", path, len(traj), len(times))
	case d < 2:
		return fmt.Errorf("plot %s: points of dimension %d: a path plot needs at least 2 coordinates", path, d)
	case n < 1:
		return fmt.Errorf("plot %s: %d particles: nothing to plot", path, n)
	}
	for k, x := range traj {
		if len(x) < n*d {
			return fmt.Errorf("plot %s: time step %d has %d values, too few for %d×%d", path, k, len(x), n, d)
		}
		if math.IsNaN(times[k]) || math.IsInf(times[k], 0) || (k > 0 && times[k] <= times[k-1]) {
			return fmt.Errorf("plot %s: times must be finite and increasing; times[%d] = %v after %v", path, k, times[k], times[max(k-1, 0)])
		}
	}
	paths := min(n, r.MaxPaths)
	rows := make([]int, paths)
	for i := range rows {
		rows[i] = i * n / paths
	}
	tp := &timePaths{traj: traj, times: times, rows: rows, d: d}

	p := gplot.New()
	p.Title.Text = fmt.Sprintf("paths, colour = time from %g (blue) to %g (red)", times[0], times[len(times)-1])
	if r.Title != "" {
		p.Title.Text = r.Title
	}
	if d > 2 {
		p.Title.Text += fmt.Sprintf(" (coordinates 1 and 2 of %d)", d)
	}
	p.X.Label.Text = "x₁"
	p.Y.Label.Text = "x₂"
	p.Add(tp)
	ends := []struct {
		step  int
		name  string
		color color.Color
	}{{0, fmt.Sprintf("t = %g", times[0]), startColor}, {len(traj) - 1, fmt.Sprintf("t = %g", times[len(times)-1]), lateColor}}
	var all []plotter.XYs
	for _, e := range ends {
		xys := make(plotter.XYs, 0, paths)
		for _, i := range rows {
			row := traj[e.step][i*d : (i+1)*d]
			if finite(row) {
				xys = append(xys, plotter.XY{X: row[0], Y: row[1]})
			}
		}
		all = append(all, xys)
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return fmt.Errorf("plot %s: %v", path, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: e.color, Radius: 1.5, Shape: draw.CircleGlyph{}}
		p.Add(sc)
		p.Legend.Add(e.name, sc)
	}
	all = append(all, tp.points())
	squareAxes(p, all...)
	p.Legend.Top = true
	return save(p, path, r)
}

// timeColor maps f in [0, 1] linearly from earlyColor to lateColor. The
// straight line through RGB passes through purple, which stays visible on
// white; diverging maps fade to white in the middle and hide mid-time
// segments.
func timeColor(f float64) color.Color {
	f = math.Max(0, math.Min(1, f))
	mix := func(a, b uint8) uint8 { return uint8(math.Round((1-f)*float64(a) + f*float64(b))) }
	return color.NRGBA{
		R: mix(earlyColor.R, lateColor.R),
		G: mix(earlyColor.G, lateColor.G),
		B: mix(earlyColor.B, lateColor.B),
		A: 255,
	}
}

// timePaths draws particle paths as line segments coloured by the time at
// their midpoint.
type timePaths struct {
	traj  [][]float64
	times []float64
	rows  []int
	d     int
}

// Plot implements gonum's plot.Plotter.
func (tp *timePaths) Plot(c draw.Canvas, plt *gplot.Plot) {
	trX, trY := plt.Transforms(&c)
	line := make([]vg.Point, 2)
	for k := 0; k+1 < len(tp.traj); k++ {
		t0, t1 := tp.times[0], tp.times[len(tp.times)-1]
		col := timeColor(((tp.times[k]+tp.times[k+1])/2 - t0) / (t1 - t0))
		a, b := tp.traj[k], tp.traj[k+1]
		for _, i := range tp.rows {
			p, q := a[i*tp.d:i*tp.d+2], b[i*tp.d:i*tp.d+2]
			if !finite(p) || !finite(q) {
				continue
			}
			line[0] = vg.Point{X: trX(p[0]), Y: trY(p[1])}
			line[1] = vg.Point{X: trX(q[0]), Y: trY(q[1])}
			c.StrokeLines(draw.LineStyle{Color: col, Width: 0.6}, c.ClipLinesXY(line)...)
		}
	}
}

// points returns every finite plotted point, for the axis ranges.
func (tp *timePaths) points() plotter.XYs {
	var xys plotter.XYs
	for _, x := range tp.traj {
		for _, i := range tp.rows {
			row := x[i*tp.d : i*tp.d+2]
			if finite(row) {
				xys = append(xys, plotter.XY{X: row[0], Y: row[1]})
			}
		}
	}
	return xys
}

// Loss writes the training loss against the step on a logarithmic y axis:
// the raw values in light blue and their running mean over a window of 1%
// of the steps in dark blue, so that the trend shows through the
// minibatch noise. Non-positive and non-finite values cannot be placed on
// a log axis; they are left out and counted in the title.
func Loss(path string, steps []int, loss []float64, s *Settings) error {
	r, err := s.resolve(6*vg.Inch, 4*vg.Inch)
	if err != nil {
		return fmt.Errorf("plot %s: %v", path, err)
	}
	if err := checkFormat(path); err != nil {
		return err
	}
	if len(steps) != len(loss) || len(loss) == 0 {
		return fmt.Errorf("plot %s: %d steps and %d loss values: need the same number, at least one", path, len(steps), len(loss))
	}
	raw := make(plotter.XYs, 0, len(loss))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, v := range loss {
		if v > 0 && !math.IsInf(v, 0) {
			raw = append(raw, plotter.XY{X: float64(steps[i]), Y: v})
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if len(raw) == 0 {
		return fmt.Errorf("plot %s: no positive finite loss value to plot on a log axis", path)
	}
	p := gplot.New()
	p.Title.Text = "training loss"
	if r.Title != "" {
		p.Title.Text = r.Title
	}
	if k := len(loss) - len(raw); k > 0 {
		p.Title.Text += fmt.Sprintf(" (%d non-positive or non-finite values not shown)", k)
	}
	p.X.Label.Text = "step"
	p.Y.Label.Text = "loss"
	p.Y.Scale = gplot.LogScale{}
	p.Y.Tick.Marker = gplot.LogTicks{Prec: -1}
	if lo == hi {
		// A log axis needs a range; give a constant loss a decade around it.
		lo, hi = lo/math.Sqrt(10), hi*math.Sqrt(10)
	}
	// Keep the axis positive and finite at the ends of float64's range: a
	// diverged run's loss can be 1e300 or a denormal.
	lo = math.Max(lo, math.SmallestNonzeroFloat64)
	hi = math.Min(hi, math.MaxFloat64)
	p.Y.Min, p.Y.Max = lo, hi
	p.Add(plotter.NewGrid())

	rawLine, err := plotter.NewLine(raw)
	if err != nil {
		return fmt.Errorf("plot %s: %v", path, err)
	}
	rawLine.Color = rawColor
	p.Add(rawLine)
	if w := len(raw) / 100; w > 1 {
		smooth := make(plotter.XYs, 0, len(raw))
		var sum float64
		for i, q := range raw {
			sum += q.Y
			if i >= w {
				sum -= raw[i-w].Y
			}
			// A window's mean lies between the smallest and largest loss;
			// the running sum can leave that range when the values span
			// hundreds of decades (cancellation, overflow to +Inf, Inf−Inf),
			// and a log axis must never see a value ≤ 0.
			m := sum / float64(min(i+1, w))
			if math.IsNaN(m) {
				sum = 0
				for _, r := range raw[max(0, i-w+1) : i+1] {
					sum += r.Y
				}
				m = sum / float64(min(i+1, w))
			}
			if math.IsNaN(m) {
				continue
			}
			smooth = append(smooth, plotter.XY{X: q.X, Y: math.Min(math.Max(m, lo), hi)})
		}
		line, err := plotter.NewLine(smooth)
		if err != nil {
			return fmt.Errorf("plot %s: %v", path, err)
		}
		line.Color = endColor
		line.Width = 1.5
		p.Add(line)
		p.Legend.Add(fmt.Sprintf("mean of %d", w), line)
	}
	p.Legend.Add("loss", rawLine)
	p.Legend.Top = true
	return save(p, path, r)
}

// checkFormat rejects extensions other than .png and .svg before any work.
func checkFormat(path string) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".svg":
		return nil
	}
	return fmt.Errorf("plot %s: unknown image format %q; name the file .png or .svg", path, filepath.Ext(path))
}

// save renders p in the format of path's extension and writes it
// atomically: a temporary file in the same directory renamed over path, so
// that a plot being watched is never seen half-written.
func save(p *gplot.Plot, path string, r Settings) error {
	var out io.WriterTo
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		c := vgimg.NewWith(vgimg.UseWH(r.Width, r.Height), vgimg.UseDPI(r.DPI))
		p.Draw(draw.New(c))
		out = vgimg.PngCanvas{Canvas: c}
	case ".svg":
		c := vgsvg.New(r.Width, r.Height)
		p.Draw(draw.New(c))
		out = c
	default:
		return checkFormat(path)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := out.WriteTo(w)
		return err
	})
}
