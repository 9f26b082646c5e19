package strictjson

import "github.com/lagc-dev/lagc/internal/atomicfile"

// WriteFile writes v as indented JSON, with a final newline, to path,
// replacing it atomically.
func WriteFile(path string, v any) error {
	b, err := MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'))
}
