package run

import (
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"slices"

	"github.com/lagc-dev/lagc/internal/strictjson"
	"github.com/lagc-dev/lagc/runtime/condflow"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/plot"
	"github.com/lagc-dev/lagc/runtime/seriesfm"
)

// Summary is summary.json, written beside a trained run's checkpoint.
type Summary struct {
	Iterations  int         `json:"iterations"`
	WallSeconds float64     `json:"wall_seconds"`
	ItersPerSec float64     `json:"iterations_per_second"`
	FinalLoss   float64     `json:"final_loss"`
	Seed        uint64      `json:"seed"`
	Lagrangian  string      `json:"lagrangian"`
	Coupling    string      `json:"coupling"`
	Source      string      `json:"source"`
	Target      string      `json:"target"`
	Checkpoint  string      `json:"checkpoint"`
	Method      string      `json:"method,omitempty"`
	Eval        *fm.Metrics `json:"eval,omitempty"`
	// Classes are a class-conditional run's per-class W2 (lagc eval's).
	Classes   []condflow.ClassW2 `json:"classes,omitempty"`
	Snapshots string             `json:"snapshots,omitempty"`
	// A leave-out run reports leave_out, leave_out_t, loo_w1 and
	// loo_w1_interpolation.
	*seriesfm.Score
}

// ReportSettings say what Report measures and where it writes.
type ReportSettings struct {
	// Dir receives summary.json and the plots.
	Dir string
	// Checkpoint is the checkpoint's path, as the summary names it.
	Checkpoint string
	// EvalN is the number of samples of the final evaluation (0: none);
	// series runs report their left-out time instead.
	EvalN int
	// Plots asks for samples.png, trajectories.png, loss.png (and
	// leave_out.png for a series run with a left-out time).
	Plots bool
	// WallSeconds is the training time and Trained the iterations done
	// in it, for the rate.
	WallSeconds float64
	Trained     int
}

// Report evaluates a trained run, draws its plots and writes summary.json
// into s.Dir.
func (r *Run) Report(s *ReportSettings) (*Summary, error) {
	sum := &Summary{
		Iterations: r.Step(), WallSeconds: s.WallSeconds, Seed: r.Spec.Seed,
		Lagrangian: r.Spec.LagrangianFile, Coupling: r.Settings.Pairs.Coupling, Source: r.Spec.Source, Target: r.Spec.Target,
		Checkpoint: s.Checkpoint, Method: r.Spec.Method, ItersPerSec: float64(s.Trained) / max(s.WallSeconds, 1e-9),
	}
	losses := r.Method.Losses()
	sum.FinalLoss = FinalLoss(losses)
	var err error
	if ser := r.Data.Series; ser != nil {
		sum.Snapshots = r.Spec.Snapshots
		if sum.Score, err = r.LeaveOutScore(nil); err != nil {
			return nil, err
		}
		if sc := sum.Score; sc != nil && s.Plots && ser.D >= 2 {
			title := fmt.Sprintf("time %g pushed from %g by the model (W1 %.3g) over the left-out snapshot", sc.T, ser.Times[sc.K-1], sc.W1)
			if err := plot.Samples(filepath.Join(s.Dir, "leave_out.png"), sc.Prediction, ser.Points[sc.K], ser.Count(sc.K-1), ser.Count(sc.K), ser.D, &plot.Settings{Title: title}); err != nil {
				return nil, err
			}
		}
	} else if s.EvalN > 0 {
		rng := rand.New(rand.NewPCG(r.Spec.Seed, 1<<60))
		m, res, err := r.Evaluate(s.EvalN, &fm.SampleSettings{Solver: fm.RK4, Steps: 20}, false, rng)
		if err != nil {
			return nil, err
		}
		sum.Eval = m
		if r.Labels() != nil {
			rng := rand.New(rand.NewPCG(r.Spec.Seed, 1<<61))
			if sum.Classes, err = r.EvaluateClasses(s.EvalN, &fm.SampleSettings{Solver: fm.RK4, Steps: 20}, false, rng); err != nil {
				return nil, err
			}
		}
		if s.Plots && r.Data.Dim >= 2 {
			if err := r.Draw(m, res, rng, s.Dir, "png"); err != nil {
				return nil, err
			}
		}
	}
	if s.Plots {
		if _, err := PlotLoss(filepath.Join(s.Dir, "loss.png"), losses); err != nil {
			return nil, err
		}
	}
	return sum, strictjson.WriteFile(filepath.Join(s.Dir, "summary.json"), sum)
}

// WriteText prints the summary for a person: the iterations, the rate,
// the final loss, the run directory dir, and the evaluation or the
// left-out time's W1.
func (sum *Summary) WriteText(w io.Writer, method, dir string) error {
	fmt.Fprintf(w, "trained %s for %d iterations in %.1fs (%.0f it/s), final loss %.4g; wrote %s\n",
		method, sum.Iterations, sum.WallSeconds, sum.ItersPerSec, sum.FinalLoss, dir)
	if m := sum.Eval; m != nil {
		solver := m.Solver
		if m.Steps > 0 {
			solver = fmt.Sprintf("%s, %d steps", m.Solver, m.Steps)
		}
		fmt.Fprintf(w, "W2 to fresh target samples: %.4f (%s)\n", m.W2, solver)
	}
	if lo := sum.Score; lo != nil {
		fmt.Fprintf(w, "left-out time %d (t = %g): W1 of the model %.4f, of the least-action interpolation %.4f\n", lo.K, lo.T, lo.W1, lo.W1Interpolation)
	}
	return nil
}

// Draw draws the samples of res (evaluated as m) over as many target
// samples, and their trajectories, into dir as samples.EXT and
// trajectories.EXT.
func (r *Run) Draw(m *fm.Metrics, res *fm.SampleResult, rng *rand.Rand, dir, ext string) error {
	d := r.Data.Dim
	y := make([]float64, m.N*d)
	r.Data.Tgt.Sample(y, m.N, rng)
	title := fmt.Sprintf("%s, %s: %s → %s, W2 %.3f", r.Reg.Title, filepath.Base(r.Spec.LagrangianFile), r.Spec.Source, r.Spec.Target, m.W2)
	if err := plot.Samples(filepath.Join(dir, "samples."+ext), res.X, y, m.N, m.N, d, &plot.Settings{Title: title}); err != nil {
		return err
	}
	return plot.Trajectories(filepath.Join(dir, "trajectories."+ext), res.Traj, res.TrajT, m.N, d, nil)
}

// PlotLoss draws the loss curve on a logarithmic axis, which cannot show
// Action Matching's negative losses: those runs get no loss plot, and
// drawn is false.
func PlotLoss(path string, losses []float64) (drawn bool, err error) {
	if len(losses) == 0 || slices.Min(losses) <= 0 {
		return false, nil
	}
	steps := make([]int, len(losses))
	for i := range steps {
		steps[i] = i + 1
	}
	return true, plot.Loss(path, steps, losses, nil)
}

// PlotFiles are the names of the files Plot may draw, in the format ext
// (png or svg).
func PlotFiles(ext string) []string {
	return []string{"samples." + ext, "trajectories." + ext, "loss." + ext}
}

// Plot carries n source samples with the model (the averaged weights;
// the random stream 3 of the run's seed) and draws, into dir, the samples
// over as many target samples, their trajectories and, when every loss is
// positive, the loss curve. It returns the names of the files drawn.
func (r *Run) Plot(dir, ext string, n int, s *fm.SampleSettings) ([]string, error) {
	if r.Data.Dim < 2 {
		return nil, fmt.Errorf("plots need at least 2 dimensions; this model has %d", r.Data.Dim)
	}
	set := *s
	set.Trajectory = set.Steps + 1
	rng := rand.New(rand.NewPCG(r.Spec.Seed, 3))
	m, res, err := r.Evaluate(n, &set, false, rng)
	if err != nil {
		return nil, err
	}
	files := PlotFiles(ext)
	if err := r.Draw(m, res, rng, dir, ext); err != nil {
		return nil, err
	}
	drawn, err := PlotLoss(filepath.Join(dir, files[2]), r.Method.Losses())
	if !drawn {
		files = files[:2]
	}
	return files, err
}
