package modelio

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckpointPath(t *testing.T) {
	dir := t.TempDir()
	if got := CheckpointPath(dir); got != filepath.Join(dir, "model.ckpt") {
		t.Errorf("run directory: %s", got)
	}
	file := filepath.Join(dir, "other.ckpt")
	if got := CheckpointPath(file); got != file {
		t.Errorf("file: %s", got)
	}
	// A run directory without its checkpoint is refused naming the file
	// looked for; an .npz path goes to the archive reader.
	if _, err := Open(dir, nil); err == nil || !strings.Contains(err.Error(), "model.ckpt") {
		t.Errorf("empty run directory: %v", err)
	}
	if _, err := Open(filepath.Join(dir, "none.npz"), nil); err == nil || !strings.Contains(err.Error(), "none.npz") {
		t.Errorf("missing archive: %v", err)
	}
}
