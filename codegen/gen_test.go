package codegen

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/eulerlag"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the generator")

const examplesDir = "../examples/lagrangians"

func exampleFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.lag"))
	if err != nil || len(files) < 10 {
		t.Fatalf("found %d example files (%v), want at least 10", len(files), err)
	}
	return files
}

func generateFile(t *testing.T, path, pkg string) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := eulerlag.Load(path, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Generate(sys, &Settings{Package: pkg, Source: filepath.Base(path)})
	if err != nil {
		t.Fatalf("%s: %v\n%s", path, err, out)
	}
	return out
}

var header = regexp.MustCompile(`^// Code generated .* DO NOT EDIT\.$`)

// TestGolden compares the generated code of every example with
// testdata/NAME.golden (go test -update rewrites them), and checks that it
// is deterministic, gofmt'd and carries the generated-code header.
func TestGolden(t *testing.T) {
	for _, f := range exampleFiles(t) {
		name := strings.TrimSuffix(filepath.Base(f), ".lag")
		t.Run(name, func(t *testing.T) {
			got := generateFile(t, f, "lagrangians")
			if again := generateFile(t, f, "lagrangians"); !bytes.Equal(got, again) {
				t.Error("two generations differ: output is not deterministic")
			}
			if first, _, _ := bytes.Cut(got, []byte("\n")); !header.Match(first) {
				t.Errorf("first line %q does not match %v", first, header)
			}
			if formatted, err := format.Source(got); err != nil || !bytes.Equal(formatted, got) {
				t.Errorf("output is not gofmt'd (err %v)", err)
			}
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./codegen -run TestGolden -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("generated code differs from %s; if the change is intended, run go test ./codegen -run TestGolden -update\n%s", golden, firstDiff(got, want))
			}
		})
	}
}

func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(la), len(lb))
}

func TestTypeName(t *testing.T) {
	tests := []struct{ file, want string }{
		{"harmonic.lag", "Harmonic"},
		{"examples/lagrangians/bump.lag", "Bump"},
		{"my-potential.lag", "MyPotential"},
		{"two_body.v2.lag", "TwoBodyV2"},
		{"2d.lag", "L2d"},
		{"_.lag", "L"},
		{"ω.lag", "Ω"},
		{"東京.lag", "L東京"},
		{"type.lag", "Type"},
	}
	for _, tc := range tests {
		if got := TypeName(tc.file); got != tc.want {
			t.Errorf("TypeName(%q) = %q, want %q", tc.file, got, tc.want)
		}
	}
}

// weirdSrc has parameter names that are Go keywords, clash with the
// generated methods, or with each other once exported.
const weirdSrc = `# Parameter names that must not break the generated Go.
param type = 1.5
param func = 0.5
param range = 2
param l = 0.25
param Accel = 0.125
param path = 1
param a_b = 0.5
param aB = 0.25
param _x = 3
param clone = 1
param _1 = 1
L = 0.5*(type + func*|x|^2)*|v|^2 - range*l*Accel*path*a_b*aB*clone*_1*|x[0] - 0.5|^3*_x
`

func TestSanitizedNames(t *testing.T) {
	sys, err := eulerlag.Load("weird.lag", []byte(weirdSrc), nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Generate(sys, &Settings{Package: "p", Source: "weird.lag", Type: "my type"})
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"type MyType struct", "Type float64", "Func float64", "Range float64",
		"LParam float64", "AccelParam float64", "PathParam float64", "AB float64", "ABParam float64", "X float64", "CloneParam float64", "P1 float64"} {
		field, typ, _ := strings.Cut(want, " ")
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(field) + `\s+` + typ).Match(out) {
			t.Errorf("generated code lacks %q", want)
		}
	}
	if _, err := Generate(sys, &Settings{Package: "1p"}); err == nil {
		t.Error("package name 1p accepted")
	}
	if _, err := Generate(nil, nil); err == nil {
		t.Error("nil System accepted")
	}
}

// extraSources are compiled and checked with the examples: awkward names, a
// general mass matrix, a time-dependent Lagrangian.
var extraSources = map[string]string{
	"weird":        weirdSrc,
	"relativistic": "# M = γI + γ³vvᵀ is not a multiple of I.\nL = -sqrt(1 - |v|^2) - 0.5*|x|^2\n",
	"driven":       "param f = 0.5\nL = 0.5*|v|^2 - 0.5*|x|^2 + f*sin(3*t)*x[0] - 0.1*sum(x^3)/d\n",
}

// TestGeneratedCode generates every example (and extraSources) into one
// package inside the module, with a test driver that compares the
// generated methods with the interpreter, and runs go test on it.
func TestGeneratedCode(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("the go command is not on PATH: %v", err)
	}
	dir, err := os.MkdirTemp("testdata", "build-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var table strings.Builder
	files := exampleFiles(t)
	var extras []string
	for name := range extraSources {
		extras = append(extras, name)
	}
	sort.Strings(extras) // a fixed order, so the driver's random points are reproducible
	for _, name := range extras {
		path := filepath.Join(dir, name+".lag")
		if err := os.WriteFile(path, []byte(extraSources[name]), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	for _, f := range files {
		out := generateFile(t, f, "gentest")
		name := strings.TrimSuffix(filepath.Base(f), ".lag")
		if err := os.WriteFile(filepath.Join(dir, name+"_lag.go"), out, 0o644); err != nil {
			t.Fatal(err)
		}
		src, _ := os.ReadFile(f)
		sys, err := eulerlag.Load(f, src, nil)
		if err != nil {
			t.Fatal(err)
		}
		abs, _ := filepath.Abs(f)
		typ := TypeName(f)
		if sys.Dim > 0 {
			fmt.Fprintf(&table, "{%q, %q, []int{%d}, func(int) (lagrangian.System, error) { return New%s(), nil }},\n", name, abs, sys.Dim, typ)
		} else {
			var dims []string
			for _, d := range []int{1, 2, 5} {
				if d >= sys.MinDim {
					dims = append(dims, fmt.Sprint(d))
				}
			}
			fmt.Fprintf(&table, "{%q, %q, []int{%s}, func(d int) (lagrangian.System, error) { return New%s(d) }},\n", name, abs, strings.Join(dims, ", "), typ)
		}
	}
	driver := strings.Replace(driverSrc, "// TABLE\n", table.String(), 1)
	if err := os.WriteFile(filepath.Join(dir, "driver_test.go"), []byte(driver), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goBin, "test", "-count=1", "./"+filepath.ToSlash(filepath.Join("codegen", dir)))
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test on the generated code: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
