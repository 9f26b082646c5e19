package experiment

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/series"
)

// LOOTime is one held-out time of the leave-one-out protocol.
type LOOTime struct {
	K               int      `json:"k"`
	T               float64  `json:"t"`
	W1Interpolation float64  `json:"w1_interpolation"`
	W1Model         *float64 `json:"w1_model"`
}

// LOORow is the protocol's result for one Lagrangian, in the shape
// `lagc experiment loo --json` prints.
type LOORow struct {
	File                string             `json:"file"`
	Params              map[string]float64 `json:"params"`
	LOO                 []LOOTime          `json:"loo"`
	MeanW1Interpolation float64            `json:"mean_w1_interpolation"`
	MeanW1Model         *float64           `json:"mean_w1_model"`
	// Held keeps the predictions, for plots.
	Held []series.Held `json:"-"`
}

// LOOReport is `lagc experiment loo --json`.
type LOOReport struct {
	Lagrangians []*LOORow `json:"lagrangians"`
}

// LOOModel scores a model of the Lagrangian in file trained with interior
// time k left out: W1 between snapshot k−1's points pushed to t_k and
// snapshot k. The snapshot trainer provides it; nil leaves the model
// column empty (null).
type LOOModel func(file string, sys *eulerlag.System, k int) (float64, error)

// LOO runs the leave-one-out protocol on a series for each Lagrangian file
// (in order): for every interior time k, the W1 of the least-action
// interpolation from k−1 and k+1 (series.LeaveOneOut) and, when model is
// not nil, of the model trained without k.
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
		d := ser.D
		if sys.Dim > 0 && sys.Dim != d {
			return nil, fmt.Errorf("%s fixes the dimension to %d but the snapshots have %d features", file, sys.Dim, d)
		}
		ev, err := sys.Instantiate(d)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		held, err := series.LeaveOneOut(ev, ser, s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		row := &LOORow{File: file, Params: map[string]float64{}, Held: held}
		for _, p := range sys.Params {
			row.Params[p.Name] = p.Value
		}
		var sumI, sumM float64
		for _, h := range held {
			lt := LOOTime{K: h.K, T: h.T, W1Interpolation: h.W1}
			sumI += h.W1
			if model != nil {
				w, err := model(file, sys, h.K)
				if err != nil {
					return nil, fmt.Errorf("%s: model without time %d: %w", file, h.K, err)
				}
				lt.W1Model = &w
				sumM += w
			}
			row.LOO = append(row.LOO, lt)
		}
		n := float64(len(held))
		row.MeanW1Interpolation = sumI / n
		if model != nil {
			m := sumM / n
			row.MeanW1Model = &m
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
