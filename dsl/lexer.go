package dsl

import (
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// lagLexer defines the tokens of .lag text. Rules are tried in order.
// Invalid catches any other character, so that lexing never fails and the
// parser can name the character in its message. The participle grammars are
// built on it; scan implements the same rules by hand.
var lagLexer = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "Comment", Pattern: `#[^\n]*`},
	{Name: "Newline", Pattern: `\r?\n`},
	{Name: "Semi", Pattern: `;`},
	{Name: "Whitespace", Pattern: `[ \t\r\f\v]+`},
	{Name: "Number", Pattern: `(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?`},
	{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_]*`},
	{Name: "Punct", Pattern: `[-+*/^|(),\[\]=]`},
	{Name: "Invalid", Pattern: `.`},
})

var (
	tokComment    = lagLexer.Symbols()["Comment"]
	tokNewline    = lagLexer.Symbols()["Newline"]
	tokSemi       = lagLexer.Symbols()["Semi"]
	tokWhitespace = lagLexer.Symbols()["Whitespace"]
	tokNumber     = lagLexer.Symbols()["Number"]
	tokIdent      = lagLexer.Symbols()["Ident"]
	tokPunct      = lagLexer.Symbols()["Punct"]
	tokInvalid    = lagLexer.Symbols()["Invalid"]
)

// statement is the tokens of one statement, ending in an EOF token placed at
// the separator that ended it. The EOF token's Value is that separator ("\n"
// or ";"), or empty at the end of the file, so that messages can say
// "found newline" rather than "found end of file".
type statement []lexer.Token

// splitStatements lexes src and cuts it into statements at newlines and
// semicolons. A newline does not end a statement when the line ends in a
// token that cannot end one (an operator, "(", "[" or ","), so long
// expressions may be continued on the next line.
func splitStatements(filename string, src []byte) []statement {
	var (
		stmts []statement
		cur   statement
	)
	for _, tok := range scan(filename, src) {
		switch tok.Type {
		case tokComment, tokWhitespace:
			continue
		case tokNewline, tokSemi, lexer.EOF:
			if tok.Type == tokNewline && len(cur) > 0 && continues(cur[len(cur)-1]) {
				continue
			}
			if len(cur) > 0 {
				end := lexer.Token{Type: lexer.EOF, Value: tok.Value, Pos: tok.Pos}
				switch tok.Type {
				case tokNewline:
					end.Value = "\n"
				case lexer.EOF:
					// Point just past the last token rather than at an
					// empty last line, so the caret has a line to sit on.
					last := cur[len(cur)-1]
					end.Pos = last.Pos
					end.Pos.Advance(last.Value)
				}
				stmts = append(stmts, append(cur, end))
				cur = nil
			}
		default:
			cur = append(cur, tok)
		}
	}
	return stmts
}

// scan splits src into tokens by the rules of lagLexer, ending with an EOF
// token. It is a hand-written equivalent of lagLexer.Lex (the tests hold
// them to the same output): participle's lexer tries every rule's regular
// expression at every token, which made lexing most of the cost of Load.
func scan(filename string, src []byte) []lexer.Token {
	toks := make([]lexer.Token, 0, len(src)/2+1)
	pos := lexer.Position{Filename: filename, Line: 1, Column: 1}
	s := string(src)
	for len(s) > 0 {
		typ, n := tokPunct, 1
		switch c := s[0]; {
		case c == '#':
			typ, n = tokComment, strings.IndexByte(s, '\n')
			if n < 0 {
				n = len(s)
			}
		case c == '\n':
			typ = tokNewline
		case c == '\r' && len(s) > 1 && s[1] == '\n':
			typ, n = tokNewline, 2
		case c == ';':
			typ = tokSemi
		case isSpace(c):
			typ = tokWhitespace
			for n < len(s) && isSpace(s[n]) {
				n++
			}
		case isDigit(c) || c == '.' && len(s) > 1 && isDigit(s[1]):
			typ, n = tokNumber, numberLen(s)
		case isLetter(c):
			typ = tokIdent
			for n < len(s) && (isLetter(s[n]) || isDigit(s[n])) {
				n++
			}
		case strings.IndexByte("-+*/^|(),[]=", c) >= 0:
			typ = tokPunct
		default:
			_, n = utf8.DecodeRuneInString(s)
			typ = tokInvalid
		}
		toks = append(toks, lexer.Token{Type: typ, Value: s[:n], Pos: pos})
		pos.Advance(s[:n])
		s = s[n:]
	}
	return append(toks, lexer.EOFToken(pos))
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

// sliceLexer replays the tokens of one statement to participle.
type sliceLexer struct {
	toks statement
	i    int
}

func (l *sliceLexer) Next() (lexer.Token, error) {
	if l.i >= len(l.toks) {
		return l.toks[len(l.toks)-1], nil // the EOF token, again
	}
	t := l.toks[l.i]
	l.i++
	return t, nil
}
