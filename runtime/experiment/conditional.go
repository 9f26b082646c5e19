package experiment

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/condflow"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/labeled"
	"github.com/lagc-dev/lagc/runtime/ot"
	"github.com/lagc-dev/lagc/runtime/plot"
)

// ConditionalSettings configure Conditional; nil means DefaultConditional.
type ConditionalSettings struct {
	// Data is a data spec for data.Open (a CSV or NumPy file); LabelCol is
	// its label column (negative counts from the end).
	Data     string
	LabelCol int
	// Holdout is the fraction of rows held out for evaluation.
	Holdout float64
	// Iters are the training iterations; Train the flow's settings.
	Iters int
	Train condflow.Settings
	// Grid, when not empty, is a PNG path for PerRow samples of every
	// class drawn as Height×Width images (one class per row), grey from 0
	// (black) to 16 (white), the range of the digits' pixels.
	Grid          string
	PerRow        int
	Height, Width int
	Seed          uint64
	// Log, when not nil, gets progress lines.
	Log io.Writer
}

// DefaultConditional is the digits experiment: ../shared/data/digits.csv.gz
// (1797 8×8 images, label in the last column), 20% held out, standardised
// pixels, kinetic paths, independent pairs, MLP 3×256 SELU, 5000 iterations.
func DefaultConditional() ConditionalSettings {
	tr := condflow.Defaults()
	tr.Hidden = []int{256, 256, 256}
	return ConditionalSettings{Data: "csv:../shared/data/digits.csv.gz", LabelCol: -1, Holdout: 0.2, Iters: 5000, Train: tr,
		PerRow: 10, Height: 8, Width: 8, Seed: 1}
}

// ConditionalClass is one class's evaluation, in data units.
type ConditionalClass struct {
	condflow.ClassW2
	// DataW2 is the W2 between as many training points of the class and
	// its held-out points: the value a perfect model would get, up to
	// sampling noise.
	DataW2 float64 `json:"data_w2"`
}

// ConditionalResult is what Conditional returns.
type ConditionalResult struct {
	Classes   []ConditionalClass `json:"classes"`
	TrainSecs float64            `json:"train_seconds"`
	Loss      float64            `json:"final_loss"` // mean of the last 100 iterations
}

// Validate checks the settings; its messages name concepts.
func (s *ConditionalSettings) Validate() error {
	switch {
	case s.Iters < 1:
		return errors.New("iterations must be at least 1")
	case !(s.Holdout > 0 && s.Holdout < 1):
		return fmt.Errorf("holdout fraction %v: must be strictly between 0 and 1", s.Holdout)
	case s.Grid != "" && (s.PerRow < 1 || s.Height < 1 || s.Width < 1):
		return fmt.Errorf("sample grid of %d images of %d×%d pixels per class: all must be positive", s.PerRow, s.Height, s.Width)
	}
	return nil
}

// Conditional trains a class-conditional flow on the labelled file and
// evaluates every class against its held-out points (exact W2 in data
// units), next to the W2 of the class's training points to the same
// held-out points.
func Conditional(s *ConditionalSettings) (*ConditionalResult, error) {
	set := DefaultConditional()
	if s != nil {
		set = *s
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	src, err := data.Open(set.Data, nil)
	if err != nil {
		return nil, err
	}
	tab, ok := src.(*data.Table)
	if !ok {
		return nil, fmt.Errorf("%s: class-conditional training needs a data file with a label column", set.Data)
	}
	col := set.LabelCol
	if col < 0 {
		col += tab.D
	}
	all, err := labeled.FromTable(tab, col)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(set.Seed, 7))
	train, test, err := all.Split(set.Holdout, rng)
	if err != nil {
		return nil, err
	}
	// Standardise with the training rows' statistics; report in data units.
	std := data.FitStandardizer(train.X)
	z := *train
	z.X = &data.Table{N: train.X.N, D: train.X.D, X: make([]float64, len(train.X.X)), Origin: train.X.Origin}
	std.Apply(z.X.X, train.X.X, train.X.N)
	d := train.X.D
	lag, err := eulerlag.Load("kinetic.lag", []byte("L = 0.5*|v|^2\n"), nil)
	if err != nil {
		return nil, err
	}
	sys, err := lag.Instantiate(d)
	if err != nil {
		return nil, err
	}
	ts := set.Train
	ts.Seed = set.Seed
	tr, err := condflow.NewTrainer(sys, data.Gaussian{}, &z, &ts)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	for k := range set.Iters {
		loss, err := tr.Iterate(nil)
		if err != nil {
			return nil, err
		}
		if set.Log != nil && (k+1)%1000 == 0 {
			fmt.Fprintf(set.Log, "iteration %d: loss %.4f (%.0f s)\n", k+1, loss, time.Since(start).Seconds())
		}
	}
	res := &ConditionalResult{TrainSecs: time.Since(start).Seconds()}
	last := tr.Loss[max(0, len(tr.Loss)-100):]
	for _, l := range last {
		res.Loss += l / float64(len(last))
	}
	net := tr.Model()
	sampleSet := &fm.SampleSettings{Solver: fm.RK4, Steps: 20}
	var grid []float64
	for k := range test.Classes() {
		ref := test.OfClass(k)
		if ref == nil {
			continue
		}
		n := ref.N
		if set.Grid != "" {
			n = max(n, set.PerRow)
		}
		x0 := make([]float64, n*d)
		data.Gaussian{}.Sample(x0, n, rng)
		out, err := condflow.Sample(net, k, x0, n, sampleSet)
		if err != nil {
			return nil, fmt.Errorf("class %v: %w", test.Labels[k], err)
		}
		x := out.X
		std.Invert(x, x, n)
		if set.Grid != "" {
			grid = append(grid, x[:set.PerRow*d]...)
		}
		m := ref.N
		cell := ConditionalClass{ClassW2: condflow.ClassW2{Label: test.Labels[k], N: m}}
		if cell.W2, err = ot.W2(x[:m*d], m, ref.X, m, d); err != nil {
			return nil, err
		}
		if other := test.OfClass((k + 1) % test.Classes()); other != nil {
			o := min(m, other.N)
			if cell.W2Other, err = ot.W2(x[:o*d], o, other.X[:o*d], o, d); err != nil {
				return nil, err
			}
		}
		if own := train.OfClass(k); own != nil {
			o := min(m, own.N)
			if cell.DataW2, err = ot.W2(own.X[:o*d], o, ref.X[:o*d], o, d); err != nil {
				return nil, err
			}
		}
		res.Classes = append(res.Classes, cell)
	}
	if set.Grid != "" {
		if set.Height*set.Width != d {
			return res, fmt.Errorf("images of %d×%d pixels do not have the data's %d values", set.Height, set.Width, d)
		}
		if err := plot.ImageGrid(set.Grid, grid, len(grid)/(set.PerRow*d), set.PerRow, set.Height, set.Width, 0, 16, 4); err != nil {
			return res, err
		}
	}
	return res, nil
}

// WriteConditionalTable prints the per-class W2 table.
func WriteConditionalTable(w io.Writer, r *ConditionalResult) error {
	fmt.Fprintln(w, "| class | held-out n | W2 samples → own class | W2 train → held-out (floor) | W2 samples → next class |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- |")
	for _, c := range r.Classes {
		if _, err := fmt.Fprintf(w, "| %v | %d | %.2f | %.2f | %.2f |\n", c.Label, c.N, c.W2, c.DataW2, c.W2Other); err != nil {
			return err
		}
	}
	return nil
}
