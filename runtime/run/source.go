package run

import (
	"fmt"
	"io"
)

// MaxSource bounds a .lag source: no Lagrangian comes near it, and the
// front end may need up to 100 times the source's size in memory.
const MaxSource = 8 << 20

// ReadSource reads a .lag source from r (name is for messages), refusing
// one above MaxSource without reading further: a device such as /dev/zero
// or an endless pipe must not exhaust memory.
func ReadSource(r io.Reader, name string) ([]byte, error) {
	src, err := io.ReadAll(io.LimitReader(r, MaxSource+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(src) > MaxSource {
		return nil, fmt.Errorf("%s: longer than %d MiB, the most a .lag source may be", name, MaxSource>>20)
	}
	return src, nil
}
