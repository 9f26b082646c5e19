package data

import (
	"io"

	"github.com/lagc-dev/lagc/internal/atomicfile"
)

// writeFileAtomic writes path atomically through write.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	return atomicfile.Write(path, write)
}
