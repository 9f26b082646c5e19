package fm

import (
	"math"
	"strings"
	"testing"
)

func TestSampleSettingsValidate(t *testing.T) {
	cases := []struct {
		s    SampleSettings
		want string // "" = valid
	}{
		{SampleSettings{}, ""},
		{SampleSettings{Solver: Adaptive, RelTol: 1e-8, AbsTol: 1e-8}, ""},
		{SampleSettings{Solver: "magic"}, `ODE solver "magic"`},
		{SampleSettings{Steps: -1}, "solver steps -1"},
		{SampleSettings{RelTol: math.NaN()}, "solver tolerance NaN"},
		{SampleSettings{AbsTol: math.Inf(1)}, "solver tolerance +Inf"},
		{SampleSettings{Solver: Adaptive, RelTol: 1e-300}, "1e-14"},
		{SampleSettings{Threads: -2}, "network threads -2"},
	}
	for _, c := range cases {
		err := c.s.Validate()
		if c.want == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.s, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.s, err, c.want)
		}
	}
}
