package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	cases := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"nil", nil, "lagc (unknown version: built without module information)"},
		{"release", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v0.3.1"}}, "lagc v0.3.1 go1.26.0"},
		{"checkout", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-11-29T10:00:00Z"}, {Key: "vcs.modified", Value: "true"},
		}}, "lagc (devel) (rev 0123456789ab, 2026-11-29T10:00:00Z, +dirty) go1.26.0"},
		{"clean checkout", &debug.BuildInfo{Main: debug.Module{}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"},
		}}, "lagc (devel) (rev abc)"},
	}
	for _, c := range cases {
		if got := versionLine(c.info); got != c.want {
			t.Errorf("%s: versionLine = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		var out, errb bytes.Buffer
		code := run(args, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
		if code != 0 || !strings.HasPrefix(out.String(), "lagc ") || errb.Len() != 0 {
			t.Errorf("lagc %v: exit %d, stdout %q, stderr %q; want 0 and a version line", args, code, out.String(), errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"version", "extra"}, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}); code != 2 {
		t.Errorf("lagc version extra: exit %d, want 2", code)
	}
}
