// Package atomicfile writes files atomically: into a temporary file in the
// same directory, renamed over the destination only once it is complete, so
// that a crash or an error never leaves a half-written file under the name
// the user gave. The same directory matters: rename is atomic only within
// one file system.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write writes path through write. On any error the destination is left as
// it was and the temporary file is removed.
func Write(path string, write func(io.Writer) error) error {
	tmp, err := stage(path, write)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// stage writes a complete, synced temporary file beside path and returns
// its name; on error it leaves nothing behind.
func stage(path string, write func(io.Writer) error) (name string, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		// The temporary file's name means nothing to the user.
		return "", fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes the file 0600; an output file is for sharing.
	if err = f.Chmod(0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return f.Name(), nil
}

// WriteFile writes data to path atomically.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
