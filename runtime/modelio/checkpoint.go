package modelio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/nn"
	"github.com/lagc-dev/lagc/runtime/run"
)

// Spec returns the archive's run as a run.Spec: what lagc needs to rebuild
// the problem (source, target, Lagrangian). A run without a Lagrangian
// gets the kinetic one (OT flow matching).
func (m *Model) Spec() (run.Spec, error) {
	var spec run.Spec
	if len(m.Arch.Run) == 0 || string(bytes.TrimSpace(m.Arch.Run)) == "null" {
		return spec, errors.New("the model archive records no run (source and target data); save it with a run configuration")
	}
	dec := json.NewDecoder(bytes.NewReader(m.Arch.Run))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return spec, fmt.Errorf("the model archive's run configuration: %v", err)
	}
	if spec.Source == "" || spec.Target == "" {
		return spec, errors.New("the model archive's run configuration names no source or no target data")
	}
	if spec.Lagrangian == "" {
		def := run.DefaultSpec()
		spec.Lagrangian, spec.LagrangianFile = def.Lagrangian, def.LagrangianFile
	}
	if spec.Method != "" && spec.Method != "fm" {
		return spec, fmt.Errorf("the model archive's run has method %q; archives hold flow-matching velocity fields", spec.Method)
	}
	spec.Method = "fm"
	if spec.Iters < 1 {
		spec.Iters = 1
	}
	return spec, nil
}

// Run rebuilds the archive's run with its network in place, so that
// sampling and evaluation treat archives and checkpoints alike: the
// network's weights are both the raw and the averaged (EMA) ones.
func (m *Model) Run(o *run.Options) (*run.Run, error) {
	spec, err := m.Spec()
	if err != nil {
		return nil, err
	}
	set := fm.DefaultSettings()
	sizes := m.Net.Sizes()
	set.Hidden, set.Activation = slices.Clone(sizes[1:len(sizes)-1]), m.Net.Activation().String()
	if len(set.Hidden) == 0 {
		return nil, errors.New("the model archive's network has no hidden layer; lagc's velocity fields have at least one")
	}
	r, err := run.New(spec, &set, o)
	if err != nil {
		return nil, err
	}
	if d := r.Data.Tgt.Dim(); m.Net.In() != d+1 {
		return nil, fmt.Errorf("the model has dimension %d but the target %q has %d", m.Net.In()-1, spec.Target, d)
	}
	opt, err := nn.NewOptimizer(m.Net.Params(), &set.Optim)
	if err != nil {
		return nil, err
	}
	state, err := fm.MarshalState(m.Net, opt)
	if err != nil {
		return nil, err
	}
	if err := r.Method.Restore(nil, state); err != nil {
		return nil, err
	}
	return r, nil
}

// OpenRun reads an archive and rebuilds its run (Read, then Run).
func OpenRun(path string, o *run.Options) (*run.Run, error) {
	m, err := Read(path)
	if err != nil {
		return nil, err
	}
	r, err := m.Run(o)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// FromRun returns the velocity network of a flow-matching run, with its
// averaged (EMA) weights unless raw, and its Spec as JSON for the archive.
func FromRun(r *run.Run, raw bool) (*nn.MLP, json.RawMessage, error) {
	tr, ok := r.Method.(*fm.Trainer)
	if !ok && r.Spec.Snapshots != "" {
		// The archive's network is v(x, t) on [0, 1]; a series run's
		// field lives on the observed times and its data map.
		return nil, nil, fmt.Errorf("a run on a snapshot series (%s) cannot be exported: the archive holds a field v(x, t) on t in [0, 1] between two distributions; use lagc sample --from/--to with the checkpoint", r.Spec.Snapshots)
	}
	if !ok {
		return nil, nil, fmt.Errorf("the run's method is %q; only flow-matching velocity fields can be exported", r.Spec.Method)
	}
	spec, err := json.Marshal(r.Spec)
	if err != nil {
		return nil, nil, err
	}
	return tr.Model(raw), spec, nil
}
