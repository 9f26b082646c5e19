package dsl

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lagc-dev/lagc/ast"
)

// Type is the type of an expression: every value is a scalar or a vector of
// the file's dimension d.
type Type int

const (
	Scalar Type = iota + 1
	Vector
)

func (t Type) String() string {
	switch t {
	case Scalar:
		return "scalar"
	case Vector:
		return "vector"
	}
	return "invalid"
}

// Param is a scalar parameter declared with param NAME = VALUE, or
// param NAME = VALUE in [LOWER, UPPER].
type Param struct {
	Name  string
	Value float64 // after overrides
	Pos   ast.Pos // position of the name in the param statement

	// Lower ≤ Value ≤ Upper: the bounds the file declares, −Inf and +Inf
	// when it declares none (or writes inf).
	Lower, Upper float64
}

// Binding is a named intermediate NAME = expr.
type Binding struct {
	Name  string
	Value ast.Expr
	Pos   ast.Pos // position of the name
}

// Info is what checking a file learns about it.
type Info struct {
	File     *ast.File
	Params   []Param   // in file order, values after overrides
	Bindings []Binding // in file order, L excluded
	L        ast.Expr  // the Lagrangian's expression
	LPos     ast.Pos   // position of the L = ... statement (or the bare expression)
	Dim      int       // fixed dimension (dim N or vector literals), 0 if dimension-generic
	MinDim   int       // minimum dimension from indexing (≥1)

	// Src is the source text when the Info came from Load, nil otherwise.
	// Errorf uses it to show the offending line.
	Src []byte

	// The types of the operator nodes (Unary, Binary, Call) and of the
	// names; those of the other nodes follow from their kind. Keeping
	// only these keeps the memory of checking a long file low.
	types map[ast.Expr]Type
	names map[string]*symbol
}

// TypeOf returns the type of the expression e of the checked file, or 0
// when e did not type-check (or is not part of the file).
func (info *Info) TypeOf(e ast.Expr) Type {
	switch e := e.(type) {
	case *ast.Number, *ast.Index, *ast.Norm:
		return Scalar
	case *ast.VecLit:
		return Vector
	case *ast.Ident:
		if sym := info.names[e.Name]; sym != nil {
			return sym.typ
		}
		return 0
	}
	return info.types[e]
}

// Errorf returns an error at pos for problems found after checking (for
// instance a singular mass matrix, reported at LPos). Its Detail shows the
// source line when Info.Src is set.
func (info *Info) Errorf(pos ast.Pos, format string, args ...any) *Error {
	e := &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
	if info.Src != nil && pos.IsValid() {
		e.Line = sourceLine(info.Src, pos.Offset)
	}
	return e
}

// Load parses and checks a .lag file: ParseFile then Check, with source
// lines attached to the errors. overrides sets parameter values (-p
// NAME=VALUE); it may be nil. The error, if not nil, is an ErrorList.
func Load(filename string, src []byte, overrides map[string]float64) (*Info, error) {
	f, tokens, err := parseFile(filename, src)
	if err != nil {
		return nil, err
	}
	info, err := check(f, overrides, src, tokens)
	if err != nil {
		return nil, err
	}
	info.Src = src
	return info, nil
}

// Check type-checks a parsed file and evaluates its parameters; overrides
// replaces parameter values by name and may be nil. The error, if not nil,
// is an ErrorList (without source lines: Load adds them); the Info returned
// with it is incomplete.
func Check(f *ast.File, overrides map[string]float64) (*Info, error) {
	return check(f, overrides, nil, 0)
}

// Names the language gives meaning to, which a file cannot redefine.
var builtins = map[string]string{
	"x":     "the position",
	"v":     "the velocity",
	"t":     "the time",
	"d":     "the dimension",
	"pi":    "the constant π",
	"L":     "the Lagrangian",
	"inf":   "infinity, for param bounds",
	"param": "a keyword",
	"dim":   "a keyword",
	"in":    "a keyword",
}

type symKind int

const (
	symBuiltin symKind = iota + 1
	symParam
	symBinding
)

type symbol struct {
	kind  symKind
	typ   Type // 0 when its definition failed to check
	pos   ast.Pos
	value float64 // params
}

// dimFix records something that fixes the dimension.
type dimFix struct {
	pos  ast.Pos
	n    int
	what string // "dim 2", "vector literal [1, 0]"
}

type checker struct {
	info    *Info
	errs    ErrorList
	scope   map[string]*symbol
	defined map[string]*ast.Ident // every name a statement defines, for "used before definition"
	haveL   bool                  // L has been defined, at lDef
	lDef    ast.Pos
	fixes   []dimFix
	indices []*ast.Index
	inBound bool // checking a param bound, where inf may be written
}

// check is Check; src, when not nil, is the text for error lines, and
// operators a hint of how many operator nodes f holds.
func check(f *ast.File, overrides map[string]float64, src []byte, operators int) (*Info, error) {
	info := &Info{File: f, types: make(map[ast.Expr]Type, operators)}
	c := &checker{info: info}
	if f == nil {
		c.errs.Add(ast.Pos{}, "no file to check")
		return info, c.errs.Err()
	}
	c.scope = make(map[string]*symbol, len(f.Stmts)+8)
	c.defined = make(map[string]*ast.Ident, len(f.Stmts))
	for name, typ := range map[string]Type{"x": Vector, "v": Vector, "t": Scalar, "d": Scalar} {
		c.scope[name] = &symbol{kind: symBuiltin, typ: typ}
	}
	c.scope["pi"] = &symbol{kind: symBuiltin, typ: Scalar, value: math.Pi}
	c.scope["inf"] = &symbol{kind: symBuiltin, typ: Scalar, value: math.Inf(1)}
	for _, s := range f.Stmts {
		var name *ast.Ident
		switch s := s.(type) {
		case *ast.ParamStmt:
			name = s.Name
		case *ast.LetStmt:
			name = s.Name
		}
		if name != nil {
			if _, ok := c.defined[name.Name]; !ok {
				c.defined[name.Name] = name
			}
		}
	}
	info.Bindings = make([]Binding, 0, len(f.Stmts))
	for _, s := range f.Stmts {
		if c.full() {
			break // what follows would only be more errors
		}
		c.stmt(s, overrides)
	}
	if !c.haveL && !c.full() {
		c.errs.Add(ast.Pos{Filename: f.Name, Line: 1, Column: 1},
			"no Lagrangian: define it with L = ... (or write the expression alone)")
	}
	c.overrides(f.Name, overrides)
	c.dims()
	info.names = c.scope
	c.errs.RemoveMultiples()
	if src != nil {
		c.errs.attachSource(src)
	}
	return info, c.errs.Err()
}

func (c *checker) errorf(pos ast.Pos, format string, args ...any) {
	switch {
	case len(c.errs) < MaxErrors:
		c.errs.Add(pos, fmt.Sprintf(format, args...))
	case len(c.errs) == MaxErrors:
		c.errs.Add(pos, tooManyErrors)
	}
}

// full reports whether the checker has stopped recording errors.
func (c *checker) full() bool { return len(c.errs) > MaxErrors }

func (c *checker) stmt(s ast.Stmt, overrides map[string]float64) {
	switch s := s.(type) {
	case *ast.ParamStmt:
		if !c.define(s.Name, "param") {
			return
		}
		sym := &symbol{kind: symParam, pos: s.Name.NamePos}
		nerr := len(c.errs)
		typ := c.expr(s.Value, true)
		if typ == Vector {
			c.errorf(s.Value.Pos(), "param %s must be a scalar, but %s is a vector", s.Name.Name, short(s.Value))
		}
		sym.typ = Scalar // even when broken, so later uses do not cascade
		valueOK := len(c.errs) == nerr
		if v, ok := overrides[s.Name.Name]; ok {
			sym.value = v
		} else if valueOK {
			sym.value = c.eval(s.Value)
			if math.IsNaN(sym.value) || math.IsInf(sym.value, 0) {
				c.errorf(s.Value.Pos(), "param %s = %s is %v; parameters must be finite",
					s.Name.Name, short(s.Value), sym.value)
				valueOK = false
			}
		}
		p := Param{Name: s.Name.Name, Value: sym.value, Pos: s.Name.NamePos, Lower: math.Inf(-1), Upper: math.Inf(1)}
		if s.Lo != nil || s.Hi != nil {
			c.bounds(s, &p, valueOK, overrides)
		}
		c.scope[s.Name.Name] = sym
		c.info.Params = append(c.info.Params, p)
	case *ast.DimStmt:
		switch {
		case s.N < 1:
			c.errorf(s.NPos, "dim must be a positive integer, not %d", s.N)
			return
		case s.N > MaxDim:
			c.errorf(s.NPos, "dim %d is too large (at most %d)", s.N, MaxDim)
			return
		}
		for _, f := range c.fixes {
			if strings.HasPrefix(f.what, "`dim ") {
				c.errorf(s.Dim, "dim declared twice (first at %s)", lineCol(f.pos))
				return
			}
		}
		c.fixes = append(c.fixes, dimFix{pos: s.Dim, n: s.N, what: "`" + ast.String(s) + "`"})
	case *ast.LetStmt:
		if s.Name == nil {
			c.errorf(s.Pos(), "definition without a name")
			return
		}
		if s.Name.Name == "L" {
			c.lagrangian(s.Name.NamePos, s.Value)
			return
		}
		if !c.define(s.Name, "binding") {
			c.expr(s.Value, false) // still report the errors inside
			return
		}
		typ := c.expr(s.Value, false)
		c.scope[s.Name.Name] = &symbol{kind: symBinding, typ: typ, pos: s.Name.NamePos}
		c.info.Bindings = append(c.info.Bindings, Binding{Name: s.Name.Name, Value: s.Value, Pos: s.Name.NamePos})
	case *ast.ExprStmt:
		c.lagrangian(s.Pos(), s.X)
	default:
		c.errorf(ast.Pos{Filename: c.info.File.Name}, "unknown statement %T", s)
	}
}

// bounds checks the bounds of param s, records them in p, and checks that
// p's value lies within them. The value is checked only when it is known
// (valueOK, or given as an override).
func (c *checker) bounds(s *ast.ParamStmt, p *Param, valueOK bool, overrides map[string]float64) {
	name := s.Name.Name
	lo, loOK := c.bound(name, "lower", s.Lo, s.Lbrack)
	hi, hiOK := c.bound(name, "upper", s.Hi, s.Lbrack)
	if !loOK || !hiOK {
		return
	}
	switch {
	case math.IsInf(lo, 1) || math.IsInf(hi, -1):
		c.errorf(s.Lbrack, "param %s has bounds [%s, %s], which hold no finite value", name, formatBound(lo), formatBound(hi))
		return
	case lo > hi:
		c.errorf(s.Lbrack, "param %s has lower bound %s above its upper bound %s; write [LOWER, UPPER]",
			name, formatBound(lo), formatBound(hi))
		return
	}
	p.Lower, p.Upper = lo, hi
	v, override := overrides[name]
	switch {
	case override && (v < lo || v > hi) && !math.IsNaN(v):
		c.errorf(s.In, "the value %s given for param %s is outside its bounds [%s, %s]",
			formatBound(v), name, formatBound(lo), formatBound(hi))
	case !override && valueOK && (p.Value < lo || p.Value > hi):
		c.errorf(s.Value.Pos(), "param %s = %s is outside its bounds [%s, %s]",
			name, formatBound(p.Value), formatBound(lo), formatBound(hi))
	}
}

// bound type-checks and evaluates one bound of param name; which is
// "lower" or "upper". inf may be written only here.
func (c *checker) bound(name, which string, e ast.Expr, at ast.Pos) (float64, bool) {
	if e == nil {
		c.errorf(at, "param %s lacks its %s bound", name, which)
		return 0, false
	}
	nerr := len(c.errs)
	c.inBound = true
	typ := c.expr(e, true)
	c.inBound = false
	if typ == Vector {
		c.errorf(e.Pos(), "the %s bound of param %s must be a scalar, but %s is a vector", which, name, short(e))
	}
	if len(c.errs) > nerr {
		return 0, false
	}
	v := c.eval(e)
	if math.IsNaN(v) {
		c.errorf(e.Pos(), "the %s bound of param %s, %s, is not a number", which, name, short(e))
		return 0, false
	}
	return v, true
}

// formatBound writes a bound as the language would: inf for infinity.
func formatBound(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// lagrangian checks the statement defining L at pos.
func (c *checker) lagrangian(pos ast.Pos, x ast.Expr) {
	if c.haveL {
		c.errorf(pos, "L defined twice (first at %s); a file has one Lagrangian (a bare expression also defines it)",
			lineCol(c.lDef))
		c.expr(x, false)
		return
	}
	c.haveL, c.lDef = true, pos
	if c.expr(x, false) == Vector {
		c.errorf(pos, "the Lagrangian must be a scalar, but %s is a vector; "+
			"use |e|^2, dot(a, b), sum(e) or e[i] to get a scalar", short(x))
	}
	c.info.L = x
	c.info.LPos = pos
}

// define checks that a param or binding may take the name id.
func (c *checker) define(id *ast.Ident, what string) bool {
	if id == nil {
		c.errorf(ast.Pos{Filename: c.info.File.Name}, "%s without a name", what)
		return false
	}
	name := id.Name
	if meaning, ok := builtins[name]; ok {
		c.errorf(id.NamePos, "cannot define %s: it is %s; choose another name", name, meaning)
		return false
	}
	if _, ok := arity[name]; ok {
		c.errorf(id.NamePos, "cannot define %s: it is a built-in function; choose another name", name)
		return false
	}
	if sym, ok := c.scope[name]; ok {
		c.errorf(id.NamePos, "%s redefined (first defined at %s); choose another name", name, lineCol(sym.pos))
		return false
	}
	return true
}

// expr type-checks e and records the types of its nodes. It returns 0 when e
// is ill-typed, after reporting why; callers stay silent about 0 to avoid
// cascades. In constant mode (param values) only numbers, pi, earlier params
// and scalar functions are allowed.
func (c *checker) expr(e ast.Expr, constant bool) Type {
	typ := c.typeOf(e, constant)
	if typ != 0 {
		c.record(e, typ)
	}
	return typ
}

// record notes the type of an operator node (see Info.TypeOf).
func (c *checker) record(e ast.Expr, typ Type) {
	switch e.(type) {
	case *ast.Unary, *ast.Binary, *ast.Call:
		c.info.types[e] = typ
	}
}

func (c *checker) typeOf(e ast.Expr, constant bool) Type {
	switch e := e.(type) {
	case *ast.Number:
		if e == nil {
			break
		}
		return Scalar
	case *ast.Ident:
		if e == nil {
			break
		}
		return c.ident(e, constant)
	case *ast.Unary:
		if e == nil {
			break
		}
		if e.Op != "-" && e.Op != "+" {
			c.errorf(e.OpPos, "unknown prefix operator %q", e.Op)
			return 0
		}
		return c.expr(e.X, constant)
	case *ast.Binary:
		if e == nil {
			break
		}
		return c.binary(e, constant)
	case *ast.Norm:
		if e == nil {
			break
		}
		if c.expr(e.X, constant) == 0 {
			return 0
		}
		return Scalar
	case *ast.Call:
		if e == nil {
			break
		}
		return c.call(e, constant)
	case *ast.Index:
		if e == nil {
			break
		}
		switch c.expr(e.X, constant) {
		case 0:
			return 0
		case Scalar:
			c.errorf(e.Lbrack, "cannot index %s: it is a scalar; only vectors have components", short(e.X))
			return 0
		}
		if e.Index < 0 {
			c.errorf(e.IndexPos, "index %d is negative; components are numbered from 0", e.Index)
			return 0
		}
		c.indices = append(c.indices, e)
		return Scalar
	case *ast.VecLit:
		if e == nil {
			break
		}
		return c.vecLit(e, constant)
	}
	pos := ast.Pos{Filename: c.info.File.Name}
	if e != nil {
		pos = e.Pos()
	}
	c.errorf(pos, "missing expression")
	return 0
}

func (c *checker) ident(e *ast.Ident, constant bool) Type {
	name := e.Name
	if name == "L" {
		c.errorf(e.NamePos, "L is the Lagrangian and cannot be used in an expression; bind the part you need to another name")
		return 0
	}
	if name == "inf" && !c.inBound {
		c.errorf(e.NamePos, "inf may be written only in param bounds (param NAME = VALUE in [0, inf])")
		return 0
	}
	if name == "param" || name == "dim" || name == "in" {
		c.errorf(e.NamePos, "%s is a keyword, not a value", name)
		return 0
	}
	if _, ok := arity[name]; ok {
		c.errorf(e.NamePos, "%s is a function: call it as %s(...)", name, name)
		return 0
	}
	sym, ok := c.scope[name]
	if !ok {
		if def, later := c.defined[name]; later {
			pos := def.NamePos
			c.errorf(e.NamePos, "%s used before its definition at %s; move the definition up", name, lineCol(pos))
			return 0
		}
		c.errorf(e.NamePos, "undefined: %s%s", name, c.suggest(name, true))
		return 0
	}
	if constant {
		switch {
		case name == "d":
			c.errorf(e.NamePos, "param values must be constant, but d (the dimension) is only known when the Lagrangian is instantiated")
			return 0
		case sym.kind == symBuiltin && name != "pi" && name != "inf":
			c.errorf(e.NamePos, "param values must be constant, but %s is %s", name, builtins[name])
			return 0
		case sym.kind == symBinding:
			c.errorf(e.NamePos, "param values must be constant, but %s is a binding; use a param", name)
			return 0
		}
	}
	return sym.typ
}

// binary checks a binary expression. A long sum or product is a deep
// chain down the left operands; it is walked in a loop, so that the depth
// of recursion stays that of the nesting the parser allows.
func (c *checker) binary(e *ast.Binary, constant bool) Type {
	spine := []*ast.Binary{e}
	for {
		b, ok := spine[len(spine)-1].X.(*ast.Binary)
		if !ok || b == nil {
			break
		}
		spine = append(spine, b)
	}
	x := c.expr(spine[len(spine)-1].X, constant)
	for i := len(spine) - 1; i >= 0; i-- {
		b := spine[i]
		x = c.binaryType(b, x, c.expr(b.Y, constant))
		if x != 0 && i > 0 {
			c.record(b, x) // e itself is recorded by expr
		}
	}
	return x
}

// binaryType is the type of e, whose operands have types x and y.
func (c *checker) binaryType(e *ast.Binary, x, y Type) Type {
	if x == 0 || y == 0 {
		return 0
	}
	switch e.Op {
	case "+", "-":
		if x == y {
			return x
		}
		verb := map[string]string{"+": "add", "-": "subtract"}[e.Op]
		c.errorf(e.OpPos, "cannot %s %s and %s (%s %s %s): scalars are not broadcast to vectors; "+
			"make both sides vectors (e.g. a vector literal [a, b]) or both scalars (e.g. |x|, sum(x), x[0])",
			verb, x, y, short(e.X), e.Op, short(e.Y))
		return 0
	case "*":
		if x == Scalar && y == Scalar {
			return Scalar
		}
		return Vector // scalar*vector scales; vector*vector is elementwise
	case "/":
		if x == Scalar && y == Vector {
			hint := &ast.Binary{X: e.X, Op: "*", Y: &ast.Binary{X: e.Y, Op: "^",
				Y: &ast.Unary{Op: "-", X: &ast.Number{Lit: "1", Value: 1}}}}
			c.errorf(e.OpPos, "cannot divide a scalar by a vector (%s / %s); for the elementwise reciprocal write %s",
				short(e.X), short(e.Y), short(hint))
			return 0
		}
		return x // vector/scalar scales; vector/vector is elementwise
	case "^":
		if y == Vector {
			c.errorf(e.OpPos, "the exponent %s is a vector; exponents must be scalars", short(e.Y))
			return 0
		}
		return x // vector^scalar is elementwise
	}
	c.errorf(e.OpPos, "unknown operator %q", e.Op)
	return 0
}

func (c *checker) call(e *ast.Call, constant bool) Type {
	if e.Fun == nil {
		c.errorf(e.Lparen, "call without a function name")
		return 0
	}
	name := e.Fun.Name
	types := make([]Type, len(e.Args))
	bad := false
	for i, a := range e.Args {
		types[i] = c.expr(a, constant)
		bad = bad || types[i] == 0
	}
	n, ok := arity[name]
	if !ok {
		if _, known := c.scope[name]; known || builtins[name] != "" {
			c.errorf(e.Fun.NamePos, "%s is not a function", name)
		} else {
			c.errorf(e.Fun.NamePos, "unknown function %s%s", name, c.suggest(name, false))
		}
		return 0
	}
	if len(e.Args) != n {
		c.errorf(e.Lparen, "%s takes %d argument%s, not %d", name, n, plural(n), len(e.Args))
		return 0
	}
	if bad {
		return 0
	}
	switch name {
	case "dot":
		for i, t := range types {
			if t != Vector {
				c.errorf(e.Args[i].Pos(), "dot takes two vectors, but %s is a scalar; multiply scalars with *", short(e.Args[i]))
				return 0
			}
		}
		return Scalar
	case "sum":
		if types[0] != Vector {
			c.errorf(e.Args[0].Pos(), "sum takes a vector, but %s is a scalar", short(e.Args[0]))
			return 0
		}
		return Scalar
	}
	return types[0] // elementwise
}

func (c *checker) vecLit(e *ast.VecLit, constant bool) Type {
	if len(e.Elems) == 0 {
		c.errorf(e.Lbrack, "empty vector literal: a vector needs at least one element")
		return 0
	}
	bad := false
	for i, x := range e.Elems {
		switch c.expr(x, constant) {
		case 0:
			bad = true
		case Vector:
			c.errorf(x.Pos(), "element %d of the vector literal, %s, is a vector; elements must be scalars", i, short(x))
			bad = true
		}
	}
	if len(e.Elems) > MaxDim {
		c.errorf(e.Lbrack, "vector literal has %d elements; the dimension is at most %d", len(e.Elems), MaxDim)
		return 0
	}
	c.fixes = append(c.fixes, dimFix{pos: e.Lbrack, n: len(e.Elems), what: "the vector literal " + short(e)})
	if bad {
		return 0
	}
	return Vector
}

// overrides reports override names that are not params, and bad values.
func (c *checker) overrides(filename string, overrides map[string]float64) {
	names := make([]string, 0, len(overrides))
	for n := range overrides {
		names = append(names, n)
	}
	slices.Sort(names)
	pos := ast.Pos{Filename: filename}
	for _, n := range names {
		sym, ok := c.scope[n]
		switch {
		case !ok || sym.kind != symParam:
			var params []string
			for _, p := range c.info.Params {
				params = append(params, p.Name)
			}
			msg := fmt.Sprintf("-p %s: no param %s in this file", n, n)
			if s := didYouMean(n, params); s != "" {
				msg += s
			} else if len(params) == 0 {
				msg += " (it declares no params)"
			} else {
				msg += " (its params: " + strings.Join(params, ", ") + ")"
			}
			c.errorf(pos, "%s", msg)
		case math.IsNaN(overrides[n]) || math.IsInf(overrides[n], 0):
			c.errorf(pos, "-p %s=%v: parameters must be finite", n, overrides[n])
		}
	}
}

// dims settles the dimension: the first thing that fixes it wins, the
// others must agree, and indices must fit.
func (c *checker) dims() {
	slices.SortStableFunc(c.fixes, func(a, b dimFix) int { return a.pos.Offset - b.pos.Offset })
	if len(c.fixes) > 0 {
		first := c.fixes[0]
		c.info.Dim = first.n
		for _, f := range c.fixes[1:] {
			if f.n != first.n {
				c.errorf(f.pos, "dimension conflict: %s makes the dimension %d, but %s at %s already fixed it to %d",
					f.what, f.n, first.what, lineCol(first.pos), first.n)
			}
		}
	}
	c.info.MinDim = 1
	for _, ix := range c.indices {
		if d := c.info.Dim; d > 0 && ix.Index >= d {
			first := c.fixes[0]
			c.errorf(ix.IndexPos, "index %d out of range: the dimension is %d (fixed by %s at %s), so indices run 0..%d",
				ix.Index, d, first.what, lineCol(first.pos), d-1)
			continue
		}
		c.info.MinDim = max(c.info.MinDim, ix.Index+1)
	}
}

// eval computes a constant expression that has already type-checked.
func (c *checker) eval(e ast.Expr) float64 {
	switch e := e.(type) {
	case *ast.Number:
		return e.Value
	case *ast.Ident:
		return c.scope[e.Name].value
	case *ast.Unary:
		if e.Op == "-" {
			return -c.eval(e.X)
		}
		return c.eval(e.X)
	case *ast.Binary:
		x, y := c.eval(e.X), c.eval(e.Y)
		switch e.Op {
		case "+":
			return x + y
		case "-":
			return x - y
		case "*":
			return x * y
		case "/":
			return x / y
		case "^":
			return math.Pow(x, y)
		}
	case *ast.Norm:
		return math.Abs(c.eval(e.X))
	case *ast.Call:
		if f, ok := elementwise[e.Fun.Name]; ok && len(e.Args) == 1 {
			return f(c.eval(e.Args[0]))
		}
	}
	return math.NaN() // unreachable for checked constants; NaN is reported
}

// suggest returns " (did you mean w?)" for the closest name, or "".
func (c *checker) suggest(name string, values bool) string {
	if len(c.errs) >= MaxErrors {
		return "" // not worth a pass over every name
	}
	var cands []string
	if values {
		for n := range c.scope {
			cands = append(cands, n)
		}
	}
	for n := range arity {
		cands = append(cands, n)
	}
	return didYouMean(name, cands)
}

// didYouMean proposes the candidates closest to name in edit distance
// (with transpositions), when they are close enough to be a likely typo and
// few enough to help.
func didYouMean(name string, cands []string) string {
	// One-letter names are one edit from every other one-letter name, so a
	// suggestion there would be a guess.
	limit := 1
	switch {
	case len(name) == 1:
		return ""
	case len(name) > 4:
		limit = 2
	}
	best, bestD := []string(nil), limit
	for _, cand := range cands {
		d := editDistance(name, cand)
		switch {
		case d > limit:
		case d < bestD:
			best, bestD = []string{cand}, d
		case d == bestD:
			best = append(best, cand)
		}
	}
	if len(best) == 0 || len(best) > 3 {
		return ""
	}
	slices.Sort(best)
	best = slices.Compact(best)
	for i := range best {
		best[i] = "`" + best[i] + "`"
	}
	switch len(best) {
	case 1:
		return " (did you mean " + best[0] + "?)"
	case 2:
		return " (did you mean " + best[0] + " or " + best[1] + "?)"
	}
	return " (did you mean " + best[0] + ", " + best[1] + " or " + best[2] + "?)"
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of adjacent characters each cost 1.
func editDistance(a, b string) int {
	// Names are short, so the full table is cheap.
	n, m := len(a), len(b)
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[n][m]
}

// short is e's canonical text, shortened for messages.
func short(e ast.Expr) string {
	s := ast.String(e)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return "`" + s + "`"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
