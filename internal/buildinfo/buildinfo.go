// Package buildinfo renders what a binary knows of its own build: the
// module version and the VCS revision it was built from, for
// "lagc version".
package buildinfo

import (
	"runtime/debug"
	"strings"
)

// Line renders build information as one line:
// "lagc v1.2.3 (rev 0123abcd4567, 2026-11-29T10:00:00Z, +dirty) go1.26".
// A binary built from a checkout reports "(devel)" as the module version;
// the revision then says which commit it is. info is what
// debug.ReadBuildInfo returns (nil when the binary has none).
func Line(info *debug.BuildInfo) string {
	if info == nil {
		return "lagc (unknown version: built without module information)"
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var extra []string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			extra = append([]string{"rev " + s.Value[:min(12, len(s.Value))]}, extra...)
		case "vcs.time":
			extra = append(extra, s.Value)
		case "vcs.modified":
			dirty = s.Value == "true"
		}
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
