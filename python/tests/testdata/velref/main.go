// Command velref evaluates a model archive's velocity field with lagc's own
// network code, for the Python tests: velref MODEL.npz reads {"x": [[…]…],
// "t": […]} on stdin and writes the velocities as a JSON array of rows, in
// full float64 precision. Under testdata, so the module's packages ignore it.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/lagc-dev/lagc/runtime/modelio"
)

func main() {
	m, err := modelio.Read(os.Args[1])
	if err != nil {
		fail(err)
	}
	var in struct {
		X [][]float64 `json:"x"`
		T []float64   `json:"t"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail(err)
	}
	n, d := len(in.X), m.Net.Out()
	if n == 0 || len(in.T) != n {
		fail(fmt.Errorf("want n points and n times, got %d and %d", n, len(in.T)))
	}
	buf := make([]float64, 0, n*(d+1))
	for i, x := range in.X {
		if len(x) != d {
			fail(fmt.Errorf("point %d has %d components, the model %d", i, len(x), d))
		}
		buf = append(append(buf, x...), in.T[i])
	}
	ws, err := m.Net.NewWorkspace(n, nil)
	if err != nil {
		fail(err)
	}
	out, err := m.Net.Forward(ws, buf, n)
	if err != nil {
		fail(err)
	}
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("[")
		for j := 0; j < d; j++ {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString(strconv.FormatFloat(out[i*d+j], 'g', -1, 64))
		}
		b.WriteString("]")
	}
	b.WriteString("]\n")
	os.Stdout.WriteString(b.String())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "velref:", err)
	os.Exit(1)
}
