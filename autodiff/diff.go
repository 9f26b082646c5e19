package autodiff

import "sort"

// reachable returns the nodes reachable from roots whose dependency mask
// meets mask, in increasing ID order, which is a topological order.
func reachable(mask uint64, roots ...*Node) []*Node {
	seen := make(map[*Node]bool)
	var out []*Node
	stack := append([]*Node(nil), roots...)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] || n.deps&mask == 0 {
			continue
		}
		seen[n] = true
		out = append(out, n)
		stack = append(stack, n.args...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// JVP returns the directional derivative of e (symbolic forward mode):
//
//	d/dε e(inputs + ε·tangent)
//
// tangents maps input nodes (Var or VecVar) to their tangents, of the same
// kind; inputs not in the map are held fixed. The result has e's kind.
func (g *Graph) JVP(e *Node, tangents map[*Node]*Node) *Node {
	var mask uint64
	for in, dt := range tangents {
		if in.op != OpVar && in.op != OpVecVar {
			panic("autodiff: JVP tangent of a non-input node")
		}
		if in.vec != dt.vec {
			panic("autodiff: JVP tangent of the wrong kind for " + in.name)
		}
		mask |= in.deps
	}
	tan := make(map[*Node]*Node)
	d := func(n *Node) *Node {
		if t, ok := tan[n]; ok {
			return t
		}
		return g.Zero(n.vec)
	}
	for _, n := range reachable(mask, e) {
		var t *Node
		a := func(i int) *Node { return n.args[i] }
		switch n.op {
		case OpVar, OpVecVar:
			t = tangents[n]
		case OpFill:
			t = g.Fill(d(a(0)))
		case OpVecLit:
			el := make([]*Node, len(n.args))
			for i, x := range n.args {
				el[i] = d(x)
			}
			t = g.VecLit(el...)
		case OpIndex:
			t = g.Index(d(a(0)), n.aux)
		case OpDot:
			t = g.Add(g.Dot(d(a(0)), a(1)), g.Dot(a(0), d(a(1))))
		case OpSum:
			t = g.Sum(d(a(0)))
		case OpAdd:
			t = g.Add(d(a(0)), d(a(1)))
		case OpSub:
			t = g.Sub(d(a(0)), d(a(1)))
		case OpMul:
			t = g.Add(g.Mul(d(a(0)), a(1)), g.Mul(a(0), d(a(1))))
		case OpDiv:
			// (da − (a/b)·db)/b reuses the node a/b itself.
			t = g.Div(g.Sub(d(a(0)), g.Mul(n, d(a(1)))), a(1))
		case OpPow:
			t = g.Mul(g.powPartialBase(n), d(a(0)))
			if a(1).deps&mask != 0 {
				t = g.Add(t, g.Mul(g.Mul(n, g.Func(OpLog, a(0))), d(a(1))))
			}
		case OpNeg:
			t = g.Neg(d(a(0)))
		default:
			t = g.Mul(g.funcDeriv(n), d(a(0)))
		}
		tan[n] = t
	}
	return d(e)
}

// Deriv returns the partial derivative of e with respect to the scalar input
// wrt (all other inputs fixed).
func (g *Graph) Deriv(e, wrt *Node) *Node {
	if wrt.op != OpVar {
		panic("autodiff: Deriv with respect to a non-scalar-input node")
	}
	return g.JVP(e, map[*Node]*Node{wrt: g.Const(1)})
}

// powPartialBase returns ∂(a^b)/∂a = b·a^(b−1).
func (g *Graph) powPartialBase(n *Node) *Node {
	a, b := n.args[0], n.args[1]
	return g.Mul(b, g.Pow(a, g.Sub(b, g.Const(1))))
}

// funcDeriv returns f'(a) for the elementwise function node n = f(a),
// reusing n where the derivative is a function of the value.
func (g *Graph) funcDeriv(n *Node) *Node {
	a := n.args[0]
	one := g.Const(1)
	switch n.op {
	case OpSin:
		return g.Func(OpCos, a)
	case OpCos:
		return g.Neg(g.Func(OpSin, a))
	case OpTan:
		return g.Add(one, g.Pow(n, g.Const(2)))
	case OpExp:
		return n
	case OpLog:
		return g.Div(one, a)
	case OpSqrt:
		return g.Div(g.Const(0.5), n)
	case OpTanh:
		return g.Sub(one, g.Pow(n, g.Const(2)))
	case OpSinh:
		return g.Func(OpCosh, a)
	case OpCosh:
		return g.Func(OpSinh, a)
	case OpAbs:
		return g.Func(OpSign, a)
	case OpSign:
		return g.Zero(a.vec)
	}
	panic("autodiff: no derivative rule for " + n.op.String())
}

// Grad returns the gradient of the scalar s with respect to the vector input
// wrt, a vector node. It applies the adjoint (transposed) rules once over the
// nodes between wrt and s, so its size grows like the expression's.
func (g *Graph) Grad(s, wrt *Node) *Node {
	if s.vec {
		panic("autodiff: Grad of a vector")
	}
	if wrt.op != OpVecVar {
		panic("autodiff: Grad with respect to a non-vector-input node")
	}
	nodes := reachable(wrt.deps, s)
	adj := make(map[*Node]*Node)
	acc := func(x, c *Node) {
		if x.deps&wrt.deps == 0 {
			return
		}
		if !x.vec && c.vec {
			c = g.Sum(c)
		}
		if prev, ok := adj[x]; ok {
			c = g.Add(prev, c)
		}
		adj[x] = c
	}
	// mul returns A*b reduced to the kind of the operand it flows to.
	mul := func(A, b *Node, toVec bool) *Node {
		if !toVec && A.vec && b.vec {
			return g.Dot(A, b)
		}
		return g.Mul(A, b)
	}
	adj[s] = g.Const(1)
	for i := len(nodes) - 1; i >= 0; i-- {
		n := nodes[i]
		A, ok := adj[n]
		if !ok || A.isZero() {
			continue
		}
		args := n.args
		switch n.op {
		case OpVar, OpVecVar:
		case OpFill:
			acc(args[0], g.Sum(A))
		case OpVecLit:
			for j, x := range args {
				acc(x, g.Index(A, j))
			}
		case OpIndex:
			acc(args[0], g.Mul(A, g.Basis(n.aux)))
		case OpDot:
			acc(args[0], g.Mul(A, args[1]))
			acc(args[1], g.Mul(A, args[0]))
		case OpSum:
			acc(args[0], g.Fill(A))
		case OpAdd:
			acc(args[0], A)
			acc(args[1], A)
		case OpSub:
			acc(args[0], A)
			acc(args[1], g.Neg(A))
		case OpMul:
			acc(args[0], mul(A, args[1], args[0].vec))
			acc(args[1], mul(A, args[0], args[1].vec))
		case OpDiv:
			acc(args[0], g.Div(A, args[1]))
			acc(args[1], g.Neg(mul(A, g.Div(n, args[1]), args[1].vec)))
		case OpPow:
			acc(args[0], mul(A, g.powPartialBase(n), args[0].vec))
			acc(args[1], mul(A, g.Mul(n, g.Func(OpLog, args[0])), args[1].vec))
		case OpNeg:
			acc(args[0], g.Neg(A))
		default:
			acc(args[0], g.Mul(A, g.funcDeriv(n)))
		}
	}
	if a, ok := adj[wrt]; ok {
		return a
	}
	return g.Zero(true)
}

// DependsOn reports whether e depends on the input node in (a Var or VecVar).
func (e *Node) DependsOn(in *Node) bool {
	if in.op != OpVar && in.op != OpVecVar {
		return false
	}
	if in.deps == 1<<63 { // overflow bit: look properly
		for _, n := range reachable(in.deps, e) {
			if n == in {
				return true
			}
		}
		return false
	}
	return e.deps&in.deps != 0
}
