package codegen

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDefaultPackage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mypkg")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOPACKAGE", "")
	if got := DefaultPackage(filepath.Join(dir, "x.go")); got != "mypkg" {
		t.Errorf("package from directory: %q, want mypkg", got)
	}
	if got := DefaultPackage(filepath.Join(t.TempDir(), "not-an-ident", "x.go")); got != "main" {
		t.Errorf("package from a directory that is no identifier: %q, want main", got)
	}
	t.Setenv("GOPACKAGE", "fromgo")
	if got := DefaultPackage(filepath.Join(dir, "x.go")); got != "fromgo" {
		t.Errorf("package under go generate: %q, want fromgo", got)
	}
}
