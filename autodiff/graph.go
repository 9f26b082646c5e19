package autodiff

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Op is the operation a Node performs.
type Op uint8

// The operations. Unary functions apply elementwise to vectors.
const (
	OpConst  Op = iota // scalar constant Val
	OpVar              // scalar input Name (t, d, parameters)
	OpVecVar           // vector input Name (x, v, tangent directions)
	OpFill             // vector with every component Args[0]
	OpBasis            // unit vector e_Aux
	OpVecLit           // vector [Args[0], Args[1], …]
	OpIndex            // component Aux of vector Args[0]
	OpDot              // Args[0]·Args[1]
	OpSum              // sum of the components of Args[0]
	OpAdd
	OpSub
	OpMul
	OpDiv
	OpPow
	OpNeg
	OpSin
	OpCos
	OpTan
	OpExp
	OpLog
	OpSqrt
	OpTanh
	OpSinh
	OpCosh
	OpAbs
	OpSign
	numOps
)

var opNames = [numOps]string{
	OpConst: "const", OpVar: "var", OpVecVar: "vecvar", OpFill: "fill", OpBasis: "basis",
	OpVecLit: "veclit", OpIndex: "index", OpDot: "dot", OpSum: "sum",
	OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpPow: "^", OpNeg: "neg",
	OpSin: "sin", OpCos: "cos", OpTan: "tan", OpExp: "exp", OpLog: "log", OpSqrt: "sqrt",
	OpTanh: "tanh", OpSinh: "sinh", OpCosh: "cosh", OpAbs: "abs", OpSign: "sign",
}

func (op Op) String() string {
	if op < numOps {
		return opNames[op]
	}
	return fmt.Sprintf("Op(%d)", op)
}

// IsFunc reports whether op is an elementwise function of one argument.
func (op Op) IsFunc() bool { return op >= OpSin && op <= OpSign }

// FuncOp returns the function operation named name ("sin", "exp", …).
func FuncOp(name string) (Op, bool) {
	for op := OpSin; op <= OpSign; op++ {
		if opNames[op] == name {
			return op, true
		}
	}
	return 0, false
}

// A Node is one vertex of an expression graph. Nodes are immutable and
// unique within their Graph: structural equality is pointer equality.
type Node struct {
	id   int
	op   Op
	vec  bool
	args []*Node
	val  float64
	name string
	aux  int
	// deps is a bitmask of the input variables the node depends on, indexed
	// by Graph.varBit; it lets derivatives skip constant subgraphs at once.
	deps uint64
}

// ID is the node's index in its graph; IDs grow in construction order, so
// arguments always have smaller IDs than the nodes that use them.
func (n *Node) ID() int { return n.id }

// Op is the node's operation.
func (n *Node) Op() Op { return n.op }

// IsVector reports whether the node is vector-valued.
func (n *Node) IsVector() bool { return n.vec }

// Args are the node's operands.
func (n *Node) Args() []*Node { return n.args }

// Value is the value of an OpConst node.
func (n *Node) Value() float64 { return n.val }

// Name is the name of an OpVar or OpVecVar node.
func (n *Node) Name() string { return n.name }

// Aux is the component index of OpIndex and OpBasis nodes.
func (n *Node) Aux() int { return n.aux }

// IsConst reports whether n is the scalar constant c.
func (n *Node) IsConst(c float64) bool { return n.op == OpConst && n.val == c }

// isZero reports whether n is 0 or the zero vector.
func (n *Node) isZero() bool {
	return n.IsConst(0) || (n.op == OpFill && n.args[0].IsConst(0))
}

// isOne reports whether n is 1 or the all-ones vector.
func (n *Node) isOne() bool {
	return n.IsConst(1) || (n.op == OpFill && n.args[0].IsConst(1))
}

// constFactor splits n into c*rest with c a scalar constant. rest is nil
// when n is itself the constant.
func constFactor(n *Node) (float64, *Node) {
	switch {
	case n.op == OpConst:
		return n.val, nil
	case n.op == OpMul && n.args[0].op == OpConst && !n.args[0].vec:
		return n.args[0].val, n.args[1]
	}
	return 1, n
}

// constValue returns the constant a node denotes, looking through Fill.
func (n *Node) constValue() (float64, bool) {
	switch n.op {
	case OpConst:
		return n.val, true
	case OpFill:
		if n.args[0].op == OpConst {
			return n.args[0].val, true
		}
	}
	return 0, false
}

// A Graph owns nodes and hash-conses them. The zero value is not usable; call
// NewGraph. A Graph is not safe for concurrent use.
type Graph struct {
	nodes  []*Node
	table  map[nodeKey]*Node
	varBit map[string]uint
	// DisableSimplify turns off algebraic simplification (constant folding
	// stays). Tests use it to check that simplification preserves values.
	DisableSimplify bool
}

type nodeKey struct {
	op   Op
	vec  bool
	val  uint64
	name string
	aux  int
	args string
}

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{table: make(map[nodeKey]*Node), varBit: make(map[string]uint)}
}

// Len is the number of distinct nodes in the graph.
func (g *Graph) Len() int { return len(g.nodes) }

func (g *Graph) intern(op Op, vec bool, val float64, name string, aux int, args ...*Node) *Node {
	var buf []byte
	var deps uint64
	for _, a := range args {
		buf = binary.AppendUvarint(buf, uint64(a.id))
		deps |= a.deps
	}
	if op == OpConst && val == 0 {
		val = 0 // fold -0 into +0 so that both intern as one node
	}
	k := nodeKey{op: op, vec: vec, val: math.Float64bits(val), name: name, aux: aux, args: string(buf)}
	if n, ok := g.table[k]; ok {
		return n
	}
	n := &Node{id: len(g.nodes), op: op, vec: vec, args: args, val: val, name: name, aux: aux, deps: deps}
	if op == OpVar || op == OpVecVar {
		// A scalar and a vector may share a name; their bits must differ.
		n.deps = g.bit(op.String() + ":" + name)
	}
	g.nodes = append(g.nodes, n)
	g.table[k] = n
	return n
}

func (g *Graph) bit(name string) uint64 {
	b, ok := g.varBit[name]
	if !ok {
		b = uint(len(g.varBit))
		g.varBit[name] = b
	}
	if b >= 64 {
		return 1 << 63 // shared overflow bit: conservative, never wrong
	}
	return 1 << b
}

// Const returns the scalar constant c.
func (g *Graph) Const(c float64) *Node { return g.intern(OpConst, false, c, "", 0) }

// Var returns the scalar input named name.
func (g *Graph) Var(name string) *Node { return g.intern(OpVar, false, 0, name, 0) }

// VecVar returns the vector input named name.
func (g *Graph) VecVar(name string) *Node { return g.intern(OpVecVar, true, 0, name, 0) }

// Fill returns the vector whose every component is the scalar s.
func (g *Graph) Fill(s *Node) *Node {
	if s.vec {
		return s
	}
	return g.intern(OpFill, true, 0, "", 0, s)
}

// Zero returns 0 if vec is false and the zero vector otherwise.
func (g *Graph) Zero(vec bool) *Node {
	if vec {
		return g.Fill(g.Const(0))
	}
	return g.Const(0)
}

// Basis returns the unit vector e_i.
func (g *Graph) Basis(i int) *Node { return g.intern(OpBasis, true, 0, "", i) }

// VecLit returns the vector with the given scalar components.
func (g *Graph) VecLit(elems ...*Node) *Node {
	for _, e := range elems {
		if e.vec {
			panic("autodiff: VecLit of a vector")
		}
	}
	return g.intern(OpVecLit, true, 0, "", len(elems), elems...)
}

// Index returns component i of the vector a.
func (g *Graph) Index(a *Node, i int) *Node {
	if !a.vec {
		panic("autodiff: Index of a scalar")
	}
	switch a.op {
	case OpFill:
		return a.args[0]
	case OpBasis:
		if a.aux == i {
			return g.Const(1)
		}
		return g.Const(0)
	case OpVecLit:
		if i < len(a.args) {
			return a.args[i]
		}
	case OpNeg:
		return g.Neg(g.Index(a.args[0], i))
	case OpAdd, OpSub, OpMul, OpDiv:
		// Distribute over cheap operands so that x[i] of a sum of basis
		// terms (magnetic-field momenta) stays scalar-sized.
		if !g.DisableSimplify && cheapIndex(a.args[0]) && cheapIndex(a.args[1]) {
			return g.Binary(a.op, g.indexOrScalar(a.args[0], i), g.indexOrScalar(a.args[1], i))
		}
	}
	return g.intern(OpIndex, false, 0, "", i, a)
}

func cheapIndex(a *Node) bool {
	return !a.vec || a.op == OpBasis || a.op == OpFill || a.op == OpVecLit
}

func (g *Graph) indexOrScalar(a *Node, i int) *Node {
	if a.vec {
		return g.Index(a, i)
	}
	return a
}

// Dot returns the inner product of the vectors a and b.
func (g *Graph) Dot(a, b *Node) *Node {
	if !a.vec || !b.vec {
		panic("autodiff: Dot needs two vectors")
	}
	if a.isZero() || b.isZero() {
		return g.Const(0)
	}
	if a.id > b.id {
		a, b = b, a
	}
	if !g.DisableSimplify {
		switch {
		case a.op == OpBasis:
			return g.Index(b, a.aux)
		case b.op == OpBasis:
			return g.Index(a, b.aux)
		case a.op == OpFill:
			return g.Mul(a.args[0], g.Sum(b))
		case b.op == OpFill:
			return g.Mul(b.args[0], g.Sum(a))
		}
	}
	return g.intern(OpDot, false, 0, "", 0, a, b)
}

// Sum returns the sum of the components of the vector a.
func (g *Graph) Sum(a *Node) *Node {
	if !a.vec {
		panic("autodiff: Sum of a scalar")
	}
	switch a.op {
	case OpFill:
		return g.Mul(a.args[0], g.Var("d"))
	case OpBasis:
		return g.Const(1)
	}
	return g.intern(OpSum, false, 0, "", 0, a)
}

// Binary applies one of OpAdd, OpSub, OpMul, OpDiv, OpPow.
func (g *Graph) Binary(op Op, a, b *Node) *Node {
	switch op {
	case OpAdd:
		return g.Add(a, b)
	case OpSub:
		return g.Sub(a, b)
	case OpMul:
		return g.Mul(a, b)
	case OpDiv:
		return g.Div(a, b)
	case OpPow:
		return g.Pow(a, b)
	}
	panic("autodiff: Binary of " + op.String())
}

// fold evaluates op on two constants (or constant fills).
func (g *Graph) fold(op Op, a, b *Node) (*Node, bool) {
	ca, okA := a.constValue()
	cb, okB := b.constValue()
	if !okA || !okB {
		return nil, false
	}
	var c float64
	switch op {
	case OpAdd:
		c = ca + cb
	case OpSub:
		c = ca - cb
	case OpMul:
		c = ca * cb
	case OpDiv:
		c = ca / cb
	case OpPow:
		c = math.Pow(ca, cb)
	}
	if a.vec || b.vec {
		return g.Fill(g.Const(c)), true
	}
	return g.Const(c), true
}

// broadcast returns a with the kind (scalar or vector) of the result of an
// operation between a and b.
func (g *Graph) broadcast(a, b *Node) *Node {
	if b.vec && !a.vec {
		return g.Fill(a)
	}
	return a
}

// Add returns a + b.
func (g *Graph) Add(a, b *Node) *Node {
	if n, ok := g.fold(OpAdd, a, b); ok {
		return n
	}
	switch {
	case a.isZero():
		return g.broadcast(b, a)
	case b.isZero():
		return g.broadcast(a, b)
	}
	if !g.DisableSimplify {
		switch {
		case a == b:
			return g.Mul(g.Const(2), a)
		case b.op == OpNeg:
			return g.Sub(a, b.args[0])
		case a.op == OpNeg:
			return g.Sub(b, a.args[0])
		case b.op == OpMul && b.args[0].op == OpConst && b.args[0].val < 0:
			return g.Sub(a, g.Mul(g.Const(-b.args[0].val), b.args[1]))
		case a.op == OpMul && a.args[0].op == OpConst && a.args[0].val < 0:
			return g.Sub(b, g.Mul(g.Const(-a.args[0].val), a.args[1]))
		}
	}
	if a.id > b.id && a.vec == b.vec {
		a, b = b, a
	}
	return g.intern(OpAdd, a.vec || b.vec, 0, "", 0, a, b)
}

// Sub returns a − b.
func (g *Graph) Sub(a, b *Node) *Node {
	if n, ok := g.fold(OpSub, a, b); ok {
		return n
	}
	switch {
	case b.isZero():
		return g.broadcast(a, b)
	case a.isZero():
		return g.broadcast(g.Neg(b), a)
	}
	if !g.DisableSimplify {
		switch {
		case a == b:
			return g.Zero(a.vec)
		case b.op == OpNeg:
			return g.Add(a, b.args[0])
		}
	}
	return g.intern(OpSub, a.vec || b.vec, 0, "", 0, a, b)
}

// Neg returns −a.
func (g *Graph) Neg(a *Node) *Node {
	if c, ok := a.constValue(); ok {
		return g.broadcast(g.Const(-c), a)
	}
	if a.op == OpNeg {
		return a.args[0]
	}
	if !g.DisableSimplify {
		switch {
		case a.op == OpSub:
			return g.Sub(a.args[1], a.args[0])
		case a.op == OpMul && a.args[0].op == OpConst:
			return g.Mul(g.Const(-a.args[0].val), a.args[1])
		}
	}
	return g.intern(OpNeg, a.vec, 0, "", 0, a)
}

// Mul returns a * b (elementwise for two vectors).
func (g *Graph) Mul(a, b *Node) *Node {
	if n, ok := g.fold(OpMul, a, b); ok {
		return n
	}
	switch {
	case a.isZero() || b.isZero():
		return g.Zero(a.vec || b.vec)
	case a.isOne():
		return g.broadcast(b, a)
	case b.isOne():
		return g.broadcast(a, b)
	}
	// Constants and scalars go left: 2*x, not x*2.
	if b.op == OpConst || (!b.vec && a.vec) || (a.vec == b.vec && a.op != OpConst && a.id > b.id) {
		a, b = b, a
	}
	if !g.DisableSimplify {
		if a.IsConst(-1) {
			return g.Neg(b)
		}
		if a.op == OpNeg {
			return g.Neg(g.Mul(a.args[0], b))
		}
		if b.op == OpNeg {
			return g.Neg(g.Mul(a, b.args[0]))
		}
		// Collect constant factors in front, (c1*a)*(c2*b) = (c1 c2)*(a*b),
		// so that they do not pile up in derivatives.
		ca, ra := constFactor(a)
		cb, rb := constFactor(b)
		if (ra != a && ra != nil) || (rb != b && rb != nil) {
			var r *Node
			switch {
			case ra == nil:
				r = rb
			case rb == nil:
				r = ra
			default:
				r = g.Mul(ra, rb)
			}
			return g.Mul(g.Const(ca*cb), r)
		}
		if a == b {
			return g.Pow(a, g.Const(2))
		}
	}
	return g.intern(OpMul, a.vec || b.vec, 0, "", 0, a, b)
}

// Div returns a / b (elementwise for two vectors).
func (g *Graph) Div(a, b *Node) *Node {
	if n, ok := g.fold(OpDiv, a, b); ok {
		return n
	}
	switch {
	case a.isZero():
		return g.Zero(a.vec || b.vec)
	case b.isOne():
		return g.broadcast(a, b)
	}
	if cb, ok := b.constValue(); ok && !b.vec && !g.DisableSimplify {
		return g.Mul(g.Const(1/cb), a)
	}
	return g.intern(OpDiv, a.vec || b.vec, 0, "", 0, a, b)
}

// Pow returns a ^ b (elementwise for vectors).
func (g *Graph) Pow(a, b *Node) *Node {
	if n, ok := g.fold(OpPow, a, b); ok {
		return n
	}
	switch {
	case b.isZero():
		return g.broadcast(g.Const(1), g.broadcast(a, b))
	case b.isOne():
		return g.broadcast(a, b)
	}
	if !g.DisableSimplify && b.op == OpConst && !a.vec {
		// (√u)^(2k) = u^k when u = w·w ≥ 0: |v|^2 becomes v·v exactly.
		if a.op == OpSqrt && a.args[0].op == OpDot && a.args[0].args[0] == a.args[0].args[1] {
			if k := b.val / 2; k == math.Trunc(k) && k > 0 {
				return g.Pow(a.args[0], g.Const(k))
			}
		}
		// |s|^(2k) = s^(2k).
		if a.op == OpAbs {
			if k := b.val / 2; k == math.Trunc(k) {
				return g.Pow(a.args[0], b)
			}
		}
		// (u^p)^q = u^(pq) for integer p, q.
		if a.op == OpPow && a.args[1].op == OpConst {
			p := a.args[1].val
			if p == math.Trunc(p) && b.val == math.Trunc(b.val) {
				return g.Pow(a.args[0], g.Const(p*b.val))
			}
		}
	}
	return g.intern(OpPow, a.vec || b.vec, 0, "", 0, a, b)
}

// Func applies the elementwise function op (OpSin … OpSign) to a.
func (g *Graph) Func(op Op, a *Node) *Node {
	if !op.IsFunc() {
		panic("autodiff: Func of " + op.String())
	}
	if c, ok := a.constValue(); ok {
		return g.broadcast(g.Const(applyFunc(op, c)), a)
	}
	if !g.DisableSimplify {
		switch {
		case op == OpExp && a.op == OpLog:
			// exp(log u) = u only for u > 0; keep it, log of a negative is NaN anyway.
		case op == OpSqrt && a.op == OpPow && a.args[1].IsConst(2) && !a.vec:
			return g.Func(OpAbs, a.args[0])
		case op == OpAbs && (a.op == OpAbs || a.op == OpExp || a.op == OpSqrt || a.op == OpCosh):
			return a
		}
	}
	return g.intern(op, a.vec, 0, "", 0, a)
}

// Norm returns |a|: the Euclidean norm of a vector, the absolute value of a
// scalar.
func (g *Graph) Norm(a *Node) *Node {
	if a.vec {
		return g.Func(OpSqrt, g.Dot(a, a))
	}
	return g.Func(OpAbs, a)
}

func applyFunc(op Op, x float64) float64 {
	switch op {
	case OpSin:
		return math.Sin(x)
	case OpCos:
		return math.Cos(x)
	case OpTan:
		return math.Tan(x)
	case OpExp:
		return math.Exp(x)
	case OpLog:
		return math.Log(x)
	case OpSqrt:
		return math.Sqrt(x)
	case OpTanh:
		return math.Tanh(x)
	case OpSinh:
		return math.Sinh(x)
	case OpCosh:
		return math.Cosh(x)
	case OpAbs:
		return math.Abs(x)
	case OpSign:
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return 0
	}
	panic("autodiff: applyFunc of " + op.String())
}
