package modelio

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/lagc-dev/lagc/runtime/run"
)

// CheckpointPath is the checkpoint of a run directory (its model.ckpt),
// or path itself when it is not a directory.
func CheckpointPath(path string) string {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return filepath.Join(path, "model.ckpt")
	}
	return path
}

// Open opens a trained model wherever it is: a run directory, a
// checkpoint, or an exported .npz archive (OpenRun).
func Open(path string, o *run.Options) (*run.Run, error) {
	path = CheckpointPath(path)
	if strings.HasSuffix(path, ".npz") {
		return OpenRun(path, o)
	}
	return run.Open(path, o)
}
