package run

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lagc-dev/lagc/internal/runlock"
	"github.com/lagc-dev/lagc/runtime/fm"
)

// CheckpointName is the checkpoint's file name in a run directory.
const CheckpointName = "model.ckpt"

// ExistsError refuses a new run in a directory that holds a checkpoint.
type ExistsError struct{ Checkpoint string }

func (e *ExistsError) Error() string {
	return e.Checkpoint + " exists: resume that run, or train into another directory"
}

// MismatchError refuses to resume a run with settings other than its own.
type MismatchError struct {
	Checkpoint string
	Diffs      []string // Mismatches
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("resuming %s as it was trained, but these differ from it: %s", e.Checkpoint, strings.Join(e.Diffs, "; "))
}

// StartSettings say how Start opens a run directory.
type StartSettings struct {
	// Dir holds the checkpoint (CheckpointName); it is created if missing.
	Dir string
	// Resume continues the run of Dir's checkpoint to Iters iterations in
	// all (0: the checkpoint's); Asked are the concepts the user set, which
	// must agree with the run's (Mismatches).
	Resume bool
	Iters  int
	Asked  []string
	Options
}

// Start opens a run for training in a directory and holds the directory's
// lock (one writer per run directory) until release is called: with
// s.Resume the run of its checkpoint (*MismatchError when asked settings
// differ), else a new run of spec and set (*ExistsError when the directory
// already holds a checkpoint).
func Start(spec Spec, set *fm.Settings, s *StartSettings) (r *Run, checkpoint string, release func(), err error) {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return nil, "", nil, err
	}
	lock, err := runlock.Acquire(s.Dir)
	if err != nil {
		return nil, "", nil, err
	}
	defer func() {
		if err != nil {
			lock.Release()
		}
	}()
	ckpt := filepath.Join(s.Dir, CheckpointName)
	if s.Resume {
		if r, err = Resume(ckpt, s.Iters, &s.Options); err != nil {
			return nil, "", nil, err
		}
		if m := r.Mismatches(spec, set, s.Asked); len(m) > 0 {
			return nil, "", nil, &MismatchError{Checkpoint: ckpt, Diffs: m}
		}
	} else {
		if _, err := os.Stat(ckpt); err == nil {
			return nil, "", nil, &ExistsError{Checkpoint: ckpt}
		}
		if r, err = New(spec, set, &s.Options); err != nil {
			return nil, "", nil, err
		}
	}
	return r, ckpt, func() { lock.Release() }, nil
}
