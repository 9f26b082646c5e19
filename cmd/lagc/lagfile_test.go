package main

import (
	"strings"
	"testing"
)

// TestLoadSystemStdin: "-" names the command's standard input, which may
// start with a byte-order mark and use CRLF line endings.
func TestLoadSystemStdin(t *testing.T) {
	stdin := func(text string) *env { return &env{stdin: strings.NewReader(text)} }
	sys, err := loadSystem(stdin("\uFEFFparam w = 2\r\nL = 0.5*|v|^2 - 0.5*w^2*|x|^2\r\n"), "-", nil)
	if err != nil {
		t.Fatal(detail(err))
	}
	if len(sys.Params) != 1 || sys.Params[0].Value != 2 {
		t.Errorf("params %+v, want w = 2", sys.Params)
	}
	_, err = loadSystem(stdin("L = 0.5*|v|^2 +\r\n  ww\r\n"), "-", nil)
	if err == nil || !strings.HasPrefix(detail(err), "stdin:2:3: undefined: ww") {
		t.Errorf("error %q, want one at stdin:2:3", detail(err))
	}
}
