package codegen

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/lagc-dev/lagc/autodiff"
)

// An output is one value a generated function computes.
type output struct {
	node *autodiff.Node
	// dst is the slice a vector output is written to; for a scalar output,
	// the statement template run once it is known ("return %s" or a mass
	// check), with %s its name.
	dst string
}

// funcGen emits the body of one generated function: straight-line code for
// its outputs, in stages separated by the reductions.
type funcGen struct {
	t     *typeGen
	b     *strings.Builder
	vecIn map[string]string // vector input name → Go slice
	loop  string            // the loop index
	nodes []*autodiff.Node
	uses  map[*autodiff.Node]int
	stage map[*autodiff.Node]int
	named map[*autodiff.Node]string // scalar temporaries and accumulators
	local map[*autodiff.Node]string // vector temporaries of the current loop
	// laneIdx and laneSuffix are the component index of the loop body being
	// written and the suffix of its temporaries.
	laneIdx, laneSuffix string
	force               map[*autodiff.Node]bool // nodes to name: bases of small powers
	vctx                map[*autodiff.Node]bool // scalars used inside vector expressions
	nTemp               int
}

func newFuncGen(t *typeGen, b *strings.Builder, vecIn map[string]string) *funcGen {
	return &funcGen{t: t, b: b, vecIn: vecIn, loop: "i", uses: map[*autodiff.Node]int{},
		stage: map[*autodiff.Node]int{}, named: map[*autodiff.Node]string{}, force: map[*autodiff.Node]bool{},
		vctx: map[*autodiff.Node]bool{}}
}

// collect returns the nodes reachable from roots in increasing ID order,
// which is topological.
func collect(roots []*autodiff.Node) []*autodiff.Node {
	seen := map[*autodiff.Node]bool{}
	var out []*autodiff.Node
	stack := append([]*autodiff.Node(nil), roots...)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
		stack = append(stack, n.Args()...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	return out
}

// constLit reports a vector literal of constants.
func constLit(n *autodiff.Node) bool {
	for _, a := range n.Args() {
		if a.Op() != autodiff.OpConst {
			return false
		}
	}
	return n.Op() == autodiff.OpVecLit
}

func isReduction(n *autodiff.Node) bool { return n.Op() == autodiff.OpDot || n.Op() == autodiff.OpSum }

// trivial nodes are written in place: constants, inputs, constant vectors.
func trivial(n *autodiff.Node) bool {
	switch n.Op() {
	case autodiff.OpConst, autodiff.OpVar, autodiff.OpVecVar, autodiff.OpBasis:
		return true
	case autodiff.OpFill:
		return trivial(n.Args()[0])
	}
	return false
}

// smallPower reports the exponents written as products, which need their
// base named to avoid computing it twice.
func smallPower(n *autodiff.Node) bool {
	if n.Op() != autodiff.OpPow {
		return false
	}
	e := n.Args()[1]
	return e.IsConst(2) || e.IsConst(3)
}

// analyse computes uses, stages and which scalars need names.
//
// The stage of a node is the number of loops that must finish before its
// value is known: inputs are at stage 0, a reduction is one stage after its
// operands, everything else at the latest stage of its operands. Vector
// nodes of stage k are computed inside loop k; scalars of stage k between
// loops k−1 and k.
func (f *funcGen) analyse(outs []output) {
	roots := make([]*autodiff.Node, len(outs))
	for i, o := range outs {
		roots[i] = o.node
	}
	f.nodes = collect(roots)
	for _, n := range f.nodes {
		st := 0
		for _, a := range n.Args() {
			f.uses[a]++
			st = max(st, f.stage[a])
			if n.IsVector() && !a.IsVector() {
				f.vctx[a] = true
			}
		}
		if isReduction(n) {
			st++
		}
		f.stage[n] = st
		if smallPower(n) && !trivial(n.Args()[0]) {
			f.force[n.Args()[0]] = true
		}
	}
}

// needsName reports whether the scalar n is computed once into a variable.
func (f *funcGen) needsName(n *autodiff.Node) bool {
	if n.IsVector() || n.Op() == autodiff.OpConst || n.Op() == autodiff.OpVar {
		return false
	}
	return isReduction(n) || f.uses[n] > 1 || f.vctx[n] || f.force[n]
}

func (f *funcGen) temp(prefix string) string {
	f.nTemp++
	return prefix + strconv.Itoa(f.nTemp)
}

func (f *funcGen) printf(format string, args ...any) { fmt.Fprintf(f.b, format, args...) }

// emit writes the statements computing outs.
func (f *funcGen) emit(outs []output) {
	f.analyse(outs)
	last := 0
	for _, n := range f.nodes {
		last = max(last, f.stage[n])
	}
	for st := 0; st <= last; st++ {
		// Scalars (and vector literals) known at this stage.
		for _, n := range f.nodes {
			if f.stage[n] != st {
				continue
			}
			switch {
			case n.Op() == autodiff.OpVecLit:
				buf := f.t.litBuffer(n)
				if constLit(n) {
					break // filled by the constructor
				}
				for k, e := range n.Args() {
					f.printf("%s[%d] = %s\n", buf, k, f.scalar(e))
				}
			case f.needsName(n) && !isReduction(n):
				name := f.temp("s")
				f.printf("%s := %s\n", name, f.scalar(n))
				f.named[n] = name
			}
			for _, o := range outs {
				if o.node == n && !n.IsVector() {
					f.printf("%s\n", strings.ReplaceAll(o.dst, "%s", f.scalar(n)))
				}
			}
		}
		// The loop of this stage: reductions finishing here and vector
		// outputs known here.
		var reds []*autodiff.Node
		for _, n := range f.nodes {
			if isReduction(n) && f.stage[n] == st+1 {
				reds = append(reds, n)
			}
		}
		var vouts []output
		for _, o := range outs {
			if o.node.IsVector() && f.stage[o.node] == st {
				vouts = append(vouts, o)
			}
		}
		if len(reds) == 0 && len(vouts) == 0 {
			continue
		}
		f.loopBody(reds, vouts)
	}
}

func (f *funcGen) loopBody(reds []*autodiff.Node, vouts []output) {
	var accs []string
	for _, r := range reds {
		name := f.temp("s")
		f.named[r] = name
		accs = append(accs, name)
	}
	if len(accs) > 0 {
		f.printf("var %s float64\n", strings.Join(accs, ", "))
	}
	// The vector nodes this loop evaluates, and how often each is used in it.
	var roots []*autodiff.Node
	for _, r := range reds {
		roots = append(roots, r.Args()...)
	}
	for _, o := range vouts {
		roots = append(roots, o.node)
	}
	inLoop := map[*autodiff.Node]int{}
	seen := map[*autodiff.Node]bool{}
	var order []*autodiff.Node
	var visit func(n *autodiff.Node)
	visit = func(n *autodiff.Node) {
		if !n.IsVector() {
			return
		}
		inLoop[n]++
		if seen[n] {
			return
		}
		seen[n] = true
		order = append(order, n)
		for _, a := range n.Args() {
			visit(a)
		}
	}
	for _, r := range roots {
		visit(r)
	}
	sort.Slice(order, func(i, j int) bool { return order[i].ID() < order[j].ID() })
	f.local = map[*autodiff.Node]string{}
	var locals []*autodiff.Node
	for _, n := range order {
		if trivial(n) || n.Op() == autodiff.OpVecLit || (inLoop[n] < 2 && !f.force[n]) {
			continue
		}
		f.local[n] = f.temp("t")
		locals = append(locals, n)
	}
	// Each reduction is a chain of dependent additions, one per component,
	// whose latency bounds the loop. Unrolled by four with four partial
	// sums, the chains overlap; the remainder runs one component at a time.
	const lanes = 4
	x := f.vecIn["x"]
	unrolled := len(reds) > 0 && (f.t.sys.Dim == 0 || f.t.sys.Dim >= 2*lanes)
	if unrolled {
		var partial []string
		for k := 1; k < lanes; k++ {
			for _, r := range reds {
				partial = append(partial, f.named[r]+"_"+strconv.Itoa(k))
			}
		}
		// A block of its own: a function may have several such loops.
		f.printf("{\nvar %s float64\n", strings.Join(partial, ", "))
		f.printf("%s := 0\n", f.loop)
		f.printf("for ; %s+%d < len(%s); %s += %d {\n", f.loop, lanes-1, x, f.loop, lanes)
		for k := 0; k < lanes; k++ {
			idx, suffix := f.loop, ""
			if k > 0 {
				idx, suffix = f.loop+"+"+strconv.Itoa(k), "_"+strconv.Itoa(k)
			}
			f.lane(idx, suffix, locals, reds, vouts)
		}
		f.printf("}\n")
		for _, r := range reds {
			var sum []string
			for k := 1; k < lanes; k++ {
				sum = append(sum, f.named[r]+"_"+strconv.Itoa(k))
			}
			f.printf("%s += %s\n", f.named[r], strings.Join(sum, " + "))
		}
		f.printf("for ; %s < len(%s); %s++ {\n", f.loop, x, f.loop)
	} else {
		f.printf("for %s := range %s {\n", f.loop, x)
	}
	f.lane(f.loop, "", locals, reds, vouts)
	f.printf("}\n")
	if unrolled {
		f.printf("}\n")
	}
	f.local, f.laneIdx, f.laneSuffix = nil, "", ""
}

// lane writes the loop body for component idx; suffix distinguishes the
// temporaries and partial sums of unrolled lanes.
func (f *funcGen) lane(idx, suffix string, locals, reds []*autodiff.Node, vouts []output) {
	f.laneIdx, f.laneSuffix = idx, suffix
	for _, n := range locals {
		name := f.local[n]
		delete(f.local, n) // computed from its operands, not from itself
		f.printf("%s%s := %s\n", name, suffix, f.at(n, idx))
		f.local[n] = name
	}
	for _, r := range reds {
		acc := f.named[r] + suffix
		if r.Op() == autodiff.OpSum {
			f.printf("%s += %s\n", acc, f.at(r.Args()[0], idx))
			continue
		}
		a, b := r.Args()[0], r.Args()[1]
		f.printf("%s += %s\n", acc, binary("*", f.atP(a, idx), f.atP(b, idx)).s)
	}
	for _, o := range vouts {
		f.printf("%s[%s] = %s\n", o.dst, idx, f.at(o.node, idx))
	}
}

// expr is a Go expression with its precedence: 5 for * and /, 4 for + and
// −, 6 for unary minus, 7 for operands (names, calls, indexing).
type expr struct {
	s    string
	prec int
}

func atom(s string) expr { return expr{s, 7} }

func paren(e expr, min int) string {
	if e.prec < min {
		return "(" + e.s + ")"
	}
	return e.s
}

func binary(op string, a, b expr) expr {
	p := 4
	if op == "*" || op == "/" {
		p = 5
	}
	// Floating-point arithmetic is not associative: a right operand of the
	// same precedence keeps its parentheses, so that Go evaluates the
	// graph's own tree and rounds exactly as the interpreter does.
	return expr{paren(a, p) + " " + op + " " + paren(b, p+1), p}
}

func constant(c float64) expr {
	switch {
	case math.IsNaN(c):
		return atom("math.NaN()")
	case math.IsInf(c, 1):
		return atom("math.Inf(1)")
	case math.IsInf(c, -1):
		return expr{"-math.Inf(1)", 6}
	}
	s := strconv.FormatFloat(c, 'g', -1, 64)
	if c < 0 {
		return expr{s, 6}
	}
	return atom(s)
}

var funcNames = map[autodiff.Op]string{
	autodiff.OpSin: "math.Sin", autodiff.OpCos: "math.Cos", autodiff.OpTan: "math.Tan",
	autodiff.OpExp: "math.Exp", autodiff.OpLog: "math.Log", autodiff.OpSqrt: "math.Sqrt",
	autodiff.OpTanh: "math.Tanh", autodiff.OpSinh: "math.Sinh", autodiff.OpCosh: "math.Cosh",
	autodiff.OpAbs: "math.Abs",
}

// scalar returns the expression of the scalar node n.
func (f *funcGen) scalar(n *autodiff.Node) string { return f.scalarP(n).s }

func (f *funcGen) scalarP(n *autodiff.Node) expr {
	if name, ok := f.named[n]; ok {
		return atom(name)
	}
	switch n.Op() {
	case autodiff.OpConst:
		return constant(n.Value())
	case autodiff.OpVar:
		switch n.Name() {
		case "t":
			return atom("t")
		case "d":
			return atom("float64(s.d)")
		}
		return atom(f.t.field(n.Name()))
	case autodiff.OpIndex:
		return f.atP(n.Args()[0], strconv.Itoa(n.Aux()))
	}
	return f.combine(n, func(a *autodiff.Node) expr {
		if a.IsVector() {
			panic("codegen: vector operand of a scalar node " + n.Op().String())
		}
		return f.scalarP(a)
	})
}

// at returns the expression of component idx of the vector node n.
func (f *funcGen) at(n *autodiff.Node, idx string) string { return f.atP(n, idx).s }

func (f *funcGen) atP(n *autodiff.Node, idx string) expr {
	if !n.IsVector() {
		return f.scalarP(n)
	}
	if name, ok := f.local[n]; ok && idx == f.laneIdx {
		return atom(name + f.laneSuffix)
	}
	k, constIdx := strconv.Atoi(idx)
	isConst := constIdx == nil
	switch n.Op() {
	case autodiff.OpVecVar:
		return atom(f.vecIn[n.Name()] + "[" + idx + "]")
	case autodiff.OpFill:
		return f.scalarP(n.Args()[0])
	case autodiff.OpBasis:
		if isConst {
			if k == n.Aux() {
				return atom("1")
			}
			return atom("0")
		}
		return atom(f.t.basisBuffer(n.Aux()) + "[" + idx + "]")
	case autodiff.OpVecLit:
		if isConst {
			return f.scalarP(n.Args()[k])
		}
		return atom(f.t.litBuffer(n) + "[" + idx + "]")
	}
	return f.combine(n, func(a *autodiff.Node) expr { return f.atP(a, idx) })
}

// combine writes the operation of n over the expressions of its operands.
func (f *funcGen) combine(n *autodiff.Node, arg func(*autodiff.Node) expr) expr {
	args := n.Args()
	switch n.Op() {
	case autodiff.OpAdd:
		return binary("+", arg(args[0]), arg(args[1]))
	case autodiff.OpSub:
		return binary("-", arg(args[0]), arg(args[1]))
	case autodiff.OpMul:
		return binary("*", arg(args[0]), arg(args[1]))
	case autodiff.OpDiv:
		return binary("/", arg(args[0]), arg(args[1]))
	case autodiff.OpNeg:
		a := arg(args[0])
		if strings.HasPrefix(a.s, "-") || a.prec < 6 {
			return expr{"-(" + a.s + ")", 6}
		}
		return expr{"-" + a.s, 6}
	case autodiff.OpPow:
		a := arg(args[0])
		e := args[1]
		// The exponents the interpreter special-cases, written the same way
		// so that both round alike.
		switch {
		case e.IsConst(2):
			return binary("*", a, a)
		case e.IsConst(3):
			return binary("*", binary("*", a, a), a)
		case e.IsConst(1):
			return a
		case e.IsConst(-1):
			return binary("/", atom("1"), a)
		case e.IsConst(0.5):
			return atom("math.Sqrt(" + a.s + ")")
		}
		return atom("math.Pow(" + a.s + ", " + arg(e).s + ")")
	case autodiff.OpSign:
		f.t.needSign = true
		return atom("s.sign(" + arg(args[0]).s + ")")
	}
	if name, ok := funcNames[n.Op()]; ok {
		return atom(name + "(" + arg(args[0]).s + ")")
	}
	panic("codegen: no Go for operation " + n.Op().String())
}
