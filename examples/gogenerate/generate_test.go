package gogenerate

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/codegen"
	"github.com/lagc-dev/lagc/eulerlag"
)

// TestGeneratedFilesAreFresh regenerates, in-process, every file named by a
// "go:generate" line of doc.go and compares it with the checked-in bytes.
func TestGeneratedFilesAreFresh(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "//go:generate go run github.com/lagc-dev/lagc/cmd/lagc gen "
	n := 0
	for _, line := range strings.Split(string(doc), "\n") {
		args, ok := strings.CutPrefix(line, prefix)
		if !ok {
			continue
		}
		n++
		f := strings.Fields(args)
		if len(f) != 3 || f[1] != "-o" {
			t.Fatalf("go:generate line %q: want FILE -o OUT", line)
		}
		lag, out := f[0], f[2]
		src, err := os.ReadFile(lag)
		if err != nil {
			t.Fatal(err)
		}
		sys, err := eulerlag.Load(lag, src, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := codegen.Generate(sys, &codegen.Settings{Package: "gogenerate", Source: lag})
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatalf("%v: run go generate ./examples/gogenerate", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: it differs from what lagc generates from %s now; run go generate ./examples/gogenerate", out, lag)
		}
	}
	if n != 3 {
		t.Errorf("found %d go:generate lines in doc.go, want 3", n)
	}
}
