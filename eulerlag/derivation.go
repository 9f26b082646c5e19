package eulerlag

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"github.com/lagc-dev/lagc/autodiff"
)

// WriteDerivation prints the equations of the system as text or as LaTeX
// (an align* environment): a header naming file and the dimension, the
// parameters, L, p, f, the mass (m or M_w), a (or R with a = M⁻¹R) with
// shared subexpressions printed once, and the closed-form classification.
func (sys *System) WriteDerivation(w io.Writer, file string, latex bool) error {
	bw := bufio.NewWriter(w)
	comment := "# "
	if latex {
		comment = "% "
	}
	dim := "any dimension"
	switch {
	case sys.Dim > 0:
		dim = fmt.Sprintf("dimension %d", sys.Dim)
	case sys.MinDim > 1:
		dim = fmt.Sprintf("dimension ≥ %d", sys.MinDim)
	}
	fmt.Fprintf(bw, "%sEuler–Lagrange equations of %s (%s)\n", comment, file, dim)
	reserved := []string{"x", "v", "t", "d", "m"}
	for _, p := range sys.Params {
		fmt.Fprintf(bw, "%sparam %s = %s\n", comment, p.Name, strconv.FormatFloat(p.Value, 'g', -1, 64))
		reserved = append(reserved, p.Name)
	}
	outs := []autodiff.Named{{Name: "L", Node: sys.L}, {Name: "p", Node: sys.P}, {Name: "f", Node: sys.F}}
	var massLine string
	switch {
	case sys.Mass != nil && sys.Mass.IsConst(1):
		massLine = "M = I"
	case sys.Mass != nil:
		outs = append(outs, autodiff.Named{Name: "m", Node: sys.Mass})
		massLine = "M = m*I"
	default:
		outs = append(outs, autodiff.Named{Name: "M_w", Node: sys.MW})
		massLine = "M is not a multiple of I; M_w is its product M*w with a vector w,\n" +
			comment + "and a solves M*a = f - (dp/dx)*v - dp/dt at each point (Cholesky)"
	}
	if sys.A != nil {
		outs = append(outs, autodiff.Named{Name: "a", Node: sys.A})
	} else {
		outs = append(outs, autodiff.Named{Name: "R", Node: sys.R})
	}
	style := autodiff.Text
	if latex {
		style = autodiff.LaTeX
		fmt.Fprintln(bw, `\begin{align*}`)
	}
	if err := autodiff.Format(bw, outs, style, reserved...); err != nil {
		return err
	}
	if latex {
		fmt.Fprintln(bw, `\end{align*}`)
	}
	fmt.Fprintf(bw, "%s%s\n", comment, massLine)
	fmt.Fprintf(bw, "%s%s\n", comment, sys.Classify())
	if sys.A == nil {
		fmt.Fprintf(bw, "%sa = M^-1 R\n", comment)
	}
	return bw.Flush()
}
