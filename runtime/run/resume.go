package run

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/lagc-dev/lagc/runtime/fm"
)

// runSettings are what a resumed run keeps from its checkpoint, by the
// concept a user knows them as, each read as text for comparison and
// messages.
var runSettings = []struct {
	concept string
	value   func(s *Spec, set *fm.Settings) string
}{
	{"Lagrangian", func(s *Spec, _ *fm.Settings) string { return s.Lagrangian }},
	{"Lagrangian parameters", func(s *Spec, _ *fm.Settings) string { return formatParams(s.Params) }},
	{"source data", func(s *Spec, _ *fm.Settings) string { return s.Source }},
	{"target data", func(s *Spec, _ *fm.Settings) string { return s.Target }},
	{"dimension", func(s *Spec, _ *fm.Settings) string { return strconv.Itoa(s.Dim) }},
	{"columns", func(s *Spec, _ *fm.Settings) string { return s.Columns }},
	{"standardizing", func(s *Spec, _ *fm.Settings) string { return strconv.FormatBool(s.Standardize) }},
	{"holdout", func(s *Spec, _ *fm.Settings) string { return fmt.Sprint(s.Holdout) }},
	{"seed", func(s *Spec, _ *fm.Settings) string { return fmt.Sprint(s.Seed) }},
	{"coupling", func(_ *Spec, set *fm.Settings) string { return set.Pairs.Coupling }},
	{"path noise", func(_ *Spec, set *fm.Settings) string { return fmt.Sprint(set.Pairs.Sigma) }},
	{"batch size", func(_ *Spec, set *fm.Settings) string { return strconv.Itoa(set.Pairs.Batch) }},
	{"pool of path batches", func(_ *Spec, set *fm.Settings) string { return strconv.Itoa(set.Pairs.Pool) }},
	{"hidden layer widths", func(_ *Spec, set *fm.Settings) string { return fmt.Sprint(set.Hidden) }},
	{"activation", func(_ *Spec, set *fm.Settings) string { return set.Activation }},
	{"learning rate", func(_ *Spec, set *fm.Settings) string { return fmt.Sprint(set.Optim.LR) }},
	{"weight decay", func(_ *Spec, set *fm.Settings) string { return fmt.Sprint(set.Optim.WeightDecay) }},
	{"gradient clipping", func(_ *Spec, set *fm.Settings) string { return fmt.Sprint(set.Optim.ClipNorm) }},
	{"EMA decay", func(_ *Spec, set *fm.Settings) string { return fmt.Sprint(set.Optim.EMADecay) }},
}

func formatParams(p map[string]float64) string {
	s := ""
	for _, k := range slices.Sorted(maps.Keys(p)) {
		s += fmt.Sprintf("%s=%v ", k, p[k])
	}
	return s
}

// Mismatches compares the settings a user asked for when resuming (the
// concepts in asked, valued in spec and set) with the run's own, and
// describes each that differs: a resumed run continues as it was, so a
// different target, Lagrangian or width would silently be ignored.
// Iterations and threads may change and are not compared.
func (r *Run) Mismatches(spec Spec, set *fm.Settings, asked []string) []string {
	var out []string
	for _, rs := range runSettings {
		if !slices.Contains(asked, rs.concept) {
			continue
		}
		given, had := rs.value(&spec, set), rs.value(&r.Spec, &r.Settings)
		if given == had {
			continue
		}
		switch rs.concept {
		case "Lagrangian":
			out = append(out, fmt.Sprintf("the Lagrangian (%s differs from the run's %s)", spec.LagrangianFile, r.Spec.LagrangianFile))
		default:
			out = append(out, fmt.Sprintf("%s (given %s, the run has %s)", rs.concept, given, had))
		}
	}
	return out
}
