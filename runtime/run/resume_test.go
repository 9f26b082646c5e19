package run

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/fm"
)

func TestMismatches(t *testing.T) {
	spec := DefaultSpec()
	spec.Iters = 2
	set := fm.DefaultSettings()
	set.Pairs.Batch, set.Hidden = 8, []int{4}
	r, err := New(spec, &set, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := make([]string, len(runSettings))
	for i, rs := range runSettings {
		all[i] = rs.concept
	}
	if m := r.Mismatches(spec, &set, all); len(m) != 0 {
		t.Errorf("the run's own settings mismatch: %v", m)
	}
	other, oset := spec, set
	other.Target, other.Iters = "circles", 50
	other.Lagrangian, other.LagrangianFile = "L = 0.5*|v|^2 - 0.5*|x|^2\n", "harmonic.lag"
	oset.Hidden = []int{16}
	got := r.Mismatches(other, &oset, all)
	want := []string{"the Lagrangian (harmonic.lag differs from the run's kinetic.lag)", "target data (given circles, the run has moons)", "hidden layer widths (given [16], the run has [4])"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Mismatches = %q, want %q (iterations may change)", got, want)
	}
	// Only what the user asked for is compared: defaults of flags not
	// given must not count as differences.
	if m := r.Mismatches(other, &oset, []string{"batch size"}); len(m) != 0 {
		t.Errorf("asked only for the batch size: %v", m)
	}
}

func TestHugeDataRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.csv")
	if err := os.WriteFile(path, []byte("1,2\n3,-2e150\n5,6\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := DefaultSpec()
	spec.Target = "csv:" + path
	_, err := spec.Build()
	if err == nil || !strings.Contains(err.Error(), "row 1, column 1 is -2e+150") {
		t.Errorf("Build = %v, want the row and column of the huge value", err)
	}
	spec.Target, spec.Source = "moons", "csv:"+path
	if _, err := spec.Build(); err == nil || !strings.HasPrefix(err.Error(), "source: ") {
		t.Errorf("Build with a huge source = %v, want a source error", err)
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) { return len(p), nil }

func TestReadSourceBounded(t *testing.T) {
	if _, err := ReadSource(endless{}, "/dev/zero"); err == nil || !strings.Contains(err.Error(), "/dev/zero: longer than 8 MiB") {
		t.Errorf("endless source: %v", err)
	}
	src, err := ReadSource(strings.NewReader("L = 0.5*|v|^2\n"), "k.lag")
	if err != nil || string(src) != "L = 0.5*|v|^2\n" {
		t.Errorf("small source: %q, %v", src, err)
	}
}
