package codegen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

var (
	goIdent  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	goHeader = regexp.MustCompile(`^// Code generated .* DO NOT EDIT\.$`)
)

// DefaultPackage is the package of a generated file written to dst:
// $GOPACKAGE under go generate, else the name of the directory dst goes to
// when that is a Go identifier, else main. dst "-" is standard output.
func DefaultPackage(dst string) string {
	if p := os.Getenv("GOPACKAGE"); p != "" {
		return p
	}
	if dst != "-" {
		if abs, err := filepath.Abs(dst); err == nil {
			base := filepath.Base(filepath.Dir(abs))
			if goIdent.MatchString(base) {
				return base
			}
		}
	}
	return "main"
}

// CheckGenerated returns an error if path exists and is not generated Go
// code: Go's convention is the header line before the package clause.
func CheckGenerated(path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if goHeader.MatchString(line) {
			return nil
		}
		if strings.HasPrefix(line, "package ") {
			break
		}
	}
	return fmt.Errorf("%s exists and is not generated code (no \"// Code generated ... DO NOT EDIT.\" line before its package clause); refusing to overwrite it: choose another output, or force the overwrite", path)
}
