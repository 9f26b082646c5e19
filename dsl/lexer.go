package dsl

import (
	"bytes"

	"github.com/alecthomas/participle/v2/lexer"
)

// lagLexer splits .lag text into tokens. Rules are tried in order. Invalid
// catches any other character, so that lexing never fails and the parser can
// name the character in its message.
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
func splitStatements(filename string, src []byte) ([]statement, error) {
	lex, err := lagLexer.Lex(filename, bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	var (
		stmts []statement
		cur   statement
	)
	for {
		tok, err := lex.Next()
		if err != nil {
			return nil, err
		}
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
			if tok.Type == lexer.EOF {
				return stmts, nil
			}
		default:
			cur = append(cur, tok)
		}
	}
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
