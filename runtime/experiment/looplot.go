package experiment

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/lagc-dev/lagc/runtime/plot"
	"github.com/lagc-dev/lagc/runtime/series"
)

// PlotLOO draws, into dir, each held-out snapshot of ser with the
// prediction of each Lagrangian over it, one file BASE_kK.png per
// Lagrangian and time. A one-dimensional series has nothing to draw.
func PlotLOO(dir string, ser *series.Series, rep *LOOReport) error {
	if ser.D < 2 {
		return nil
	}
	for _, r := range rep.Lagrangians {
		base := strings.TrimSuffix(filepath.Base(r.File), filepath.Ext(r.File))
		for _, h := range r.Held {
			path := filepath.Join(dir, fmt.Sprintf("%s_k%d.png", base, h.K))
			title := fmt.Sprintf("%s: time %g predicted from %g and %g (W1 %.3g)", base, h.T, ser.Times[h.K-1], ser.Times[h.K+1], h.W1)
			if err := plot.Samples(path, h.Prediction, ser.Points[h.K], len(h.Mass), ser.Count(h.K), ser.D, &plot.Settings{Title: title}); err != nil {
				return err
			}
		}
	}
	return nil
}
