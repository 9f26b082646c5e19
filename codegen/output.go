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

	"github.com/lagc-dev/lagc/eulerlag"
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
	return checkExisting(path, "no \"// Code generated ... DO NOT EDIT.\" line before its package clause", func(data []byte) bool {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if goHeader.MatchString(line) {
				return true
			}
			if strings.HasPrefix(line, "package ") {
				break
			}
		}
		return false
	})
}

// checkExisting returns an error, saying why (lacks), if path exists and
// generated does not recognise its content as generated code.
func checkExisting(path, lacks string, generated func(data []byte) bool) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if generated(data) {
		return nil
	}
	return fmt.Errorf("%s exists and is not generated code (%s); refusing to overwrite it: choose another output, or force the overwrite", path, lacks)
}

// Language is an output language of generated code.
type Language struct {
	// Suffix ends the default output file's name: FILE_lag.go, FILE_lag.py.
	Suffix string
	// Generate returns the source; Go code comes with an error that is a
	// warning when the source is not nil (Generate's contract).
	Generate func(sys *eulerlag.System, s *Settings) ([]byte, error)
	// CheckOutput refuses to overwrite a file that is not generated code.
	CheckOutput func(path string) error
}

// Languages are the languages lagc generates: go and torch (a
// self-contained PyTorch module, of which only Settings.Source counts).
var Languages = map[string]Language{
	"go": {Suffix: "_lag.go", Generate: Generate, CheckOutput: CheckGenerated},
	"torch": {Suffix: "_lag.py", CheckOutput: CheckGeneratedPython, Generate: func(sys *eulerlag.System, s *Settings) ([]byte, error) {
		src, err := GenerateTorch(sys, &TorchSettings{Source: s.Source})
		if err != nil {
			return nil, err
		}
		return src, nil
	}},
}
