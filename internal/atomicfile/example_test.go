package atomicfile_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/lagc-dev/lagc/internal/atomicfile"
)

func ExampleCheck() {
	dir, _ := os.MkdirTemp("", "out")
	defer os.RemoveAll(dir)
	model := filepath.Join(dir, "model.ckpt")
	os.WriteFile(model, []byte("weights"), 0o644)

	// An output that is the command's input is refused even when overwriting
	// is allowed; an existing file needs Overwrite; a new name is fine.
	in := &atomicfile.Output{Overwrite: true, Inputs: []string{model}}
	fmt.Println(atomicfile.Check(model, in) != nil)
	fmt.Println(atomicfile.Check(model, nil) != nil)
	fmt.Println(atomicfile.Check(filepath.Join(dir, "samples.csv"), nil))
	// Output:
	// true
	// true
	// <nil>
}
