package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "model.ckpt")
	if err := os.WriteFile(model, []byte("weights"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "alias.ckpt")
	if err := os.Symlink(model, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.ckpt")
	if err := os.Link(model, hard); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "old.csv")
	os.WriteFile(other, []byte("1,2\n"), 0o644)
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o555)
	roWritable := os.Geteuid() == 0 // root writes anywhere
	cases := []struct {
		name string
		path string
		o    *Output
		want string // "" = allowed
	}{
		{"new file", filepath.Join(dir, "new.csv"), nil, ""},
		{"existing, no overwrite", other, nil, "exists"},
		{"existing, overwrite", other, &Output{Overwrite: true}, ""},
		{"the input itself", model, &Output{Overwrite: true, Inputs: []string{model}}, "is an input"},
		{"the input by a symlink", link, &Output{Overwrite: true, Inputs: []string{model}}, "under another name"},
		{"the input by a hard link", hard, &Output{Overwrite: true, Inputs: []string{model}}, "under another name"},
		{"a directory", dir, &Output{Overwrite: true}, "is a directory"},
		{"missing directory", filepath.Join(dir, "no", "x.csv"), nil, "does not exist"},
		{"parent is a file", filepath.Join(other, "x.csv"), nil, "not a directory"},
		{"read-only directory", filepath.Join(ro, "x.csv"), nil, "cannot write"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "read-only directory" && roWritable {
				t.Skip("running as root: permission bits do not stop writes")
			}
			err := Check(c.path, c.o)
			if c.want == "" {
				if err != nil {
					t.Fatalf("Check(%s) = %v, want nil", c.path, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Check(%s) = %v, want an error containing %q", c.path, err, c.want)
			}
		})
	}
	if b, _ := os.ReadFile(model); string(b) != "weights" {
		t.Errorf("Check changed the model to %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 5 {
		t.Errorf("%d entries left in the directory, want 5 (no probe debris)", len(entries))
	}
}

func TestWriteNew(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := WriteNew(path, func(w io.Writer) error { _, err := io.WriteString(w, "one"); return err }); err != nil {
		t.Fatal(err)
	}
	err := WriteNew(path, func(w io.Writer) error { _, err := io.WriteString(w, "two"); return err })
	var ee *ExistsError
	if !errors.As(err, &ee) {
		t.Fatalf("second WriteNew = %v, want an *ExistsError", err)
	}
	// A file that appears while the new one is being written is not replaced.
	race := filepath.Join(dir, "race.txt")
	err = WriteNew(race, func(w io.Writer) error {
		os.WriteFile(race, []byte("theirs"), 0o644)
		_, err := io.WriteString(w, "ours")
		return err
	})
	if !errors.As(err, &ee) {
		t.Fatalf("WriteNew over a file created meanwhile = %v, want an *ExistsError", err)
	}
	for p, want := range map[string]string{path: "one", race: "theirs"} {
		if b, _ := os.ReadFile(p); string(b) != want {
			t.Errorf("%s holds %q, want %q", p, b, want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d files in the directory, want 2 (no temporary debris)", len(entries))
	}
}
