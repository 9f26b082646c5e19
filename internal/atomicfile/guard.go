package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ExistsError reports an output path that already holds a file the caller
// may not replace.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string { return e.Path + " exists" }

// InputError reports an output path that is one of the command's inputs.
type InputError struct{ Path, Input string }

func (e *InputError) Error() string {
	if e.Path == e.Input {
		return fmt.Sprintf("%s is an input of this command; writing it would destroy it", e.Path)
	}
	return fmt.Sprintf("%s is the input %s under another name; writing it would destroy it", e.Path, e.Input)
}

// Output says how an output path may be used.
type Output struct {
	// Overwrite allows replacing an existing file.
	Overwrite bool
	// Inputs are files the command reads; the output may never be one of
	// them, whatever Overwrite says (compared with os.SameFile, so links
	// and other spellings of a path are caught).
	Inputs []string
}

// Check verifies, before any work starts, that path can be written as an
// output: it is not a directory, not one of o's inputs, absent unless
// o.Overwrite, and its directory exists and accepts new files (tried by
// creating and removing a temporary file there). A nil o means no
// overwriting and no inputs.
func Check(path string, o *Output) error {
	if o == nil {
		o = &Output{}
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil:
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory; want a file name", path)
		}
		for _, in := range o.Inputs {
			if ii, err := os.Stat(in); err == nil && os.SameFile(fi, ii) {
				return &InputError{Path: path, Input: in}
			}
		}
		if !o.Overwrite {
			return &ExistsError{Path: path}
		}
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("output %s: %w", path, err)
	}
	if err := CheckDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// CheckAll is Check on each of paths, skipping "" and "-" (no file,
// standard output).
func CheckAll(paths []string, o *Output) error {
	for _, p := range paths {
		if p == "" || p == "-" {
			continue
		}
		if err := Check(p, o); err != nil {
			return err
		}
	}
	return nil
}

// CheckDir verifies that dir exists, is a directory and accepts new files.
func CheckDir(dir string) error {
	if dir == "" {
		dir = "."
	}
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("the directory %s does not exist", dir)
		}
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	f, err := os.CreateTemp(dir, ".lagc-write-check*")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

// unwrapPath drops the temporary file's name from a *PathError.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// WriteNew writes path through write like Write, but only if path does not
// exist when the complete file is put in place: the temporary file is
// hard-linked to path, which fails atomically when path exists, so a file
// that appeared meanwhile is never replaced; it returns an *ExistsError
// then. On file systems without hard links it falls back to a check
// followed by rename.
func WriteNew(path string, write func(io.Writer) error) error {
	if _, err := os.Lstat(path); err == nil {
		return &ExistsError{Path: path}
	}
	tmp, err := stage(path, write)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if _, serr := os.Lstat(path); serr == nil {
			return &ExistsError{Path: path}
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}
