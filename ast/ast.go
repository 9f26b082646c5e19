package ast

import (
	"fmt"
	"strconv"
)

// Pos is a position in a source file. Line and Column are 1-based; Column
// counts characters (runes), Offset counts bytes from the start of the file.
// The zero Pos is invalid: it stands for "no position".
type Pos struct {
	Filename string
	Offset   int
	Line     int
	Column   int
}

// IsValid reports whether p holds a line number.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String returns "file:line:col", "line:col" without a file name, the file
// name alone when p has no line, and "-" when p holds nothing at all.
func (p Pos) String() string {
	switch {
	case p.IsValid() && p.Filename != "":
		return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
	case p.IsValid():
		return fmt.Sprintf("%d:%d", p.Line, p.Column)
	case p.Filename != "":
		return p.Filename
	}
	return "-"
}

// shift returns the position n characters to the right on the same line.
// The language is ASCII outside comments, so characters and bytes agree.
func (p Pos) shift(n int) Pos {
	if !p.IsValid() {
		return p
	}
	p.Offset += n
	p.Column += n
	return p
}

// Node is implemented by every node of the tree. Pos is the position of the
// first character of the node and End the position just after its last.
type Node interface {
	Pos() Pos
	End() Pos
}

// Expr is an expression node: Number, Ident, Unary, Binary, Norm, Call,
// Index or VecLit.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement node: ParamStmt, DimStmt, LetStmt or ExprStmt.
type Stmt interface {
	Node
	stmtNode()
}

// Number is a numeric literal such as 2, .5, 2. or 1e-3. Lit is the text as
// written, so printing is exact; Value is its float64 value.
type Number struct {
	ValuePos Pos
	Lit      string
	Value    float64
}

// Ident is a name: a built-in symbol (x, v, t, d, pi), a parameter, a binding,
// or the name of a function in a Call.
type Ident struct {
	NamePos Pos
	Name    string
}

// Unary is a prefix operator: Op is "-" or "+".
type Unary struct {
	OpPos Pos
	Op    string
	X     Expr
}

// Binary is X Op Y with Op one of "+", "-", "*", "/", "^".
type Binary struct {
	X     Expr
	OpPos Pos
	Op    string
	Y     Expr
}

// Norm is |X|: the Euclidean norm of a vector, the absolute value of a scalar.
type Norm struct {
	Lbar Pos
	X    Expr
	Rbar Pos
}

// Call is Fun(Args...).
type Call struct {
	Fun    *Ident
	Lparen Pos
	Args   []Expr
	Rparen Pos
}

// Index is X[Index], the 0-based component Index of the vector X.
type Index struct {
	X        Expr
	Lbrack   Pos
	Index    int
	IndexPos Pos
	Rbrack   Pos
}

// VecLit is a vector literal [e0, e1, ...] of scalar elements.
type VecLit struct {
	Lbrack Pos
	Elems  []Expr
	Rbrack Pos
}

// ParamStmt is "param Name = Value", a named scalar parameter whose value is
// a constant expression and may be overridden from the command line, or
// "param Name = Value in [Lo, Hi]", which also bounds the values it may
// take. Lo and Hi are nil when there are no bounds.
type ParamStmt struct {
	Param  Pos // position of the keyword
	Name   *Ident
	Value  Expr
	In     Pos // position of the keyword in, when there are bounds
	Lbrack Pos
	Lo, Hi Expr
	Rbrack Pos
}

// DimStmt is "dim N", which fixes the dimension of x and v.
type DimStmt struct {
	Dim  Pos // position of the keyword
	N    int
	NPos Pos
}

// LetStmt is "Name = Value": a named intermediate binding, or the Lagrangian
// itself when Name is L.
type LetStmt struct {
	Name  *Ident
	Value Expr
}

// ExprStmt is a bare expression; a file holding one is that Lagrangian.
type ExprStmt struct {
	X Expr
}

// File is a parsed .lag file.
type File struct {
	Name  string // file name as given to the parser
	Stmts []Stmt
}

func (n *Number) Pos() Pos { return n.ValuePos }
func (n *Number) End() Pos { return n.ValuePos.shift(len(n.Lit)) }
func (n *Ident) Pos() Pos  { return n.NamePos }
func (n *Ident) End() Pos  { return n.NamePos.shift(len(n.Name)) }
func (n *Unary) Pos() Pos  { return n.OpPos }
func (n *Unary) End() Pos  { return end(n.X, n.OpPos.shift(len(n.Op))) }
func (n *Binary) Pos() Pos { return pos(n.X, n.OpPos) }
func (n *Binary) End() Pos { return end(n.Y, n.OpPos.shift(len(n.Op))) }
func (n *Norm) Pos() Pos   { return n.Lbar }
func (n *Norm) End() Pos   { return n.Rbar.shift(1) }
func (n *Call) Pos() Pos   { return pos(n.Fun, n.Lparen) }
func (n *Call) End() Pos   { return n.Rparen.shift(1) }
func (n *Index) Pos() Pos  { return pos(n.X, n.Lbrack) }
func (n *Index) End() Pos  { return n.Rbrack.shift(1) }
func (n *VecLit) Pos() Pos { return n.Lbrack }
func (n *VecLit) End() Pos { return n.Rbrack.shift(1) }

// End is just past the bounds' `]` when there are bounds.
func (s *ParamStmt) End() Pos {
	if s.Rbrack.IsValid() {
		return s.Rbrack.shift(1)
	}
	return end(s.Value, s.Param)
}

func (s *ParamStmt) Pos() Pos { return s.Param }
func (s *DimStmt) Pos() Pos   { return s.Dim }
func (s *DimStmt) End() Pos   { return s.NPos.shift(len(strconv.Itoa(s.N))) }
func (s *LetStmt) Pos() Pos   { return pos(s.Name, Pos{}) }
func (s *LetStmt) End() Pos   { return end(s.Value, pos(s.Name, Pos{})) }
func (s *ExprStmt) Pos() Pos  { return pos(s.X, Pos{}) }
func (s *ExprStmt) End() Pos  { return end(s.X, Pos{}) }

// Pos returns the position of the first statement, or a position holding
// only the file name when the file is empty.
func (f *File) Pos() Pos {
	if len(f.Stmts) == 0 || isNil(f.Stmts[0]) {
		return Pos{Filename: f.Name}
	}
	return f.Stmts[0].Pos()
}

// End returns the end of the last statement.
func (f *File) End() Pos {
	if len(f.Stmts) == 0 || isNil(f.Stmts[len(f.Stmts)-1]) {
		return Pos{Filename: f.Name}
	}
	return f.Stmts[len(f.Stmts)-1].End()
}

// pos and end tolerate missing children, so that a partly built tree can
// still be asked where it is.
func pos(n Node, alt Pos) Pos {
	if isNil(n) {
		return alt
	}
	return n.Pos()
}

func end(n Node, alt Pos) Pos {
	if isNil(n) {
		return alt
	}
	return n.End()
}

// isNil reports whether n is nil or a typed nil pointer to a node.
func isNil(n Node) bool {
	switch n := n.(type) {
	case nil:
		return true
	case *Number:
		return n == nil
	case *Ident:
		return n == nil
	case *Unary:
		return n == nil
	case *Binary:
		return n == nil
	case *Norm:
		return n == nil
	case *Call:
		return n == nil
	case *Index:
		return n == nil
	case *VecLit:
		return n == nil
	case *ParamStmt:
		return n == nil
	case *DimStmt:
		return n == nil
	case *LetStmt:
		return n == nil
	case *ExprStmt:
		return n == nil
	case *File:
		return n == nil
	}
	return false
}

func (*Number) exprNode() {}
func (*Ident) exprNode()  {}
func (*Unary) exprNode()  {}
func (*Binary) exprNode() {}
func (*Norm) exprNode()   {}
func (*Call) exprNode()   {}
func (*Index) exprNode()  {}
func (*VecLit) exprNode() {}

func (*ParamStmt) stmtNode() {}
func (*DimStmt) stmtNode()   {}
func (*LetStmt) stmtNode()   {}
func (*ExprStmt) stmtNode()  {}
