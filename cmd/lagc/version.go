package main

import (
	"fmt"
	"runtime/debug"

	"github.com/lagc-dev/lagc/internal/buildinfo"
)

func init() {
	register(&command{name: "version", summary: "print lagc's version: module version and VCS revision", run: runVersion})
}

func runVersion(e *env, args []string) error {
	fs := newFlags(e, "version", "", "Prints the module version of lagc, the VCS revision it was built from\n(with \"+dirty\" when the tree had changes) and the Go version.")
	if err := parseNone(fs, args, ""); err != nil {
		return err
	}
	info, _ := debug.ReadBuildInfo()
	_, err := fmt.Fprintln(e.stdout, buildinfo.Line(info))
	return err
}
