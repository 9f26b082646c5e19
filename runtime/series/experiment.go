package series

import (
	"fmt"

	"github.com/lagc-dev/lagc/runtime/lagrangian"
)

// LOOTime is one held-out time of the leave-one-out protocol.
type LOOTime struct {
	K               int      `json:"k"`
	T               float64  `json:"t"`
	W1Interpolation float64  `json:"w1_interpolation"`
	W1Model         *float64 `json:"w1_model"`
}

// LOORow is the leave-one-out protocol's result for one Lagrangian, in the
// shape `lagc experiment loo --json` prints.
type LOORow struct {
	File                string             `json:"file"`
	Params              map[string]float64 `json:"params"`
	LOO                 []LOOTime          `json:"loo"`
	MeanW1Interpolation float64            `json:"mean_w1_interpolation"`
	MeanW1Model         *float64           `json:"mean_w1_model"`
	// Held keeps the predictions, for plots.
	Held []Held `json:"-"`
}

// ModelScore scores a model trained with interior time k left out: W1
// between snapshot k−1's points pushed to t_k and snapshot k. The trainer
// provides it; nil leaves the model column empty.
type ModelScore func(k int) (float64, error)

// LOOExperiment runs the leave-one-out protocol for one Lagrangian (named
// file, with the given parameter values for the report): for every interior
// time k the W1 of the least-action interpolation from k−1 and k+1 and, when
// model is not nil, of the model trained without k.
func LOOExperiment(file string, params map[string]float64, sys lagrangian.System, ser *Series, model ModelScore, s *Settings) (*LOORow, error) {
	held, err := LeaveOneOut(sys, ser, s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	row := &LOORow{File: file, Params: params, Held: held}
	if row.Params == nil {
		row.Params = map[string]float64{}
	}
	var sumI, sumM float64
	for _, h := range held {
		lt := LOOTime{K: h.K, T: h.T, W1Interpolation: h.W1}
		sumI += h.W1
		if model != nil {
			w, err := model(h.K)
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
	return row, nil
}
