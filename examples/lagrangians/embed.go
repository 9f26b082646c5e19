// Package lagrangians holds the example Lagrangians as files, embedded so
// that programs (the experiments) find them wherever they run.
package lagrangians

import "embed"

// FS holds the example .lag files at its root.
//
//go:embed *.lag
var FS embed.FS
