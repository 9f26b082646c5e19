package dsl

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/lagc-dev/lagc/ast"
)

// MaxDepth is how deeply expressions may nest (parentheses, norms, calls,
// prefix operators, chains of ^). Deeper input is an error rather than a
// stack overflow. It is far above what people write, and above what the
// tools print (printers write sums and products flat), so that every text
// the tools print parses again.
const MaxDepth = 1000

// The statement grammar is written for participle. Its tokens come from
// stmtLexer, which passes the scanner's tokens through, except that it
// parses each expression with a precedence-climbing (Pratt) parser and
// hands participle the whole expression as one Expr token: participle's
// grammar has no notion of binding power and cannot tell an opening | from
// a closing one, and it holds every token of what it parses at once, which
// for one long expression would cost memory many times the text's size.
type (
	paramSyntax struct {
		Pos    lexer.Position
		Name   *nameSyntax   `parser:"'param' @@ '='"`
		Value  *exprSyntax   `parser:"@@"`
		Bounds *boundsSyntax `parser:"@@?"`
	}
	// boundsSyntax is "in [Lo, Hi]" after a param's value.
	boundsSyntax struct {
		Pos    lexer.Position
		Lbrack *lbrackSyntax `parser:"'in' @@"`
		Lo     *exprSyntax   `parser:"@@ ','"`
		Hi     *exprSyntax   `parser:"@@"`
		Rbrack *rbrackSyntax `parser:"@@"`
	}
	lbrackSyntax struct {
		Pos lexer.Position
		Tok string `parser:"@'['"`
	}
	rbrackSyntax struct {
		Pos lexer.Position
		Tok string `parser:"@']'"`
	}
	dimSyntax struct {
		Pos lexer.Position
		N   *numberSyntax `parser:"'dim' @@"`
	}
	// letSyntax is flat and captures only the name (the tree of its Expr
	// is exprs[0]): most statements are definitions, and participle
	// allocates for every struct and capture.
	letSyntax struct {
		Pos  lexer.Position
		Name string `parser:"@Ident '=' Expr"`
	}
	nameSyntax struct {
		Pos  lexer.Position
		Name string `parser:"@Ident"`
	}
	numberSyntax struct {
		Pos lexer.Position
		Lit string `parser:"@Number"`
	}
	// exprSyntax is an Expr token; its tree is in the stmtLexer's exprs,
	// which hold the statement's expressions in order.
	exprSyntax struct {
		Pos  lexer.Position
		Text string `parser:"@Expr"`
	}
)

// One parser per kind of statement: the statement lexer has already told
// them apart by their first tokens (it must, to know where expressions
// are), and a union would make participle try each kind in turn, which
// costs more than the rest of parsing a short statement.
var (
	paramParser = participle.MustBuild[paramSyntax](participle.Lexer(Lexer))
	dimParser   = participle.MustBuild[dimSyntax](participle.Lexer(Lexer))
	letParser   = participle.MustBuild[letSyntax](participle.Lexer(Lexer))
	exprParser  = participle.MustBuild[exprSyntax](participle.Lexer(Lexer))
)

// ParseFile parses the .lag source src; filename is used in positions only.
// The error, if not nil, is an ErrorList holding one error per statement
// that failed to parse; the returned File then holds the statements that
// parsed.
//
// Statements are parsed one at a time, so that an error in one does not
// hide the others.
func ParseFile(filename string, src []byte) (*ast.File, error) {
	f, _, err := parseFile(filename, src)
	return f, err
}

// parseFile is ParseFile, also returning the number of operator nodes
// (Unary, Binary, Call) it made, whose types the checker records.
func parseFile(filename string, src []byte) (*ast.File, int, error) {
	f := &ast.File{Name: filename}
	var errs ErrorList
	ts := &tokenStream{sc: newScanner(filename, src)}
	st := &stmtLexer{}
	for ts.peek(0).Type != lexer.EOF {
		if len(errs) == MaxErrors {
			errs.Add(ast.Pos(ts.peek(0).Pos), tooManyErrors)
			break
		}
		*st = stmtLexer{ts: ts, exprs: st.exprs[:0]}
		s, err := st.parse()
		if err != nil {
			errs = append(errs, toError(err))
		} else {
			f.Stmts = append(f.Stmts, s)
		}
	}
	errs.RemoveMultiples()
	errs.attachSource(src)
	return f, ts.operators, errs.Err()
}

// tokenStream is the scanner with two tokens of lookahead.
type tokenStream struct {
	sc  *scanner
	buf [2]lexer.Token
	n   int         // tokens in buf
	cur lexer.Token // the token Next returned last

	operators int // Unary, Binary and Call nodes made from the stream
}

func (ts *tokenStream) peek(i int) *lexer.Token {
	for ts.n <= i {
		ts.buf[ts.n], _ = ts.sc.Next() // the scanner never fails
		ts.n++
	}
	return &ts.buf[i]
}

// Peek returns the next token. At the end of a statement it is a Sep, and
// the stream does not go past it until the statement ends (endStmt).
func (ts *tokenStream) Peek() *lexer.Token { return ts.peek(0) }

// Next consumes the next token, but never a Sep or the EOF.
func (ts *tokenStream) Next() *lexer.Token {
	ts.cur = *ts.peek(0)
	if !atEnd(&ts.cur) {
		ts.buf[0], ts.buf[1] = ts.buf[1], lexer.Token{}
		ts.n--
	}
	return &ts.cur
}

// endStmt skips what is left of the statement, up to and including its Sep.
func (ts *tokenStream) endStmt() lexer.Token {
	for !atEnd(ts.Peek()) {
		ts.Next()
	}
	end := *ts.Peek()
	if end.Type == tokSep {
		ts.buf[0], ts.buf[1] = ts.buf[1], lexer.Token{}
		ts.n--
	}
	return end
}

// atEnd reports whether t ends a statement.
func atEnd(t *lexer.Token) bool { return t.Type == tokSep || t.Type == lexer.EOF }

// stmtLexer is the lexer.Lexer participle parses one statement from. It
// passes tokens through and turns each expression into one Expr token
// (its Value the expression's text), keeping the tree in exprs. An
// expression is wherever the grammar wants one: a statement that is not a
// definition (param, dim, NAME =) is one; otherwise one follows the first
// `=`, and in a param's bounds one follows `[` and `,`.
type stmtLexer struct {
	ts      *tokenStream
	kind    string // "param", "dim", "let" or "expr", from the first tokens
	last    lexer.Token
	n       int            // tokens before the end
	head    [3]lexer.Token // the first tokens, for messages
	inBound bool           // after `in` in a param statement
	exprs   []ast.Expr     // the trees of the Expr tokens, in order
	end     lexer.Token    // the statement's Sep or EOF, once reached
}

// parse parses the statement and moves the stream past its end.
func (l *stmtLexer) parse() (ast.Stmt, error) {
	lex, err := lexer.Upgrade(l)
	if err != nil {
		if l.end.Type == 0 {
			l.end = l.ts.endStmt()
		}
		return nil, err
	}
	switch l.kind {
	case "param":
		p, err := paramParser.ParseFromLexer(lex)
		if err != nil {
			return nil, explainStmt(l, err)
		}
		s := &ast.ParamStmt{Param: ast.Pos(p.Pos), Name: p.Name.ident(), Value: l.exprs[0]}
		if b := p.Bounds; b != nil {
			s.In, s.Lbrack, s.Rbrack = ast.Pos(b.Pos), ast.Pos(b.Lbrack.Pos), ast.Pos(b.Rbrack.Pos)
			s.Lo, s.Hi = l.exprs[1], l.exprs[2]
		}
		return s, nil
	case "dim":
		d, err := dimParser.ParseFromLexer(lex)
		if err != nil {
			return nil, explainStmt(l, err)
		}
		n, err := dimValue(d.N)
		if err != nil {
			return nil, err
		}
		return &ast.DimStmt{Dim: ast.Pos(d.Pos), N: n, NPos: ast.Pos(d.N.Pos)}, nil
	case "let":
		g, err := letParser.ParseFromLexer(lex)
		if err != nil {
			return nil, explainStmt(l, err)
		}
		name := &ast.Ident{NamePos: ast.Pos(g.Pos), Name: g.Name}
		return &ast.LetStmt{Name: name, Value: l.exprs[0]}, nil
	}
	if _, err := exprParser.ParseFromLexer(lex); err != nil {
		return nil, explainStmt(l, err)
	}
	return &ast.ExprStmt{X: l.exprs[0]}, nil
}

func (l *stmtLexer) Next() (lexer.Token, error) {
	t, err := l.next()
	if err != nil {
		return t, err
	}
	if t.Type == lexer.EOF {
		return t, nil
	}
	if l.n < len(l.head) {
		l.head[l.n] = t
	}
	l.n++
	l.last = t
	return t, nil
}

func (l *stmtLexer) next() (lexer.Token, error) {
	if l.end.Type != 0 {
		return lexer.Token{Type: lexer.EOF, Value: l.end.Value, Pos: l.end.Pos}, nil
	}
	ts := l.ts
	if l.n == 0 {
		first, second := ts.peek(0), ts.peek(1)
		switch {
		case first.Type == tokIdent && isPunct(second, "="):
			l.kind = "let"
		case first.Type == tokIdent && (first.Value == "param" || first.Value == "dim"):
			l.kind = first.Value
		default:
			l.kind = "expr"
		}
	}
	t := ts.Peek()
	wantExpr := l.kind == "expr" && l.n == 0 ||
		l.kind != "dim" && isPunct(&l.last, "=") && l.n <= 3 ||
		l.inBound && (isPunct(&l.last, "[") || isPunct(&l.last, ","))
	if atEnd(t) && (!wantExpr || l.n == 0) {
		l.end = ts.endStmt()
		return lexer.Token{Type: lexer.EOF, Value: l.end.Value, Pos: l.end.Pos}, nil
	}
	if t.Type == tokInvalid {
		return lexer.Token{}, participle.Errorf(t.Pos, "invalid character %s", quoteChar(t.Value))
	}
	if !wantExpr {
		if l.kind == "param" && t.Type == tokIdent && t.Value == "in" {
			l.inBound = true
		}
		return *ts.Next(), nil
	}
	start := *t
	p := &pratt{lex: ts}
	x, err := p.expr(ast.PrecLowest)
	if err != nil {
		return lexer.Token{}, err
	}
	if err := l.follows(p, x); err != nil {
		return lexer.Token{}, err
	}
	l.exprs = append(l.exprs, x)
	end := ts.cur.Pos.Offset + len(ts.cur.Value)
	return lexer.Token{Type: tokExpr, Value: ts.sc.src[start.Pos.Offset:end], Pos: start.Pos}, nil
}

// follows checks the token after the expression x: the end of the
// statement, or the bounds of a param. Anything else is reported here,
// where the expression before it is known.
func (l *stmtLexer) follows(p *pratt, x ast.Expr) error {
	t := l.ts.Peek()
	switch {
	case atEnd(t):
	case l.kind == "param" && !l.inBound && t.Type == tokIdent && t.Value == "in":
	case l.inBound && (isPunct(t, ",") || isPunct(t, "]")):
	default:
		return p.unexpectedAfter(x, *t)
	}
	return nil
}

// token returns the i-th token of the statement, or its end.
func (l *stmtLexer) token(i int) lexer.Token {
	if i < l.n && i < len(l.head) {
		return l.head[i]
	}
	return lexer.Token{Type: lexer.EOF, Value: l.end.Value, Pos: l.end.Pos}
}

// explainStmt says what went wrong in a statement that failed to parse, in
// the words of the statement it was meant to be, rather than participle's,
// which name grammar types.
func explainStmt(st *stmtLexer, err error) error {
	first, second, third := st.token(0), st.token(1), st.token(2)
	if first.Type == tokIdent && !isPunct(&second, "=") {
		switch first.Value {
		case "param":
			if second.Type != tokIdent {
				return participle.Errorf(second.Pos, "expected a name after param, found %s; write param NAME = VALUE", describe(second))
			}
			if !isPunct(&third, "=") {
				return participle.Errorf(third.Pos, "expected `=` after param %s, found %s; write param NAME = VALUE", second.Value, describe(third))
			}
			var perr participle.Error
			if st.inBound && errors.As(explain(err), &perr) && strings.HasPrefix(perr.Message(), "expected") {
				// The statement has bounds, and they are broken.
				return participle.Errorf(perr.Position(), "%s; write param NAME = VALUE in [LOWER, UPPER]", perr.Message())
			}
		case "dim":
			if second.Type != tokNumber {
				return participle.Errorf(second.Pos, "expected a positive integer after dim, found %s", describe(second))
			}
			if !third.EOF() {
				return participle.Errorf(third.Pos, "unexpected %s after dim %s", describe(third), second.Value)
			}
		}
	}
	return explain(err)
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
		// participle lists the whole rest of the sequence it expected;
		// the first item is what was missing.
		want, _, _ := strings.Cut(m[1], " ")
		switch want {
		case "<ident>":
			want = "a name"
		case "<number>":
			want = "a number"
		case "ExprSyntax":
			want = "expression"
		case "LbrackSyntax":
			want = "`[`"
		case "RbrackSyntax":
			want = "`]`"
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
	case atEnd(&t) && t.Value == "\n":
		return "newline"
	case atEnd(&t) && t.Value == ";":
		return "`;`"
	case atEnd(&t):
		return "end of file"
	case t.Type == tokExpr:
		return "expression `" + t.Value + "`"
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

// pratt is a precedence-climbing parser over one statement's tokens.
type pratt struct {
	lex   *tokenStream
	depth int
}

func isPunct(t *lexer.Token, s string) bool { return t.Type == tokPunct && t.Value == s }

// expr parses an expression whose binary operators all bind at least as
// tightly as min.
func (p *pratt) expr(min int) (ast.Expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > MaxDepth {
		return nil, tooDeep(p.lex.Peek())
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
		p.lex.operators++
	}
}

// tooDeep reports nesting beyond MaxDepth at t.
func tooDeep(t *lexer.Token) error {
	return participle.Errorf(t.Pos, "expression nested too deeply (more than %d levels); split it into named bindings", MaxDepth)
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
		p.lex.operators++
		return &ast.Unary{OpPos: ast.Pos(t.Pos), Op: t.Value, X: x}, nil
	}
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	// A chain of indices nests as deeply as parentheses do, in the tree
	// if not in the parser, so it counts towards the same limit.
	for n := 1; isPunct(p.lex.Peek(), "["); n++ {
		if p.depth+n > MaxDepth {
			return nil, tooDeep(p.lex.Peek())
		}
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
		p.lex.operators++
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
	if t.Type == tokInvalid {
		return nil, participle.Errorf(t.Pos, "invalid character %s", quoteChar(t.Value))
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
	case t.Type == tokInvalid:
		msg = "invalid character " + quoteChar(t.Value)
	case t.Type == tokIdent && t.Value == "in":
		msg = "unexpected `in`: only a param has bounds (param NAME = VALUE in [LOWER, UPPER])"
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
