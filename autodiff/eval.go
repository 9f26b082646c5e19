package autodiff

import (
	"fmt"
	"math"
	"sort"
)

// A Program is a compiled list of output nodes: straight-line code over
// scalar and vector registers, one register per node, in topological order.
// A Program is immutable; run it on a Machine.
type Program struct {
	code     []instr
	nScalar  int
	nVec     int
	consts   []constInit
	init     []instr // constant vectors, computed once per machine
	scalarIn map[string]int
	vecIn    map[string]int
	dimReg   int // scalar register of the input "d", or -1
	outs     []reg
}

type reg struct {
	vec bool
	i   int32
}

type constInit struct {
	reg int32
	val float64
}

type instr struct {
	op   Op
	vec  bool // result kind
	dst  int32
	a, b reg
	aux  int
	args []int32 // scalar registers of a VecLit
}

// Compile compiles the output nodes, which must belong to one graph.
func Compile(outputs ...*Node) *Program {
	p := &Program{scalarIn: map[string]int{}, vecIn: map[string]int{}, dimReg: -1}
	all := collect(outputs)
	regs := make(map[*Node]reg, len(all))
	alloc := func(n *Node) reg {
		var r reg
		if n.vec {
			r = reg{true, int32(p.nVec)}
			p.nVec++
		} else {
			r = reg{false, int32(p.nScalar)}
			p.nScalar++
		}
		regs[n] = r
		return r
	}
	for _, n := range all {
		r := alloc(n)
		switch n.op {
		case OpConst:
			p.consts = append(p.consts, constInit{r.i, n.val})
			continue
		case OpVar:
			p.scalarIn[n.name] = int(r.i)
			if n.name == "d" {
				p.dimReg = int(r.i)
			}
			continue
		case OpVecVar:
			p.vecIn[n.name] = int(r.i)
			continue
		}
		in := instr{op: n.op, vec: n.vec, dst: r.i, aux: n.aux}
		switch {
		case n.op == OpVecLit:
			for _, a := range n.args {
				in.args = append(in.args, regs[a].i)
			}
		case len(n.args) >= 1:
			in.a = regs[n.args[0]]
			if len(n.args) == 2 {
				in.b = regs[n.args[1]]
			}
		}
		// Constant vectors are computed once per machine, not per Run.
		if n.op == OpBasis || (n.op == OpFill && n.args[0].op == OpConst) {
			p.init = append(p.init, in)
			continue
		}
		p.code = append(p.code, in)
	}
	for _, o := range outputs {
		p.outs = append(p.outs, regs[o])
	}
	return p
}

// collect returns every node reachable from roots in increasing ID order.
func collect(roots []*Node) []*Node {
	seen := make(map[*Node]bool)
	var out []*Node
	stack := append([]*Node(nil), roots...)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
		stack = append(stack, n.args...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// Len is the number of instructions, a measure of evaluation cost.
func (p *Program) Len() int { return len(p.code) }

// ScalarInput returns the slot of the scalar input name, or -1 if the program
// does not read it.
func (p *Program) ScalarInput(name string) int {
	if i, ok := p.scalarIn[name]; ok {
		return i
	}
	return -1
}

// VectorInput returns the slot of the vector input name, or -1 if the
// program does not read it.
func (p *Program) VectorInput(name string) int {
	if i, ok := p.vecIn[name]; ok {
		return i
	}
	return -1
}

// A Machine runs a Program at one dimension. It owns the registers; it is not
// safe for concurrent use (make one Machine per goroutine).
type Machine struct {
	p   *Program
	d   int
	s   []float64
	v   [][]float64
	own [][]float64 // the machine's own storage for each vector register
}

// NewMachine returns a machine for vectors of dimension d ≥ 1.
func (p *Program) NewMachine(d int) *Machine {
	if d < 1 {
		panic(fmt.Sprintf("autodiff: dimension %d < 1", d))
	}
	m := &Machine{p: p, d: d, s: make([]float64, p.nScalar), v: make([][]float64, p.nVec), own: make([][]float64, p.nVec)}
	buf := make([]float64, d*p.nVec)
	for i := range m.v {
		m.own[i] = buf[i*d : (i+1)*d : (i+1)*d]
		m.v[i] = m.own[i]
	}
	for _, c := range p.consts {
		m.s[c.reg] = c.val
	}
	if p.dimReg >= 0 {
		m.s[p.dimReg] = float64(d)
	}
	m.exec(p.init)
	return m
}

// Program is the program the machine runs.
func (m *Machine) Program() *Program { return m.p }

// Dim is the machine's dimension.
func (m *Machine) Dim() int { return m.d }

// SetScalar sets the scalar input in slot (from Program.ScalarInput).
// Negative slots are ignored, so callers need not special-case unused inputs.
func (m *Machine) SetScalar(slot int, val float64) {
	if slot >= 0 {
		m.s[slot] = val
	}
}

// SetVector makes the vector input in slot read x, which must have length
// Dim() and must not change during Run. It does not copy.
func (m *Machine) SetVector(slot int, x []float64) {
	if slot >= 0 {
		m.v[slot] = x[:m.d:m.d]
	}
}

// Scalar returns scalar output i after Run.
func (m *Machine) Scalar(i int) float64 {
	r := m.p.outs[i]
	if r.vec {
		panic("autodiff: output is a vector")
	}
	return m.s[r.i]
}

// Vector returns vector output i after Run. The slice belongs to the machine
// and is overwritten by the next Run.
func (m *Machine) Vector(i int) []float64 {
	r := m.p.outs[i]
	if !r.vec {
		panic("autodiff: output is a scalar")
	}
	return m.v[r.i]
}

func fill(dst []float64, c float64) {
	for i := range dst {
		dst[i] = c
	}
}

// Run executes the program.
func (m *Machine) Run() { m.exec(m.p.code) }

func (m *Machine) exec(code []instr) {
	s, v := m.s, m.v
	for k := range code {
		in := &code[k]
		if !in.vec {
			switch in.op {
			case OpIndex:
				s[in.dst] = v[in.a.i][in.aux]
			case OpDot:
				x, y := v[in.a.i], v[in.b.i]
				y = y[:len(x)]
				var acc float64
				for i, xi := range x {
					acc += xi * y[i]
				}
				s[in.dst] = acc
			case OpSum:
				var acc float64
				for _, xi := range v[in.a.i] {
					acc += xi
				}
				s[in.dst] = acc
			case OpAdd:
				s[in.dst] = s[in.a.i] + s[in.b.i]
			case OpSub:
				s[in.dst] = s[in.a.i] - s[in.b.i]
			case OpMul:
				s[in.dst] = s[in.a.i] * s[in.b.i]
			case OpDiv:
				s[in.dst] = s[in.a.i] / s[in.b.i]
			case OpPow:
				s[in.dst] = pow(s[in.a.i], s[in.b.i])
			case OpNeg:
				s[in.dst] = -s[in.a.i]
			default:
				s[in.dst] = applyFunc(in.op, s[in.a.i])
			}
			continue
		}
		dst := m.own[in.dst]
		switch in.op {
		case OpFill:
			fill(dst, s[in.a.i])
		case OpBasis:
			fill(dst, 0)
			if in.aux < len(dst) {
				dst[in.aux] = 1
			}
		case OpVecLit:
			for i, r := range in.args {
				dst[i] = s[r]
			}
		case OpNeg:
			x := v[in.a.i][:len(dst)]
			for i := range dst {
				dst[i] = -x[i]
			}
		case OpAdd, OpSub, OpMul, OpDiv, OpPow:
			binaryVec(in.op, dst, in.a, in.b, s, v)
		default:
			x := v[in.a.i][:len(dst)]
			for i := range dst {
				dst[i] = applyFunc(in.op, x[i])
			}
		}
	}
}

// pow is math.Pow with the common small integer exponents made cheap and
// exact.
func pow(x, y float64) float64 {
	switch y {
	case 2:
		return x * x
	case 1:
		return x
	case 3:
		return x * x * x
	case -1:
		return 1 / x
	case 0.5:
		return math.Sqrt(x)
	}
	return math.Pow(x, y)
}

func binaryVec(op Op, dst []float64, a, b reg, s []float64, v [][]float64) {
	switch {
	case a.vec && b.vec:
		x, y := v[a.i][:len(dst)], v[b.i][:len(dst)]
		switch op {
		case OpAdd:
			for i := range dst {
				dst[i] = x[i] + y[i]
			}
		case OpSub:
			for i := range dst {
				dst[i] = x[i] - y[i]
			}
		case OpMul:
			for i := range dst {
				dst[i] = x[i] * y[i]
			}
		case OpDiv:
			for i := range dst {
				dst[i] = x[i] / y[i]
			}
		case OpPow:
			for i := range dst {
				dst[i] = pow(x[i], y[i])
			}
		}
	case a.vec:
		x, c := v[a.i][:len(dst)], s[b.i]
		switch op {
		case OpAdd:
			for i := range dst {
				dst[i] = x[i] + c
			}
		case OpSub:
			for i := range dst {
				dst[i] = x[i] - c
			}
		case OpMul:
			for i := range dst {
				dst[i] = x[i] * c
			}
		case OpDiv:
			for i := range dst {
				dst[i] = x[i] / c
			}
		case OpPow:
			for i := range dst {
				dst[i] = pow(x[i], c)
			}
		}
	default:
		c, y := s[a.i], v[b.i][:len(dst)]
		switch op {
		case OpAdd:
			for i := range dst {
				dst[i] = c + y[i]
			}
		case OpSub:
			for i := range dst {
				dst[i] = c - y[i]
			}
		case OpMul:
			for i := range dst {
				dst[i] = c * y[i]
			}
		case OpDiv:
			for i := range dst {
				dst[i] = c / y[i]
			}
		case OpPow:
			for i := range dst {
				dst[i] = pow(c, y[i])
			}
		}
	}
}
