package main

import (
	"errors"
	"flag"
	"os"

	"github.com/lagc-dev/lagc/dsl"
	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/internal/flagvalue"
	lagrun "github.com/lagc-dev/lagc/runtime/run"
)

// paramFlag registers -p, the parameters overriding a Lagrangian's.
func paramFlag(fs *flag.FlagSet) flagvalue.Params {
	p := flagvalue.Params{}
	fs.Var(p, "p", "override a parameter: NAME=VALUE (repeatable)")
	return p
}

// loadSystem reads, checks and derives a .lag file; the path "-" reads
// the command's standard input, named "stdin" in messages. Reading stops
// after lagrun.MaxSource bytes, so that a device or an endless pipe cannot
// exhaust memory.
func loadSystem(e *env, path string, params flagvalue.Params) (*eulerlag.System, error) {
	name, r := "stdin", e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		name, r = path, f
	}
	src, err := lagrun.ReadSource(r, name)
	if err != nil {
		return nil, err
	}
	return eulerlag.Load(name, src, params)
}

// detail renders an error for the terminal: dsl errors with their source
// line and a caret, others as they are.
func detail(err error) string {
	var el dsl.ErrorList
	var e *dsl.Error
	if errors.As(err, &el) || errors.As(err, &e) {
		return dsl.Detail(err)
	}
	return "lagc: " + err.Error()
}
