package run

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lagc-dev/lagc/runtime/am"
	"github.com/lagc-dev/lagc/runtime/condflow"
	"github.com/lagc-dev/lagc/runtime/fm"
	"github.com/lagc-dev/lagc/runtime/ofm"
	"github.com/lagc-dev/lagc/runtime/seriesfm"
)

// Method is a training method's trainer, as the run drives it. The methods
// implement it in their own packages, which know nothing of this one.
type Method interface {
	// Iterate does one iteration and returns its loss. check, when not
	// nil, sees the loss before the weights change; an error from it (or
	// a non-finite loss or gradient) leaves the trainer unchanged.
	Iterate(check func(loss float64) error) (float64, error)
	// Losses is the loss of every iteration done; its length is the step.
	Losses() []float64
	// State encodes the model and optimiser; Restore puts a State back,
	// with the losses of the iterations it followed.
	State() ([]byte, error)
	Restore(losses []float64, state []byte) error
	// Transport carries source points to t = 1 with the current model, its
	// averaged weights or, when raw, its raw ones: what sample, eval and
	// plot use.
	Transport(raw bool) (fm.Transport, error)
}

// Registration is a training method known by name.
type Registration struct {
	Name string
	// Title is its name in tables and plot titles.
	Title string
	// About is one line for help texts.
	About string
	// Defaults returns the method's default hyperparameters.
	Defaults func() fm.Settings
	// New builds a trainer on p with settings s.
	New func(p *fm.Problem, s *fm.Settings) (Method, error)
	// OnSeries, when not nil, builds a trainer on a snapshot series (a
	// Spec with Snapshots); methods without it train on Source and Target
	// only.
	OnSeries func(p *seriesfm.Problem, s *fm.Settings) (Method, error)
	// OneStep is set when the Transport is a one-step map rather than an
	// ODE solve (no solver, NFE 1).
	OneStep bool
	// Labelled is set when the method trains on a labelled target
	// (Spec.LabelColumn) and conditions its model on the class: its
	// trainer implements Conditional.
	Labelled bool
	// SignedLoss is set when the loss is signed and starts near 0 (Action
	// Matching's), so that its early level says little about its scale.
	SignedLoss bool
}

// registry holds the methods; a new method is one line here.
var registry = []Registration{
	{Name: "fm", Title: "FM", About: "flow matching of a velocity MLP", Defaults: fm.DefaultSettings,
		New:      func(p *fm.Problem, s *fm.Settings) (Method, error) { return fm.NewTrainer(p, s) },
		OnSeries: func(p *seriesfm.Problem, s *fm.Settings) (Method, error) { return seriesfm.NewTrainer(p, s) }},
	{Name: "am", Title: "AM", About: "Action Matching of a potential MLP", Defaults: am.DefaultSettings, SignedLoss: true,
		New: func(p *fm.Problem, s *fm.Settings) (Method, error) { return am.NewTrainer(p, s) }},
	{Name: ofm.FlowMatching, Title: "OFM", About: "Optimal Flow Matching of an ICNN potential", Defaults: ofm.DefaultSettings, OneStep: true,
		New: func(p *fm.Problem, s *fm.Settings) (Method, error) {
			return ofm.NewTrainer(p, ofm.FlowMatching, s, nil)
		}},
	{Name: ofm.ActionMatching, Title: "AM-optimal", About: "Action Matching on optimal fields (ICNN potential)", Defaults: ofm.DefaultSettings, OneStep: true, SignedLoss: true,
		New: func(p *fm.Problem, s *fm.Settings) (Method, error) {
			return ofm.NewTrainer(p, ofm.ActionMatching, s, nil)
		}},
	{Name: "cond", Title: "FM-cond", About: "class-conditional flow matching on a labelled file target", Defaults: condDefaults, Labelled: true,
		New: func(p *fm.Problem, s *fm.Settings) (Method, error) { return condflow.NewMethod(p, s) }},
}

// Methods returns the registered methods in order.
func Methods() []Registration { return slices.Clone(registry) }

// Lookup returns the method of a name ("" is "fm").
func Lookup(name string) (Registration, error) { return lookup(name) }

func lookup(name string) (Registration, error) {
	if name == "" {
		name = "fm"
	}
	names := make([]string, len(registry))
	for i, r := range registry {
		if r.Name == name {
			return r, nil
		}
		names[i] = r.Name
	}
	return Registration{}, fmt.Errorf("training method %q: want %s", name, strings.Join(names, ", "))
}

// seriesMethods names the methods that train on snapshot series.
func seriesMethods() string {
	var names []string
	for _, r := range registry {
		if r.OnSeries != nil {
			names = append(names, r.Name)
		}
	}
	return strings.Join(names, ", ")
}
