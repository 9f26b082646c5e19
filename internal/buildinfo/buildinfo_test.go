package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestLine(t *testing.T) {
	cases := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"nil", nil, "lagc (unknown version: built without module information)"},
		{"release", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v0.3.1"}}, "lagc v0.3.1 go1.26.0"},
		{"checkout", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.time", Value: "2026-11-29T10:00:00Z"}, {Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"},
		}}, "lagc (devel) (rev 0123456789ab, 2026-11-29T10:00:00Z, +dirty) go1.26.0"},
		{"clean checkout", &debug.BuildInfo{Main: debug.Module{}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"},
		}}, "lagc (devel) (rev abc)"},
	}
	for _, c := range cases {
		if got := Line(c.info); got != c.want {
			t.Errorf("%s: Line = %q, want %q", c.name, got, c.want)
		}
	}
}
