package main

import (
	"os"
	"strings"
	"testing"
)

// withStdin runs f with standard input reading text.
func withStdin(t *testing.T, text string, f func()) {
	t.Helper()
	file, err := os.CreateTemp(t.TempDir(), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := file.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if _, err := file.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	saved := os.Stdin
	os.Stdin = file
	defer func() { os.Stdin, _ = saved, file.Close() }()
	f()
}

// TestLoadSystemStdin: "-" names standard input, which may start with a
// byte-order mark and use CRLF line endings.
func TestLoadSystemStdin(t *testing.T) {
	withStdin(t, "\uFEFFparam w = 2\r\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\r\n", func() {
		sys, err := loadSystem("-", paramFlags{})
		if err != nil {
			t.Fatal(detail(err))
		}
		if len(sys.Params) != 1 || sys.Params[0].Value != 2 {
			t.Errorf("params %+v, want w = 2", sys.Params)
		}
	})
	withStdin(t, "L = 0.5*|v|^2 +\r\n  ww\r\n", func() {
		_, err := loadSystem("-", paramFlags{})
		if err == nil || !strings.HasPrefix(detail(err), "stdin:2:3: undefined: ww") {
			t.Errorf("error %q, want one at stdin:2:3", detail(err))
		}
	})
}
