package ast

import (
	"bytes"
	"io"
	"strconv"
)

// Precedence levels of the language, loosest first. Parser and printer share
// them, so that what one writes the other reads back as the same tree.
const (
	PrecLowest  = 0 // no operator: a whole expression
	PrecAdd     = 1 // binary + -
	PrecMul     = 2 // binary * /
	PrecUnary   = 3 // prefix - +
	PrecPow     = 4 // binary ^, right-associative
	PrecPostfix = 5 // x[i], f(...), |e|, [a, b], names and numbers
)

// BinaryPrec returns the precedence of the binary operator op and whether it
// associates to the right. It returns PrecLowest for anything that is not a
// binary operator.
func BinaryPrec(op string) (prec int, rightAssoc bool) {
	switch op {
	case "+", "-":
		return PrecAdd, false
	case "*", "/":
		return PrecMul, false
	case "^":
		return PrecPow, true
	}
	return PrecLowest, false
}

// exprPrec is the precedence of the operator at the root of e.
func exprPrec(e Expr) int {
	switch e := e.(type) {
	case *Binary:
		p, _ := BinaryPrec(e.Op)
		return p
	case *Unary:
		return PrecUnary
	}
	return PrecPostfix
}

// Fprint writes n as canonical .lag text: minimal parentheses, spaces around
// binary + and - and none around * / ^, numbers as written. A File is written
// one statement per line. Comments are not part of the tree and are not
// written.
func Fprint(w io.Writer, n Node) error {
	var p printer
	p.node(n)
	_, err := w.Write(p.buf.Bytes())
	return err
}

// String returns the canonical text of n (see Fprint).
func String(n Node) string {
	var p printer
	p.node(n)
	return p.buf.String()
}

type printer struct {
	buf bytes.Buffer
}

func (p *printer) node(n Node) {
	if isNil(n) {
		p.buf.WriteString("<nil>")
		return
	}
	switch n := n.(type) {
	case *File:
		for _, s := range n.Stmts {
			p.node(s)
			p.buf.WriteByte('\n')
		}
	case *ParamStmt:
		p.buf.WriteString("param ")
		p.node(n.Name)
		p.buf.WriteString(" = ")
		p.expr(n.Value, PrecLowest)
		if !isNil(n.Lo) || !isNil(n.Hi) {
			p.buf.WriteString(" in [")
			p.expr(n.Lo, PrecLowest)
			p.buf.WriteString(", ")
			p.expr(n.Hi, PrecLowest)
			p.buf.WriteByte(']')
		}
	case *DimStmt:
		p.buf.WriteString("dim ")
		p.buf.WriteString(strconv.Itoa(n.N))
	case *LetStmt:
		p.node(n.Name)
		p.buf.WriteString(" = ")
		p.expr(n.Value, PrecLowest)
	case *ExprStmt:
		p.expr(n.X, PrecLowest)
	case Expr:
		p.expr(n, PrecLowest)
	}
}

// expr writes e, parenthesised when its root binds looser than min.
func (p *printer) expr(e Expr, min int) {
	if isNil(e) {
		p.buf.WriteString("<nil>")
		return
	}
	if exprPrec(e) < min {
		p.buf.WriteByte('(')
		p.expr(e, PrecLowest)
		p.buf.WriteByte(')')
		return
	}
	switch e := e.(type) {
	case *Number:
		if e.Lit != "" {
			p.buf.WriteString(e.Lit)
		} else {
			p.buf.WriteString(strconv.FormatFloat(e.Value, 'g', -1, 64))
		}
	case *Ident:
		p.buf.WriteString(e.Name)
	case *Unary:
		p.buf.WriteString(e.Op)
		if _, ok := e.X.(*Unary); ok {
			p.buf.WriteByte(' ') // "- -x", not "--x"
		}
		p.expr(e.X, PrecUnary)
	case *Binary:
		prec, right := BinaryPrec(e.Op)
		// The operand on the associating side may share the operator's
		// precedence; the other one needs parentheses to keep its shape.
		left, rightMin := prec, prec+1
		if right {
			left, rightMin = prec+1, prec
		}
		p.expr(e.X, left)
		if prec == PrecAdd {
			p.buf.WriteString(" " + e.Op + " ")
		} else {
			p.buf.WriteString(e.Op)
		}
		// A prefix operator at operand position is never ambiguous, so a
		// Unary right operand needs no parentheses: 2^-1, a*-b.
		if _, ok := e.Y.(*Unary); ok {
			rightMin = PrecUnary
		}
		p.expr(e.Y, rightMin)
	case *Norm:
		p.buf.WriteByte('|')
		p.expr(e.X, PrecLowest)
		p.buf.WriteByte('|')
	case *Call:
		p.node(e.Fun)
		p.buf.WriteByte('(')
		for i, a := range e.Args {
			if i > 0 {
				p.buf.WriteString(", ")
			}
			p.expr(a, PrecLowest)
		}
		p.buf.WriteByte(')')
	case *Index:
		p.expr(e.X, PrecPostfix)
		p.buf.WriteByte('[')
		p.buf.WriteString(strconv.Itoa(e.Index))
		p.buf.WriteByte(']')
	case *VecLit:
		p.buf.WriteByte('[')
		for i, x := range e.Elems {
			if i > 0 {
				p.buf.WriteString(", ")
			}
			p.expr(x, PrecLowest)
		}
		p.buf.WriteByte(']')
	}
}
