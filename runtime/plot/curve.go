package plot

import (
	"fmt"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Curve writes y against x as a line with points (a loss profile along
// one parameter, say), with the axis labels given. Non-finite points are
// left out and counted in the title.
func Curve(path string, x, y []float64, xLabel, yLabel string, s *Settings) error {
	r, err := s.resolve(6*vg.Inch, 4*vg.Inch)
	if err != nil {
		return fmt.Errorf("plot %s: %v", path, err)
	}
	if err := checkFormat(path); err != nil {
		return err
	}
	if len(x) != len(y) || len(x) == 0 {
		return fmt.Errorf("plot %s: %d x and %d y values: need the same number, at least one", path, len(x), len(y))
	}
	pts := make(plotter.XYs, 0, len(x))
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsInf(x[i], 0) && !math.IsNaN(y[i]) && !math.IsInf(y[i], 0) {
			pts = append(pts, plotter.XY{X: x[i], Y: y[i]})
		}
	}
	if len(pts) == 0 {
		return fmt.Errorf("plot %s: no finite point to plot", path)
	}
	p := gplot.New()
	p.Title.Text = yLabel + " against " + xLabel
	if r.Title != "" {
		p.Title.Text = r.Title
	}
	if k := len(x) - len(pts); k > 0 {
		p.Title.Text += fmt.Sprintf(" (%d non-finite values not shown)", k)
	}
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	p.Add(plotter.NewGrid())
	line, points, err := plotter.NewLinePoints(pts)
	if err != nil {
		return fmt.Errorf("plot %s: %v", path, err)
	}
	line.Color, points.Color = endColor, endColor
	p.Add(line, points)
	return save(p, path, r)
}
