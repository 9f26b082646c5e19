package autodiff

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Named is an output of Format: a name and the node it stands for.
type Named struct {
	Name string
	Node *Node
}

// Style selects the notation of Format.
type Style int

const (
	Text  Style = iota // .lag-style text: 0.5*|v|^2 - w^2*x
	LaTeX              // LaTeX math: \frac{1}{2}\lVert v\rVert^{2}
)

// Format writes each output as "name = expression", one per line. Nontrivial
// subexpressions used more than once are written first as temporaries
// (s1, s2, …, avoiding the names in reserved), so the text grows like the
// graph, not like the tree. In text, ones is the all-ones vector and e_i the
// i-th unit vector.
func Format(w io.Writer, outs []Named, style Style, reserved ...string) error {
	f := &formatter{style: style, temp: map[*Node]string{}}
	roots := make([]*Node, len(outs))
	for i, o := range outs {
		roots[i] = o.Node
	}
	uses := map[*Node]int{}
	for _, n := range collect(roots) {
		for _, a := range n.args {
			uses[a]++
		}
	}
	taken := map[string]bool{}
	for _, r := range reserved {
		taken[r] = true
	}
	for _, o := range outs {
		taken[o.Name] = true
	}
	var temps []*Node
	for n, u := range uses {
		if u > 1 && !trivial(n) {
			temps = append(temps, n)
		}
	}
	sort.Slice(temps, func(i, j int) bool { return temps[i].id < temps[j].id })
	k := 0
	var lines []string
	for _, n := range temps {
		var name string
		for {
			k++
			name = "s" + strconv.Itoa(k)
			if !taken[name] {
				break
			}
		}
		lines = append(lines, f.line(name, f.expr(n, 0, true)))
		f.temp[n] = name
	}
	for _, o := range outs {
		lines = append(lines, f.line(o.Name, f.expr(o.Node, 0, true)))
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

// String returns e in .lag-style text, without temporaries.
func (n *Node) String() string {
	f := &formatter{style: Text}
	return f.expr(n, 0, true)
}

type formatter struct {
	style Style
	temp  map[*Node]string
}

func trivial(n *Node) bool {
	switch n.op {
	case OpConst, OpVar, OpVecVar, OpBasis:
		return true
	case OpFill, OpNeg, OpIndex:
		return trivial(n.args[0])
	}
	return false
}

func (f *formatter) line(name, rhs string) string {
	if f.style == LaTeX {
		return latexName(name) + " &= " + rhs + ` \\`
	}
	return name + " = " + rhs
}

func latexName(name string) string {
	if i := strings.IndexByte(name, '_'); i > 0 {
		return name[:i] + "_{" + name[i+1:] + "}"
	}
	if len(name) > 1 && name[0] == 's' {
		if _, err := strconv.Atoi(name[1:]); err == nil {
			return "s_{" + name[1:] + "}"
		}
	}
	if len(name) > 1 {
		return `\mathrm{` + name + `}`
	}
	return name
}

// Precedence levels, loosest first.
const (
	precAdd = iota + 1
	precMul
	precUnary
	precPow
	precAtom
)

func prec(n *Node) int {
	switch n.op {
	case OpAdd, OpSub:
		return precAdd
	case OpMul, OpDiv:
		return precMul
	case OpNeg:
		return precUnary
	case OpPow:
		return precPow
	case OpConst:
		if n.val < 0 {
			return precUnary
		}
	case OpFill:
		return precMul
	}
	return precAtom
}

// expr formats n in a context that needs at least precedence min. top is
// true when n is the whole right-hand side (a temporary is then expanded).
func (f *formatter) expr(n *Node, min int, top bool) string {
	if name, ok := f.temp[n]; ok && !top {
		if f.style == LaTeX {
			return latexName(name)
		}
		return name
	}
	var s string
	if f.style == LaTeX {
		s = f.latex(n)
	} else {
		s = f.text(n)
	}
	if prec(n) < min {
		if f.style == LaTeX {
			return `\left(` + s + `\right)`
		}
		return "(" + s + ")"
	}
	return s
}

func formatConst(c float64) string { return strconv.FormatFloat(c, 'g', -1, 64) }

func (f *formatter) text(n *Node) string {
	a := n.args
	switch n.op {
	case OpConst:
		return formatConst(n.val)
	case OpVar, OpVecVar:
		return n.name
	case OpFill:
		if a[0].IsConst(1) {
			return "ones"
		}
		if a[0].IsConst(0) {
			return "0"
		}
		return f.expr(a[0], precMul, false) + "*ones"
	case OpBasis:
		return fmt.Sprintf("e_%d", n.aux)
	case OpVecLit:
		el := make([]string, len(a))
		for i, e := range a {
			el[i] = f.expr(e, 0, false)
		}
		return "[" + strings.Join(el, ", ") + "]"
	case OpIndex:
		return fmt.Sprintf("%s[%d]", f.expr(a[0], precAtom, false), n.aux)
	case OpDot:
		if a[0] == a[1] {
			return "|" + f.expr(a[0], 0, false) + "|^2"
		}
		return "dot(" + f.expr(a[0], 0, false) + ", " + f.expr(a[1], 0, false) + ")"
	case OpSum:
		return "sum(" + f.expr(a[0], 0, false) + ")"
	case OpAdd:
		// Sums and products are written flat, a + b + c rather than
		// a + (b + c): the value is the same, and deep right-nested
		// chains would otherwise print deeper than the parser reads.
		return f.expr(a[0], precAdd, false) + " + " + f.expr(a[1], precAdd, false)
	case OpSub:
		return f.expr(a[0], precAdd, false) + " - " + f.expr(a[1], precAdd+1, false)
	case OpMul:
		return f.expr(a[0], precMul, false) + "*" + f.expr(a[1], precMul, false)
	case OpDiv:
		return f.expr(a[0], precMul, false) + "/" + f.expr(a[1], precMul+1, false)
	case OpPow:
		return f.expr(a[0], precPow+1, false) + "^" + f.expr(a[1], precPow, false)
	case OpNeg:
		return "-" + f.expr(a[0], precUnary, false)
	case OpAbs:
		return "|" + f.expr(a[0], 0, false) + "|"
	case OpSqrt:
		if a[0].op == OpDot && a[0].args[0] == a[0].args[1] {
			return "|" + f.expr(a[0].args[0], 0, false) + "|"
		}
	}
	return n.op.String() + "(" + f.expr(a[0], 0, false) + ")"
}

func (f *formatter) latex(n *Node) string {
	a := n.args
	switch n.op {
	case OpConst:
		return formatConst(n.val)
	case OpVar:
		return latexName(n.name)
	case OpVecVar:
		return `\mathbf{` + n.name + `}`
	case OpFill:
		if a[0].IsConst(1) {
			return `\mathbf{1}`
		}
		return f.expr(a[0], precMul, false) + `\,\mathbf{1}`
	case OpBasis:
		return fmt.Sprintf(`\mathbf{e}_{%d}`, n.aux)
	case OpVecLit:
		el := make([]string, len(a))
		for i, e := range a {
			el[i] = f.expr(e, 0, false)
		}
		return `\begin{pmatrix}` + strings.Join(el, ` \\ `) + `\end{pmatrix}`
	case OpIndex:
		if a[0].op == OpVecVar {
			return fmt.Sprintf("%s_{%d}", a[0].name, n.aux)
		}
		return fmt.Sprintf("%s_{%d}", f.expr(a[0], precAtom, false), n.aux)
	case OpDot:
		if a[0] == a[1] {
			return `\lVert ` + f.expr(a[0], 0, false) + `\rVert^{2}`
		}
		return f.expr(a[0], precMul, false) + ` \cdot ` + f.expr(a[1], precMul+1, false)
	case OpSum:
		return `\textstyle\sum_i ` + f.expr(a[0], precAtom, false)
	case OpAdd:
		return f.expr(a[0], precAdd, false) + " + " + f.expr(a[1], precAdd, false)
	case OpSub:
		return f.expr(a[0], precAdd, false) + " - " + f.expr(a[1], precAdd+1, false)
	case OpMul:
		return f.expr(a[0], precMul, false) + ` \, ` + f.expr(a[1], precMul, false)
	case OpDiv:
		return `\frac{` + f.expr(a[0], 0, false) + "}{" + f.expr(a[1], 0, false) + "}"
	case OpPow:
		return f.expr(a[0], precPow+1, false) + "^{" + f.expr(a[1], 0, false) + "}"
	case OpNeg:
		return "-" + f.expr(a[0], precUnary, false)
	case OpAbs:
		return `\left|` + f.expr(a[0], 0, false) + `\right|`
	case OpSqrt:
		if a[0].op == OpDot && a[0].args[0] == a[0].args[1] {
			return `\lVert ` + f.expr(a[0].args[0], 0, false) + `\rVert`
		}
		return `\sqrt{` + f.expr(a[0], 0, false) + "}"
	case OpSign:
		return `\operatorname{sign}\left(` + f.expr(a[0], 0, false) + `\right)`
	}
	return `\` + n.op.String() + `\left(` + f.expr(a[0], 0, false) + `\right)`
}
