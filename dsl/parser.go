package dsl

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/lagc-dev/lagc/ast"
)

// MaxDepth is how deeply expressions may nest (parentheses, norms, calls,
// prefix operators, chains of ^). Deeper input is an error rather than a
// stack overflow.
const MaxDepth = 200

// The statement grammar is small and written for participle; expressions
// are parsed by parseExprStmt, a precedence-climbing (Pratt) parser plugged in
// for the ast.Expr interface, because participle's own grammar has no
// notion of binding power and cannot tell an opening | from a closing one.
type (
	nameSyntax struct {
		Pos  lexer.Position
		Name string `parser:"@Ident"`
	}
	numberSyntax struct {
		Pos lexer.Position
		Lit string `parser:"@Number"`
	}
	paramSyntax struct {
		Pos   lexer.Position
		Name  *nameSyntax `parser:"'param' @@"`
		Value ast.Expr    `parser:"'=' @@"`
	}
	dimSyntax struct {
		Pos lexer.Position
		N   *numberSyntax `parser:"'dim' @@"`
	}
	letSyntax struct {
		Name  *nameSyntax `parser:"@@"`
		Value ast.Expr    `parser:"'=' @@"`
	}
	exprSyntax struct {
		X ast.Expr `parser:"@@"`
	}
)

var (
	paramParser = buildParser[paramSyntax]()
	dimParser   = buildParser[dimSyntax]()
	letParser   = buildParser[letSyntax]()
	exprParser  = buildParser[exprSyntax]()
)

func buildParser[G any]() *participle.Parser[G] {
	return participle.MustBuild[G](
		participle.Lexer(lagLexer),
		participle.ParseTypeWith(parseExprStmt),
	)
}

// ParseFile parses the .lag source src; filename is used in positions only.
// The error, if not nil, is an ErrorList holding one error per statement
// that failed to parse; the returned File then holds the statements that
// parsed.
func ParseFile(filename string, src []byte) (*ast.File, error) {
	f := &ast.File{Name: filename}
	var errs ErrorList
	for _, toks := range splitStatements(filename, src) {
		s, err := parseStmt(toks)
		if err != nil {
			errs = append(errs, toError(err))
			continue
		}
		f.Stmts = append(f.Stmts, s)
	}
	errs.RemoveMultiples()
	errs.attachSource(src)
	return f, errs.Err()
}

// parseStmt parses the tokens of one statement, choosing its kind from its
// first two tokens.
func parseStmt(toks statement) (ast.Stmt, error) {
	for _, t := range toks {
		if t.Type == tokInvalid {
			return nil, participle.Errorf(t.Pos, "invalid character %s", quoteChar(t.Value))
		}
	}
	// toks ends with EOF, so it holds at least two tokens.
	first := toks[0]
	assign := isPunct(&toks[1], "=")
	lex, err := lexer.Upgrade(&sliceLexer{toks: toks})
	if err != nil {
		return nil, err
	}
	switch {
	case first.Type == tokIdent && first.Value == "param" && !assign:
		// participle would name its grammar types here; say it plainly.
		if toks[1].Type != tokIdent {
			return nil, participle.Errorf(toks[1].Pos, "expected a name after param, found %s; write param NAME = VALUE", describe(toks[1]))
		}
		if t := toks[2]; !isPunct(&t, "=") {
			return nil, participle.Errorf(t.Pos, "expected `=` after param %s, found %s; write param NAME = VALUE", toks[1].Value, describe(t))
		}
		g, err := paramParser.ParseFromLexer(lex)
		if err != nil {
			return nil, explain(err)
		}
		return &ast.ParamStmt{Param: ast.Pos(g.Pos), Name: g.Name.ident(), Value: g.Value}, nil
	case first.Type == tokIdent && first.Value == "dim" && !assign:
		if toks[1].Type != tokNumber {
			return nil, participle.Errorf(toks[1].Pos, "expected a positive integer after dim, found %s", describe(toks[1]))
		}
		if t := toks[2]; !t.EOF() {
			return nil, participle.Errorf(t.Pos, "unexpected %s after dim %s", describe(t), toks[1].Value)
		}
		g, err := dimParser.ParseFromLexer(lex)
		if err != nil {
			return nil, explain(err)
		}
		n, err := dimValue(g.N)
		if err != nil {
			return nil, err
		}
		return &ast.DimStmt{Dim: ast.Pos(g.Pos), N: n, NPos: ast.Pos(g.N.Pos)}, nil
	case first.Type == tokIdent && assign:
		g, err := letParser.ParseFromLexer(lex)
		if err != nil {
			return nil, explain(err)
		}
		return &ast.LetStmt{Name: g.Name.ident(), Value: g.Value}, nil
	}
	g, err := exprParser.ParseFromLexer(lex)
	if err != nil {
		return nil, explain(err)
	}
	return &ast.ExprStmt{X: g.X}, nil
}

func (n *nameSyntax) ident() *ast.Ident {
	return &ast.Ident{NamePos: ast.Pos(n.Pos), Name: n.Name}
}

// MaxDim bounds the dimension a file may fix (dim N, vector literals,
// indices), so that a typo cannot make the runtime allocate gigabytes.
const MaxDim = 1 << 16

func dimValue(n *numberSyntax) (int, error) {
	v, err := strconv.Atoi(n.Lit)
	switch {
	case err != nil && isDigits(n.Lit):
		return 0, participle.Errorf(n.Pos, "dim %s is too large (at most %d)", n.Lit, MaxDim)
	case err != nil:
		return 0, participle.Errorf(n.Pos, "dim must be a positive integer, not %s", n.Lit)
	case v > MaxDim:
		return 0, participle.Errorf(n.Pos, "dim %s is too large (at most %d)", n.Lit, MaxDim)
	}
	return v, nil // 0 is rejected by the checker, which owns dimension rules
}

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

var expectedRE = regexp.MustCompile(`\(expected (.*)\)$`)

// explain turns participle's grammar errors into the language's own words.
func explain(err error) error {
	var unexpected *participle.UnexpectedTokenError
	if !errors.As(err, &unexpected) {
		return err
	}
	msg := "unexpected " + describe(unexpected.Unexpected)
	if m := expectedRE.FindStringSubmatch(unexpected.Message()); m != nil {
		want := m[1]
		switch want {
		case "<ident>":
			want = "a name"
		case "<number>":
			want = "a number"
		default:
			if s, err := strconv.Unquote(want); err == nil {
				want = "`" + s + "`"
			}
		}
		msg = "expected " + want + ", found " + describe(unexpected.Unexpected)
	}
	return participle.Errorf(unexpected.Unexpected.Pos, "%s", msg)
}

// toError converts a participle error into an *Error.
func toError(err error) *Error {
	var perr participle.Error
	if errors.As(err, &perr) {
		return &Error{Pos: ast.Pos(perr.Position()), Msg: perr.Message()}
	}
	return &Error{Msg: err.Error()}
}

// describe names a token for a message.
func describe(t lexer.Token) string {
	switch {
	case t.Type == lexer.EOF && t.Value == "\n":
		return "newline"
	case t.Type == lexer.EOF && t.Value == ";":
		return "`;`"
	case t.Type == lexer.EOF:
		return "end of file"
	case t.Type == tokNumber:
		return "number " + t.Value
	case t.Type == tokIdent:
		return "name `" + t.Value + "`"
	case t.Type == tokInvalid:
		return "invalid character " + quoteChar(t.Value)
	}
	return "`" + t.Value + "`"
}

func quoteChar(s string) string {
	q := strconv.QuoteToASCII(s)
	if q == `"`+s+`"` {
		return "`" + s + "`"
	}
	return q
}

// parseExprStmt is the participle hook for ast.Expr. Expressions always end
// their statement, so it also insists that nothing follows.
func parseExprStmt(lex *lexer.PeekingLexer) (ast.Expr, error) {
	p := &pratt{lex: lex}
	x, err := p.expr(ast.PrecLowest)
	if err != nil {
		return nil, err
	}
	if t := lex.Peek(); !t.EOF() {
		return nil, p.unexpectedAfter(x, *t)
	}
	return x, nil
}

// pratt is a precedence-climbing parser over one statement's tokens.
type pratt struct {
	lex   *lexer.PeekingLexer
	depth int
}

func isPunct(t *lexer.Token, s string) bool { return t.Type == tokPunct && t.Value == s }

// expr parses an expression whose binary operators all bind at least as
// tightly as min.
func (p *pratt) expr(min int) (ast.Expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > MaxDepth {
		return nil, participle.Errorf(p.lex.Peek().Pos,
			"expression nested too deeply (more than %d levels); split it into named bindings", MaxDepth)
	}
	x, err := p.operand()
	if err != nil {
		return nil, err
	}
	for {
		t := p.lex.Peek()
		if t.Type != tokPunct {
			return x, nil
		}
		prec, right := ast.BinaryPrec(t.Value)
		if prec == ast.PrecLowest || prec < min {
			return x, nil
		}
		op := *p.lex.Next()
		next := prec + 1
		if right {
			next = prec
		}
		y, err := p.expr(next)
		if err != nil {
			return nil, err
		}
		x = &ast.Binary{X: x, OpPos: ast.Pos(op.Pos), Op: op.Value, Y: y}
	}
}

// operand parses a prefix operator and its operand, or a primary
// expression followed by any number of [i] indices.
func (p *pratt) operand() (ast.Expr, error) {
	t := *p.lex.Peek()
	if isPunct(&t, "-") || isPunct(&t, "+") {
		p.lex.Next()
		x, err := p.expr(ast.PrecUnary)
		if err != nil {
			return nil, err
		}
		return &ast.Unary{OpPos: ast.Pos(t.Pos), Op: t.Value, X: x}, nil
	}
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	for isPunct(p.lex.Peek(), "[") {
		x, err = p.index(x)
		if err != nil {
			return nil, err
		}
	}
	return x, nil
}

func (p *pratt) primary() (ast.Expr, error) {
	t := *p.lex.Next()
	switch {
	case t.Type == tokNumber:
		v, err := strconv.ParseFloat(t.Value, 64)
		if err != nil || math.IsInf(v, 0) {
			return nil, participle.Errorf(t.Pos, "number %s is out of range for float64", t.Value)
		}
		return &ast.Number{ValuePos: ast.Pos(t.Pos), Lit: t.Value, Value: v}, nil
	case t.Type == tokIdent:
		id := &ast.Ident{NamePos: ast.Pos(t.Pos), Name: t.Value}
		if !isPunct(p.lex.Peek(), "(") {
			return id, nil
		}
		lparen := p.lex.Next().Pos
		args, rparen, err := p.list(")", "argument list", lparen)
		if err != nil {
			return nil, err
		}
		return &ast.Call{Fun: id, Lparen: ast.Pos(lparen), Args: args, Rparen: ast.Pos(rparen)}, nil
	case isPunct(&t, "("):
		x, err := p.expr(ast.PrecLowest)
		if err != nil {
			return nil, err
		}
		if c := p.lex.Next(); !isPunct(c, ")") {
			return nil, participle.Errorf(c.Pos, "expected `)` to close the `(` at %s, found %s", lineCol(ast.Pos(t.Pos)), describe(*c))
		}
		return x, nil
	case isPunct(&t, "|"):
		x, err := p.expr(ast.PrecLowest)
		if err != nil {
			return nil, err
		}
		c := p.lex.Next()
		if !isPunct(c, "|") {
			return nil, participle.Errorf(c.Pos, "expected `|` to close the `|` at %s, found %s", lineCol(ast.Pos(t.Pos)), describe(*c))
		}
		return &ast.Norm{Lbar: ast.Pos(t.Pos), X: x, Rbar: ast.Pos(c.Pos)}, nil
	case isPunct(&t, "["):
		elems, rbrack, err := p.list("]", "vector literal", t.Pos)
		if err != nil {
			return nil, err
		}
		return &ast.VecLit{Lbrack: ast.Pos(t.Pos), Elems: elems, Rbrack: ast.Pos(rbrack)}, nil
	}
	return nil, participle.Errorf(t.Pos, "expected expression, found %s", describe(t))
}

// list parses comma-separated expressions up to the closing token, the
// opening one having been consumed.
func (p *pratt) list(closing, what string, open lexer.Position) ([]ast.Expr, lexer.Position, error) {
	var xs []ast.Expr
	if t := p.lex.Peek(); isPunct(t, closing) {
		return xs, p.lex.Next().Pos, nil
	}
	for {
		x, err := p.expr(ast.PrecLowest)
		if err != nil {
			return nil, lexer.Position{}, err
		}
		xs = append(xs, x)
		t := p.lex.Next()
		switch {
		case isPunct(t, closing):
			return xs, t.Pos, nil
		case !isPunct(t, ","):
			return nil, lexer.Position{}, participle.Errorf(t.Pos,
				"expected `,` or `%s` in %s opened at %s, found %s", closing, what, lineCol(ast.Pos(open)), describe(*t))
		}
	}
}

func (p *pratt) index(x ast.Expr) (ast.Expr, error) {
	lbrack := p.lex.Next().Pos
	t := *p.lex.Next()
	if t.Type != tokNumber || !isDigits(t.Value) {
		return nil, participle.Errorf(t.Pos,
			"index must be a non-negative integer literal such as x[0], found %s", describe(t))
	}
	i, err := strconv.Atoi(t.Value)
	if err != nil || i >= MaxDim {
		return nil, participle.Errorf(t.Pos, "index %s is too large (the dimension is at most %d)", t.Value, MaxDim)
	}
	r := p.lex.Next()
	if !isPunct(r, "]") {
		return nil, participle.Errorf(r.Pos, "expected `]` after index, found %s", describe(*r))
	}
	return &ast.Index{X: x, Lbrack: ast.Pos(lbrack), Index: i, IndexPos: ast.Pos(t.Pos), Rbrack: ast.Pos(r.Pos)}, nil
}

// unexpectedAfter explains a token that follows a complete expression.
func (p *pratt) unexpectedAfter(x ast.Expr, t lexer.Token) error {
	msg := "unexpected " + describe(t) + " after expression"
	switch {
	case isPunct(&t, ")") || isPunct(&t, "]") || isPunct(&t, ","):
		msg = "unexpected " + describe(t)
	case isPunct(&t, "="):
		msg = "unexpected `=`: only a name can be defined (NAME = expression)"
	case t.Type == tokNumber || t.Type == tokIdent || isPunct(&t, "(") || isPunct(&t, "["):
		if n, ok := rightmost(x).(*ast.Number); ok && t.Type == tokIdent {
			msg += fmt.Sprintf("; write %s*%s for a product", n.Lit, t.Value)
		} else {
			msg += " (missing operator?)"
		}
	}
	return participle.Errorf(t.Pos, "%s", msg)
}

func lineCol(p ast.Pos) string {
	return fmt.Sprintf("%d:%d", p.Line, p.Column)
}

// rightmost returns the operand written last in x.
func rightmost(x ast.Expr) ast.Expr {
	for {
		switch e := x.(type) {
		case *ast.Binary:
			x = e.Y
		case *ast.Unary:
			x = e.X
		default:
			return x
		}
	}
}
