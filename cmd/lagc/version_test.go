package main

import (
	"bytes"
	"strings"
	"testing"
)

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
