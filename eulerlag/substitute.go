package eulerlag

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// paramLine matches a parameter declaration: its name, the value
// expression, and what may follow (bounds "in [lo, hi]", a comment).
var paramLine = regexp.MustCompile(`^(\s*param\s+)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*?)(\s+in\s*\[[^\]]*\])?(\s*#.*)?$`)

// SubstituteParams rewrites the value of each named parameter declaration
// in a .lag source, keeping its bounds and comment, and checks the result
// by loading it again: the values read back must be the ones given.
func SubstituteParams(filename string, src []byte, vals map[string]float64) ([]byte, error) {
	lines := strings.Split(string(src), "\n")
	done := map[string]bool{}
	for i, line := range lines {
		m := paramLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		v, ok := vals[m[2]]
		if !ok {
			continue
		}
		lines[i] = m[1] + m[2] + m[3] + strconv.FormatFloat(v, 'g', -1, 64) + m[5] + m[6]
		done[m[2]] = true
	}
	for n := range vals {
		if !done[n] {
			return nil, fmt.Errorf("%s: cannot find the line `param %s = …` to substitute the value", filename, n)
		}
	}
	out := []byte(strings.Join(lines, "\n"))
	sys, err := Load(filename, out, nil)
	if err != nil {
		return nil, fmt.Errorf("%s with the new values does not load: %w", filename, err)
	}
	for _, p := range sys.Params {
		if v, ok := vals[p.Name]; ok && p.Value != v {
			return nil, fmt.Errorf("%s: parameter %s reads back as %g, not %g", filename, p.Name, p.Value, v)
		}
	}
	return out, nil
}
