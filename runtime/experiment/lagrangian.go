package experiment

import (
	"errors"
	"io/fs"
	"os"
	"path"

	"github.com/lagc-dev/lagc/examples/lagrangians"
)

// ReadLagrangian returns the source of a Lagrangian file: the file at name
// when there is one, else the embedded example of that base name
// ("bump.lag"), so that the defaults work from any directory.
func ReadLagrangian(name string) ([]byte, error) {
	src, err := os.ReadFile(name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return src, err
	}
	if ex, exErr := lagrangians.FS.ReadFile(path.Base(name)); exErr == nil {
		return ex, nil
	}
	return nil, err
}
