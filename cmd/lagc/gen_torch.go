package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/lagc-dev/lagc/codegen"
	"github.com/lagc-dev/lagc/internal/atomicfile"
)

// runGenTorch writes the PyTorch module of file (lagc gen --lang torch).
func runGenTorch(e *env, file, out string, params paramFlags, force bool) error {
	dst := out
	if dst == "" {
		dst = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)) + "_lag.py"
	}
	sys, err := loadSystem(e, file, params)
	if err != nil {
		return err
	}
	if c := sys.Classify(); c.Closed && c.Err != nil {
		fmt.Fprintf(e.stderr, "lagc gen: warning: %s: %v\n", file, c.Err)
	}
	src, err := codegen.GenerateTorch(sys, &codegen.TorchSettings{Source: filepath.ToSlash(file)})
	if err != nil {
		return err
	}
	if dst == "-" {
		_, err := e.stdout.Write(src)
		return err
	}
	if !force {
		if err := codegen.CheckGeneratedPython(dst); err != nil {
			return err
		}
	}
	return atomicfile.WriteFile(dst, src)
}
