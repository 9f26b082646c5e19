package run

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/labeled"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/series"
	"github.com/lagc-dev/lagc/runtime/seriesfm"
)

// Spec is what a run trains on and for how long, whatever the method: the
// Lagrangian, the data, the method's name, the seed and the iterations. The
// method's own hyperparameters are not here (fm.Settings).
type Spec struct {
	// Lagrangian is the .lag source text and LagrangianFile where it came
	// from; Params overrides its parameters.
	Lagrangian     string             `json:"lagrangian"`
	LagrangianFile string             `json:"lagrangian_file"`
	Params         map[string]float64 `json:"params,omitempty"`

	// Source and Target are data specs for data.Open ("gaussian", "moons",
	// "csv:PATH", …). Dim is the dimension of any-dimension sets.
	Source string `json:"source"`
	Target string `json:"target"`
	Dim    int    `json:"dim"`
	// Columns and Standardize apply to file targets.
	Columns     string `json:"columns,omitempty"`
	Standardize bool   `json:"standardize,omitempty"`
	// Holdout is the fraction of a file target held out for evaluation.
	Holdout float64 `json:"holdout,omitempty"`
	// LabelColumn is the class label column of a file target (among its
	// Columns; negative counts from the end) for the methods that train on
	// labelled data (Registration.Labelled), which condition on it; the
	// other columns are the points. Other methods ignore it.
	LabelColumn int `json:"label_column,omitempty"`

	// Snapshots, when not empty, is a snapshot series to train on instead
	// of Source and Target (series.Load: "csv:PATH", "npy:PATH"), with its
	// time column TimeColumn and features Columns; Standardize applies to
	// its features. LeaveOut, when set, is the index of an interior time
	// left out of training.
	Snapshots  string `json:"snapshots,omitempty"`
	TimeColumn string `json:"time_column,omitempty"`
	LeaveOut   *int   `json:"leave_out,omitempty"`

	// Method names a registered training method (Methods).
	Method string `json:"method"`
	Seed   uint64 `json:"seed"`
	// Iters is the number of iterations the run trains to.
	Iters int `json:"iters"`
}

// DefaultSpec is the run of `lagc train` with no flags: the kinetic
// Lagrangian (OT flow matching) from a standard normal to moons.
func DefaultSpec() Spec {
	return Spec{
		Lagrangian:     "L = 0.5*|v|^2\n",
		LagrangianFile: "kinetic.lag",
		Source:         "gaussian",
		Target:         "moons",
		Method:         "fm",
		Seed:           1,
		Iters:          20000,
	}
}

// ReadLagrangian sets the Lagrangian from a file.
func (s *Spec) ReadLagrangian(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	src, err := ReadSource(f, path)
	if err != nil {
		return err
	}
	s.Lagrangian, s.LagrangianFile = string(src), path
	return nil
}

// Validate checks the numbers of the spec; its messages name concepts.
func (s *Spec) Validate() error {
	var errs []string
	if s.Iters < 0 {
		errs = append(errs, fmt.Sprintf("iterations %d: must not be negative", s.Iters))
	}
	if s.Dim < 0 {
		errs = append(errs, fmt.Sprintf("dimension %d: must be positive (or 0 for the data's)", s.Dim))
	}
	if !(s.Holdout >= 0 && s.Holdout < 1) {
		errs = append(errs, fmt.Sprintf("holdout fraction %v: must be in [0, 1)", s.Holdout))
	}
	if reg, err := lookup(s.Method); err != nil {
		errs = append(errs, err.Error())
	} else if s.Snapshots != "" && reg.OnSeries == nil {
		errs = append(errs, fmt.Sprintf("training method %q does not train on snapshot series; %s does", reg.Name, seriesMethods()))
	}
	if s.Snapshots != "" && s.Holdout != 0 {
		errs = append(errs, "holdout fraction: a snapshot series is evaluated by leaving a time out, not by holding rows out")
	}
	if s.Snapshots == "" && (s.LeaveOut != nil || s.TimeColumn != "") {
		errs = append(errs, "the leave-out time and the time column apply to snapshot series only")
	}
	if s.LeaveOut != nil && *s.LeaveOut < 1 {
		errs = append(errs, fmt.Sprintf("%v %d: want an interior time (1 or more; the first and last times bound the span)", seriesfm.ErrLeaveOut, *s.LeaveOut))
	}
	for name, v := range s.Params {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Sprintf("parameter %s = %v: must be finite", name, v))
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// Data is what a Spec describes, built: the compiled Lagrangian at the
// data's dimension and the data.
type Data struct {
	Sys      lagrangian.System
	Src, Tgt data.Sampler
	// Holdout is the held-out part of a file target (nil for built-ins,
	// whose fresh samples serve instead).
	Holdout *data.Table
	// Std maps standardized samples back to the data's units (nil when the
	// target is not standardized).
	Std *data.Standardizer
	Dim int
	// Series is the snapshot series of a Spec with Snapshots (Src and Tgt
	// are then nil), standardized when the Spec says so.
	Series *series.Series
	// Labelled and LabelledHoldout are the training and held-out points of
	// a labelled target with their classes (nil for unlabelled methods);
	// Tgt and Holdout are then their points without labels.
	Labelled, LabelledHoldout *labeled.Set
}

// Build opens the data and compiles the Lagrangian at their dimension.
func (s *Spec) Build() (*Data, error) {
	dt := &Data{}
	if s.Snapshots != "" {
		ser, err := series.Load(s.Snapshots, &series.LoadSettings{TimeColumn: s.TimeColumn, Columns: s.Columns})
		if err != nil {
			return nil, err
		}
		if s.LeaveOut != nil {
			if err := seriesfm.CheckLeaveOut(*s.LeaveOut, ser.Len()); err != nil {
				return nil, err
			}
		}
		if s.Standardize {
			dt.Std = ser.Standardize()
		}
		dt.Series, dt.Dim = ser, ser.D
		return dt, s.compile(dt)
	}
	tgt, err := data.Open(s.Target, &data.Settings{Dim: s.Dim, Columns: s.Columns})
	if err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	if err := checkMagnitude(tgt); err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	dt.Dim, dt.Tgt = tgt.Dim(), tgt
	if reg, _ := lookup(s.Method); reg.Labelled {
		if err := s.buildLabelled(dt, tgt); err != nil {
			return nil, err
		}
	} else if tab, ok := tgt.(*data.Table); ok {
		if s.Standardize {
			tab, dt.Std = tab.Standardize()
		}
		if s.Holdout > 0 {
			train, test, err := tab.Split(s.Holdout, rand.New(rand.NewPCG(s.Seed, 7)))
			if err != nil {
				return nil, fmt.Errorf("target: holdout %g: %w", s.Holdout, err)
			}
			tab, dt.Holdout = train, test
		}
		dt.Tgt = tab
	} else if s.Standardize || s.Holdout > 0 {
		return nil, fmt.Errorf("standardizing and holding out apply to file targets (csv:PATH, npy:PATH), not to the built-in %q", s.Target)
	}
	src, err := data.Open(s.Source, &data.Settings{Dim: dt.Dim})
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	if err := checkMagnitude(src); err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	if src.Dim() != dt.Dim {
		return nil, fmt.Errorf("the source %q has dimension %d but the target %q has %d", s.Source, src.Dim(), s.Target, dt.Dim)
	}
	dt.Src = src
	return dt, s.compile(dt)
}

// compile sets dt.Sys: the Lagrangian at the data's dimension.
func (s *Spec) compile(dt *Data) error {
	sys, err := eulerlag.Load(s.LagrangianFile, []byte(s.Lagrangian), s.Params)
	if err != nil {
		return err
	}
	if dt.Sys, err = sys.Instantiate(dt.Dim); err != nil {
		return fmt.Errorf("%s: %w", s.LagrangianFile, err)
	}
	if dt.Sys.Dim() != dt.Dim {
		return fmt.Errorf("%s fixes the dimension to %d but the data have %d columns", s.LagrangianFile, dt.Sys.Dim(), dt.Dim)
	}
	return nil
}

// buildLabelled splits the file target tgt into points and class labels,
// standardizes the points and holds some out as Build does unlabelled
// targets, every row keeping its label.
func (s *Spec) buildLabelled(dt *Data, tgt data.Sampler) error {
	tab, ok := tgt.(*data.Table)
	if !ok {
		return fmt.Errorf("class-conditional training needs a data file with a label column (csv:PATH, npy:PATH), not the built-in %q", s.Target)
	}
	col := s.LabelColumn
	if col < 0 {
		col += tab.D
	}
	set, err := labeled.FromTable(tab, col)
	if err != nil {
		return fmt.Errorf("target: %w", err)
	}
	if s.Standardize {
		x, std := set.X.Standardize()
		set = &labeled.Set{X: x, Class: set.Class, Labels: set.Labels}
		dt.Std = std
	}
	if s.Holdout > 0 {
		train, test, err := set.Split(s.Holdout, rand.New(rand.NewPCG(s.Seed, 7)))
		if err != nil {
			return fmt.Errorf("target: holdout %g: %w", s.Holdout, err)
		}
		set, dt.LabelledHoldout, dt.Holdout = train, test, test.X
	}
	dt.Labelled, dt.Tgt, dt.Dim = set, labeled.Features{Set: set}, set.X.D
	return nil
}
