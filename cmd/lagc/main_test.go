package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lagc runs the command in-process and returns its exit status and output.
func lagc(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const ex = "../../examples/lagrangians/"

func TestExitStatusAndMessages(t *testing.T) {
	bad := writeFile(t, "bad.lag", "param w = 2\nL = 0.5*|v|^2 - 0.5*w^2*|y|^2\n")
	vecL := writeFile(t, "vec.lag", "L = v\n")
	degenerate := writeFile(t, "deg.lag", "L = dot(x, v)\n")
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		stdout   string // substring, "" for must-be-empty
		stderr   []string
		noStderr bool
	}{
		{name: "no args", args: nil, code: 2, stderr: []string{"Commands:"}},
		{name: "help", args: []string{"help"}, code: 0, stdout: "Commands:"},
		{name: "unknown command", args: []string{"deriv"}, code: 2, stderr: []string{`unknown command "deriv"`, `did you mean "derive"`}},
		{name: "check ok", args: []string{"check", ex + "harmonic.lag", ex + "bump.lag"}, code: 0, noStderr: true},
		{name: "check -h", args: []string{"check", "-h"}, code: 0, stderr: []string{"usage: lagc check"}},
		{name: "check no files", args: []string{"check"}, code: 2, stderr: []string{"no files to check"}},
		{name: "check bad flag", args: []string{"check", "--nope", ex + "harmonic.lag"}, code: 2, stderr: []string{"flag provided but not defined"}},
		{name: "check undefined", args: []string{"check", bad}, code: 1,
			stderr: []string{bad + ":2:26: ", "\tL = 0.5*|v|^2 - 0.5*w^2*|y|^2\n\t                         ^"}},
		{name: "check vector L", args: []string{"check", vecL}, code: 1, stderr: []string{vecL + ":1:"}},
		{name: "check missing file", args: []string{"check", "/nonexistent.lag"}, code: 1, stderr: []string{"no such file"}},
		{name: "derive degenerate", args: []string{"derive", degenerate}, code: 1, stderr: []string{degenerate + ":1:1: ", "degenerate in v"}},
		{name: "derive", args: []string{"derive", ex + "harmonic.lag"}, code: 0, stdout: "a = -(s1*x)"},
		{name: "derive class", args: []string{"derive", ex + "harmonic.lag"}, code: 0, stdout: "# closed form: harmonic, ω = 1.5707963267948966"},
		{name: "derive class numeric", args: []string{"derive", ex + "bump.lag"}, code: 0, stdout: "# numeric: nonlinear in x"},
		{name: "derive -p", args: []string{"derive", ex + "harmonic.lag", "-p", "w=3"}, code: 0, stdout: "param w = 3"},
		{name: "derive unknown param", args: []string{"derive", ex + "harmonic.lag", "-p", "ww=3"}, code: 1, stderr: []string{"ww"}},
		{name: "derive bad param value", args: []string{"derive", ex + "harmonic.lag", "-p", "w=abc"}, code: 2},
		{name: "derive latex", args: []string{"derive", "--latex", ex + "conformal.lag"}, code: 0, stdout: `\begin{align*}`},
		{name: "derive two files", args: []string{"derive", ex + "harmonic.lag", ex + "bump.lag"}, code: 2},
		{name: "accel bad json", args: []string{"accel", ex + "harmonic.lag"}, stdin: "[{", code: 1, stderr: []string{"stdin:"}},
		{name: "accel wrong dim", args: []string{"accel", ex + "magnetic.lag"}, stdin: `[{"t":0,"x":[1,2,3],"v":[1,2,3]}]`, code: 1, stderr: []string{"x has 3 and v has 3 components, want 2"}},
		{name: "accel mismatched", args: []string{"accel", ex + "harmonic.lag"}, stdin: `[{"t":0,"x":[1,2],"v":[1]}]`, code: 1, stderr: []string{"point 0"}},
		{name: "accel unknown field", args: []string{"accel", ex + "harmonic.lag"}, stdin: `[{"t":0,"x":[1],"v":[1],"q":1}]`, code: 1, stderr: []string{"unknown key"}},
		{name: "accel empty", args: []string{"accel", ex + "harmonic.lag"}, stdin: `[]`, code: 0, stdout: "[]"},
		{name: "accel degenerate point", args: []string{"accel", writeFile(t, "neg.lag", "L = 0.5*(1 - |x|^2)*|v|^2\n")},
			stdin: `[{"t":0,"x":[2,0],"v":[1,0]}]`, code: 1, stderr: []string{"not positive definite"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := lagc(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errs)
			}
			if tc.stdout != "" && !strings.Contains(out, tc.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdout, out)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(errs, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errs)
				}
			}
			if tc.noStderr && errs != "" {
				t.Errorf("stderr not empty:\n%s", errs)
			}
		})
	}
}

// TestAccelMachineInterface checks the JSON interface against the closed
// form of the harmonic oscillator, a = −w²x, at full precision.
func TestAccelMachineInterface(t *testing.T) {
	in := `[{"t":0.3,"x":[1,-2,0.25],"v":[0.5,0,1]},{"t":0,"x":[1e-3,2,3],"v":[0,0,0]}]`
	code, out, errs := lagc(t, in, "accel", ex+"harmonic.lag", "-p", "w=1.7")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got [][]float64
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not a JSON array of arrays: %v\n%s", err, out)
	}
	xs := [][]float64{{1, -2, 0.25}, {1e-3, 2, 3}}
	if len(got) != 2 {
		t.Fatalf("got %d accelerations, want 2", len(got))
	}
	for i, x := range xs {
		for j := range x {
			want := -1.7 * 1.7 * x[j]
			if math.Abs(got[i][j]-want) > 1e-15*math.Abs(want) {
				t.Errorf("a[%d][%d] = %.17g, want %.17g", i, j, got[i][j], want)
			}
		}
	}
}
