package autodiff

import "math"

// Dual is a dual number V + D·ε with ε² = 0: evaluating a function on duals
// gives its value and its derivative along the seeded direction in one pass
// (numeric forward mode).
type Dual struct{ V, D float64 }

// The arithmetic of dual numbers.
func (a Dual) Add(b Dual) Dual { return Dual{a.V + b.V, a.D + b.D} }
func (a Dual) Sub(b Dual) Dual { return Dual{a.V - b.V, a.D - b.D} }
func (a Dual) Mul(b Dual) Dual { return Dual{a.V * b.V, a.D*b.V + a.V*b.D} }
func (a Dual) Div(b Dual) Dual {
	q := a.V / b.V
	return Dual{q, (a.D - q*b.D) / b.V}
}
func (a Dual) Neg() Dual { return Dual{-a.V, -a.D} }

// Pow returns a^b. The b-derivative term is omitted when b is constant, so
// that negative bases with integer exponents stay finite.
func (a Dual) Pow(b Dual) Dual {
	p := pow(a.V, b.V)
	d := a.D * b.V * pow(a.V, b.V-1)
	if b.D != 0 {
		d += b.D * p * math.Log(a.V)
	}
	return Dual{p, d}
}

// Func applies the elementwise function op.
func (a Dual) Func(op Op) Dual {
	v := applyFunc(op, a.V)
	var dv float64 // derivative of the function at a.V
	switch op {
	case OpSin:
		dv = math.Cos(a.V)
	case OpCos:
		dv = -math.Sin(a.V)
	case OpTan:
		dv = 1 + v*v
	case OpExp:
		dv = v
	case OpLog:
		dv = 1 / a.V
	case OpSqrt:
		dv = 0.5 / v
	case OpTanh:
		dv = 1 - v*v
	case OpSinh:
		dv = math.Cosh(a.V)
	case OpCosh:
		dv = math.Sinh(a.V)
	case OpAbs:
		dv = applyFunc(OpSign, a.V)
	case OpSign:
		dv = 0
	}
	if a.D == 0 {
		return Dual{v, 0}
	}
	return Dual{v, dv * a.D}
}

// DualMachine runs a Program on dual numbers at one dimension: set the
// inputs' values and tangents, Run, and read values and directional
// derivatives of the outputs. It is an independent check of the symbolic
// derivatives and needs no derivation.
type DualMachine struct {
	p *Program
	d int
	s []Dual
	v [][]Dual
}

// NewDualMachine returns a dual-number machine for dimension d ≥ 1.
func (p *Program) NewDualMachine(d int) *DualMachine {
	m := &DualMachine{p: p, d: d, s: make([]Dual, p.nScalar), v: make([][]Dual, p.nVec)}
	buf := make([]Dual, d*p.nVec)
	for i := range m.v {
		m.v[i] = buf[i*d : (i+1)*d : (i+1)*d]
	}
	for _, c := range p.consts {
		m.s[c.reg] = Dual{V: c.val}
	}
	if p.dimReg >= 0 {
		m.s[p.dimReg] = Dual{V: float64(d)}
	}
	m.exec(p.init)
	return m
}

// SetScalar sets the scalar input in slot (negative slots are ignored).
func (m *DualMachine) SetScalar(slot int, x Dual) {
	if slot >= 0 {
		m.s[slot] = x
	}
}

// SetVector sets the vector input in slot from values and tangents (either
// may be nil, meaning zeros). It copies.
func (m *DualMachine) SetVector(slot int, val, tan []float64) {
	if slot < 0 {
		return
	}
	for i := range m.v[slot] {
		var a Dual
		if val != nil {
			a.V = val[i]
		}
		if tan != nil {
			a.D = tan[i]
		}
		m.v[slot][i] = a
	}
}

// Scalar returns scalar output i after Run.
func (m *DualMachine) Scalar(i int) Dual { return m.s[m.p.outs[i].i] }

// Vector returns vector output i after Run; the slice belongs to the machine.
func (m *DualMachine) Vector(i int) []Dual { return m.v[m.p.outs[i].i] }

// Run executes the program on dual numbers.
func (m *DualMachine) Run() { m.exec(m.p.code) }

func (m *DualMachine) exec(code []instr) {
	s, v := m.s, m.v
	get := func(r reg, i int) Dual {
		if r.vec {
			return v[r.i][i]
		}
		return s[r.i]
	}
	for k := range code {
		in := &code[k]
		if !in.vec {
			switch in.op {
			case OpIndex:
				s[in.dst] = v[in.a.i][in.aux]
			case OpDot:
				var acc Dual
				for i, x := range v[in.a.i] {
					acc = acc.Add(x.Mul(v[in.b.i][i]))
				}
				s[in.dst] = acc
			case OpSum:
				var acc Dual
				for _, x := range v[in.a.i] {
					acc = acc.Add(x)
				}
				s[in.dst] = acc
			case OpAdd, OpSub, OpMul, OpDiv, OpPow:
				s[in.dst] = dualOp(in.op, s[in.a.i], s[in.b.i])
			default:
				s[in.dst] = dualOp(in.op, s[in.a.i], Dual{})
			}
			continue
		}
		dst := v[in.dst]
		switch in.op {
		case OpFill:
			for i := range dst {
				dst[i] = s[in.a.i]
			}
		case OpBasis:
			for i := range dst {
				dst[i] = Dual{}
			}
			if in.aux < len(dst) {
				dst[in.aux] = Dual{V: 1}
			}
		case OpVecLit:
			for i, r := range in.args {
				dst[i] = s[r]
			}
		case OpAdd, OpSub, OpMul, OpDiv, OpPow:
			for i := range dst {
				dst[i] = dualOp(in.op, get(in.a, i), get(in.b, i))
			}
		default:
			for i := range dst {
				dst[i] = dualOp(in.op, get(in.a, i), Dual{})
			}
		}
	}
}

func dualOp(op Op, a, b Dual) Dual {
	switch op {
	case OpAdd:
		return a.Add(b)
	case OpSub:
		return a.Sub(b)
	case OpMul:
		return a.Mul(b)
	case OpDiv:
		return a.Div(b)
	case OpPow:
		return a.Pow(b)
	case OpNeg:
		return a.Neg()
	}
	return a.Func(op)
}
