package experiment

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/series"
)

// LOOReport is `lagc experiment loo --json`.
type LOOReport struct {
	Lagrangians []*series.LOORow `json:"lagrangians"`
}

// LOOModel returns the model column's scorer for one Lagrangian (see
// series.ModelScore), from the snapshot trainer; a nil LOOModel leaves the
// model column empty (null).
type LOOModel func(file string, sys lagrangian.System) series.ModelScore

// LOO runs the leave-one-out protocol (series.LOOExperiment) on a series
// for each Lagrangian file, in order: for every interior time k, the W1 of
// the least-action interpolation from k−1 and k+1 and, when model is not
// nil, of the model trained without k.
func LOO(ser *series.Series, files []string, model LOOModel, s *series.Settings) (*LOOReport, error) {
	rep := &LOOReport{}
	for _, file := range files {
		src, err := ReadLagrangian(file)
		if err != nil {
			return nil, err
		}
		sys, err := eulerlag.Load(file, src, nil)
		if err != nil {
			return nil, err
		}
		if err := series.CheckDim(file, sys, ser); err != nil {
			return nil, err
		}
		ev, err := sys.Instantiate(ser.D)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		params := map[string]float64{}
		for _, p := range sys.Params {
			params[p.Name] = p.Value
		}
		var score series.ModelScore
		if model != nil {
			score = model(file, ev)
		}
		row, err := series.LOOExperiment(file, params, ev, ser, score, s)
		if err != nil {
			return nil, err
		}
		rep.Lagrangians = append(rep.Lagrangians, row)
	}
	return rep, nil
}

// WriteLOOTable prints the report as a table: one line per Lagrangian and
// held-out time, then the mean.
func WriteLOOTable(w io.Writer, rep *LOOReport) error {
	if _, err := fmt.Fprintln(w, "| Lagrangian | params | k | t | W1 interpolation | W1 model |\n| --- | --- | --- | --- | --- | --- |"); err != nil {
		return err
	}
	model := func(x *float64) string {
		if x == nil {
			return "—"
		}
		return fmt.Sprintf("%.4f", *x)
	}
	for _, r := range rep.Lagrangians {
		keys := make([]string, 0, len(r.Params))
		for k := range r.Params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var ps []string
		for _, k := range keys {
			ps = append(ps, fmt.Sprintf("%s=%.4g", k, r.Params[k]))
		}
		name, params := filepath.Base(r.File), strings.Join(ps, ", ")
		for _, l := range r.LOO {
			if _, err := fmt.Fprintf(w, "| %s | %s | %d | %g | %.4f | %s |\n", name, params, l.K, l.T, l.W1Interpolation, model(l.W1Model)); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "| %s | %s | mean | | %.4f | %s |\n", name, params, r.MeanW1Interpolation, model(r.MeanW1Model)); err != nil {
			return err
		}
	}
	return nil
}
