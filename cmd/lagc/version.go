package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

func init() {
	register(&command{name: "version", summary: "print lagc's version: module version and VCS revision", run: runVersion})
}

func runVersion(e *env, args []string) error {
	fs := newFlags(e, "version", "", "Prints the module version of lagc, the VCS revision it was built from\n(with \"+dirty\" when the tree had changes) and the Go version.")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("takes no arguments, got %d", len(pos))
	}
	info, _ := debug.ReadBuildInfo()
	_, err = fmt.Fprintln(e.stdout, versionLine(info))
	return err
}

// versionLine renders build information as one line:
// "lagc v1.2.3 (rev 0123abcd4567, 2026-11-29T10:00:00Z, +dirty) go1.26".
// A binary built from a checkout reports "(devel)" as the module version;
// the revision then says which commit it is.
func versionLine(info *debug.BuildInfo) string {
	if info == nil {
		return "lagc (unknown version: built without module information)"
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var rev, when string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	var extra []string
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		extra = append(extra, "rev "+rev)
	}
	if when != "" {
		extra = append(extra, when)
	}
	if dirty {
		extra = append(extra, "+dirty")
	}
	line := "lagc " + version
	if len(extra) > 0 {
		line += " (" + strings.Join(extra, ", ") + ")"
	}
	if info.GoVersion != "" {
		line += " " + info.GoVersion
	}
	return line
}
