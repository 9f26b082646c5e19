package dsl

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// Token types of .lag text. Comments and whitespace produce no tokens, and
// a newline that ends a statement, or a semicolon, is one Sep token: the
// statement grammar sees only what it parses. Invalid is any other
// character, so that lexing never fails and the parser can name the
// character in its message.
const (
	tokNumber lexer.TokenType = iota + 1
	tokIdent
	tokPunct
	tokSep
	tokInvalid
	tokExpr // a whole expression: made by the statement lexer, not the scanner
)

// Lexer is the lexer of .lag text, a participle lexer.Definition. Its
// tokens are Number, Ident, Punct (one of -+*/^|(),[]=), Sep and Invalid;
// a file is read whole, so Lex reads r to the end.
var Lexer lexer.Definition = lagLexer{}

type lagLexer struct{}

func (lagLexer) Symbols() map[string]lexer.TokenType {
	return map[string]lexer.TokenType{
		"EOF":     lexer.EOF,
		"Number":  tokNumber,
		"Ident":   tokIdent,
		"Punct":   tokPunct,
		"Sep":     tokSep,
		"Invalid": tokInvalid,
		"Expr":    tokExpr,
	}
}

func (l lagLexer) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return l.LexBytes(filename, src)
}

func (lagLexer) LexBytes(filename string, src []byte) (lexer.Lexer, error) {
	return newScanner(filename, src), nil
}

func (lagLexer) LexString(filename string, src string) (lexer.Lexer, error) {
	return newScanner(filename, []byte(src)), nil
}

// bom is the UTF-8 encoding of U+FEFF, which some editors put at the start
// of a file.
var bom = []byte{0xEF, 0xBB, 0xBF}

// scanner splits .lag text into tokens one at a time, so that parsing holds
// no more than one statement's tokens.
//
// A newline does not end a statement when the line ends in a token that
// cannot end one (an operator, "(", "[" or ","), so long expressions may
// be continued on the next line. Blank lines and runs of separators give
// one Sep; a file whose last statement lacks a line ending gets a Sep with
// an empty Value just past its last token, so that the parser can say
// "found end of file" there.
type scanner struct {
	src  string
	s    string // what is left of src
	pos  lexer.Position
	last lexer.Token // the last token returned; Type 0 before the first
}

func newScanner(filename string, src []byte) *scanner {
	sc := &scanner{src: string(src), pos: lexer.Position{Filename: filename, Line: 1, Column: 1}}
	sc.s = sc.src
	if bytes.HasPrefix(src, bom) {
		// The mark is not part of the text: skip it without moving the
		// column, but keep offsets counting bytes of src.
		sc.s = sc.s[len(bom):]
		sc.pos.Offset = len(bom)
	}
	return sc
}

// Next returns the next token; after the end it returns EOF tokens.
func (sc *scanner) Next() (lexer.Token, error) {
	t := sc.next()
	sc.last = t
	return t, nil
}

func (sc *scanner) next() lexer.Token {
	for len(sc.s) > 0 {
		typ, n := tokPunct, 1
		switch c := sc.s[0]; {
		case c == '#':
			n = strings.IndexByte(sc.s, '\n')
			if n < 0 {
				n = len(sc.s)
			}
			sc.skip(n)
			continue
		case c == '\n' || c == ';':
			sep := sc.pos
			sc.skip(1)
			if !sc.inStatement() || c == '\n' && continues(sc.last) {
				continue
			}
			return lexer.Token{Type: tokSep, Value: string(c), Pos: sep}
		case isSpace(c):
			for n < len(sc.s) && isSpace(sc.s[n]) {
				n++
			}
			sc.skip(n)
			continue
		case isDigit(c) || c == '.' && len(sc.s) > 1 && isDigit(sc.s[1]):
			typ, n = tokNumber, numberLen(sc.s)
		case isLetter(c):
			typ = tokIdent
			for n < len(sc.s) && (isLetter(sc.s[n]) || isDigit(sc.s[n])) {
				n++
			}
		case strings.IndexByte("-+*/^|(),[]=", c) >= 0:
			typ = tokPunct
		default:
			_, n = utf8.DecodeRuneInString(sc.s)
			typ = tokInvalid
		}
		t := lexer.Token{Type: typ, Value: sc.s[:n], Pos: sc.pos}
		sc.skip(n)
		return t
	}
	if sc.inStatement() {
		// Point just past the last token rather than at an empty last
		// line, so the caret has a line to sit on.
		end := sc.last.Pos
		end.Advance(sc.last.Value)
		return lexer.Token{Type: tokSep, Pos: end}
	}
	return lexer.EOFToken(sc.pos)
}

// inStatement reports whether tokens have been returned since the last Sep.
func (sc *scanner) inStatement() bool {
	return sc.last.Type != 0 && sc.last.Type != tokSep && sc.last.Type != lexer.EOF
}

// skip moves past the next n bytes.
func (sc *scanner) skip(n int) {
	sc.pos.Advance(sc.s[:n])
	sc.s = sc.s[n:]
}

// numberLen is the length of the number at the start of s:
// (digits [.] digits* | . digits) [e [+-] digits].
func numberLen(s string) int {
	n := digits(s, 0)
	if n < len(s) && s[n] == '.' {
		n = digits(s, n+1)
	}
	if n < len(s) && (s[n] == 'e' || s[n] == 'E') {
		m := n + 1
		if m < len(s) && (s[m] == '+' || s[m] == '-') {
			m++
		}
		if e := digits(s, m); e > m {
			n = e
		}
	}
	return n
}

func digits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }

// isSpace: \r is whitespace, so CRLF line endings read like LF ones.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

// continues reports whether a line ending in tok must go on.
func continues(tok lexer.Token) bool {
	if tok.Type != tokPunct {
		return false
	}
	switch tok.Value {
	case "+", "-", "*", "/", "^", "(", "[", ",":
		return true
	}
	return false
}
