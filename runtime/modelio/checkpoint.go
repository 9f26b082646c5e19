package modelio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/nn"
)

// KineticLagrangian is the Lagrangian assumed when an archive's run names
// none: OT flow matching's ½|v|².
const KineticLagrangian = "L = 0.5*|v|^2\n"

// RunConfig returns the archive's run configuration as an fm.Config: the
// fields lagc needs to rebuild the problem (source, target, Lagrangian).
// A run without a Lagrangian gets the kinetic one.
func (m *Model) RunConfig() (fm.Config, error) {
	var cfg fm.Config
	if len(m.Arch.Run) == 0 || string(bytes.TrimSpace(m.Arch.Run)) == "null" {
		return cfg, errors.New("the model archive records no run (source and target data); save it with a run configuration")
	}
	dec := json.NewDecoder(bytes.NewReader(m.Arch.Run))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("the model archive's run configuration: %v", err)
	}
	if cfg.Source == "" || cfg.Target == "" {
		return cfg, errors.New("the model archive's run configuration names no source or no target data")
	}
	if cfg.Lagrangian == "" {
		cfg.Lagrangian, cfg.LagrangianFile = KineticLagrangian, "kinetic.lag"
	}
	if cfg.Method != "" && cfg.Method != "fm" {
		return cfg, fmt.Errorf("the model archive's run has method %q; archives hold flow-matching velocity fields", cfg.Method)
	}
	return cfg, nil
}

// Checkpoint returns the archive as a checkpoint of a flow-matching run, so
// that sampling and evaluation treat both alike: its weights are both the
// raw and the averaged (EMA) ones.
func (m *Model) Checkpoint() (*fm.Checkpoint, error) {
	cfg, err := m.RunConfig()
	if err != nil {
		return nil, err
	}
	ema, err := nn.NewEMA(m.Net.Params(), 0)
	if err != nil {
		return nil, err
	}
	return &fm.Checkpoint{Cfg: cfg, Net: m.Net, EMA: ema}, nil
}

// FromCheckpoint returns the model of a flow-matching checkpoint, with its
// averaged (EMA) weights unless raw, and its run configuration as JSON.
func FromCheckpoint(ck *fm.Checkpoint, raw bool) (*nn.MLP, json.RawMessage, error) {
	if m := ck.Cfg.Method; m != "" && m != "fm" {
		return nil, nil, fmt.Errorf("the checkpoint is of a %q run; only flow-matching velocity fields can be exported", m)
	}
	net := ck.Model(!raw)
	if net == nil {
		return nil, nil, errors.New("the checkpoint holds no MLP velocity field")
	}
	run, err := json.Marshal(ck.Cfg)
	if err != nil {
		return nil, nil, err
	}
	return net, run, nil
}
