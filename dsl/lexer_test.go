package dsl

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// lexAll returns every token of src up to and including the EOF.
func lexAll(t testing.TB, src []byte) []lexer.Token {
	lex, err := Lexer.(lexer.BytesDefinition).LexBytes("s.lag", src)
	if err != nil {
		t.Fatal(err)
	}
	toks, err := lexer.ConsumeAll(lex)
	if err != nil {
		t.Fatal(err)
	}
	return toks
}

// brief writes tokens as "Type:Value@line:col" for comparison.
func brief(toks []lexer.Token) string {
	names := lexer.SymbolsByRune(Lexer)
	var parts []string
	for _, t := range toks {
		parts = append(parts, fmt.Sprintf("%s:%q@%d:%d", names[t.Type], t.Value, t.Pos.Line, t.Pos.Column))
	}
	return strings.Join(parts, " ")
}

func TestScan(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", `EOF:""@1:1`},
		{"# only a comment\n\n", `EOF:""@3:1`},
		{"x", `Ident:"x"@1:1 Sep:""@1:2 EOF:""@1:2`},
		{"a_1b 2.x", `Ident:"a_1b"@1:1 Number:"2."@1:6 Ident:"x"@1:8 Sep:""@1:9 EOF:""@1:9`},
		{"1e 1e+ 1e+5 .5e-2", `Number:"1"@1:1 Ident:"e"@1:2 Number:"1"@1:4 Ident:"e"@1:5 Punct:"+"@1:6 Number:"1e+5"@1:8 Number:".5e-2"@1:13 Sep:""@1:18 EOF:""@1:18`},
		{"..5", `Invalid:"."@1:1 Number:".5"@1:2 Sep:""@1:4 EOF:""@1:4`},
		{"1.2.3", `Number:"1.2"@1:1 Number:".3"@1:4 Sep:""@1:6 EOF:""@1:6`},
		// Newlines and semicolons end statements; blank lines give no Sep.
		{"x;y\n\n\nz # c\n", `Ident:"x"@1:1 Sep:";"@1:2 Ident:"y"@1:3 Sep:"\n"@1:4 Ident:"z"@4:1 Sep:"\n"@4:6 EOF:""@5:1`},
		{";;\n;x", `Ident:"x"@2:2 Sep:""@2:3 EOF:""@2:3`},
		// A line ending in an operator, "(", "[" or "," goes on.
		{"a +\n b\nc", `Ident:"a"@1:1 Punct:"+"@1:3 Ident:"b"@2:2 Sep:"\n"@2:3 Ident:"c"@3:1 Sep:""@3:2 EOF:""@3:2`},
		{"f(a,\n# c\nb)", `Ident:"f"@1:1 Punct:"("@1:2 Ident:"a"@1:3 Punct:","@1:4 Ident:"b"@3:1 Punct:")"@3:2 Sep:""@3:3 EOF:""@3:3`},
		// CRLF line endings read like LF ones.
		{"x\r\n y\r\n", `Ident:"x"@1:1 Sep:"\n"@1:3 Ident:"y"@2:2 Sep:"\n"@2:4 EOF:""@3:1`},
		// A byte-order mark is skipped without moving the column.
		{"\uFEFFx = 1", `Ident:"x"@1:1 Punct:"="@1:3 Number:"1"@1:5 Sep:""@1:6 EOF:""@1:6`},
		{"x\uFEFF", `Ident:"x"@1:1 Invalid:"\ufeff"@1:2 Sep:""@1:3 EOF:""@1:3`},
		{"é\xff@", `Invalid:"é"@1:1 Invalid:"\xff"@1:2 Invalid:"@"@1:3 Sep:""@1:4 EOF:""@1:4`},
		{"|x|^2*[1,2]=-/", `Punct:"|"@1:1 Ident:"x"@1:2 Punct:"|"@1:3 Punct:"^"@1:4 Number:"2"@1:5 Punct:"*"@1:6 Punct:"["@1:7 Number:"1"@1:8 Punct:","@1:9 Number:"2"@1:10 Punct:"]"@1:11 Punct:"="@1:12 Punct:"-"@1:13 Punct:"/"@1:14 Sep:""@1:15 EOF:""@1:15`},
	} {
		if got := brief(lexAll(t, []byte(tc.src))); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.src, got, tc.want)
		}
		// The reader and string entry points of the Definition agree.
		for name, lex := range map[string]func() (lexer.Lexer, error){
			"Lex":       func() (lexer.Lexer, error) { return Lexer.Lex("s.lag", strings.NewReader(tc.src)) },
			"LexString": func() (lexer.Lexer, error) { return Lexer.(lexer.StringDefinition).LexString("s.lag", tc.src) },
		} {
			l, err := lex()
			if err != nil {
				t.Fatal(err)
			}
			toks, err := lexer.ConsumeAll(l)
			if err != nil {
				t.Fatal(err)
			}
			if got := brief(toks); got != tc.want {
				t.Errorf("%s(%q):\n got %s\nwant %s", name, tc.src, got, tc.want)
			}
		}
	}
}

// checkTokens holds the scanner to what a reader of the source sees: each
// token's text is at its offset, its line and column count the newlines
// and characters before it, and what lies between tokens is only
// whitespace, comments, separators and a leading byte-order mark.
func checkTokens(t *testing.T, src []byte) {
	t.Helper()
	toks := lexAll(t, src)
	s := string(src)
	prev := 0
	for i, tok := range toks {
		off := tok.Pos.Offset
		if off < prev || off > len(s) {
			t.Fatalf("%q: token %d at offset %d, after %d", src, i, off, prev)
		}
		before := s[:off]
		line := 1 + strings.Count(before, "\n")
		col := 1 + utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:])
		if line == 1 && strings.HasPrefix(s, "\uFEFF") && off >= 3 {
			col-- // the mark takes no column
		}
		if tok.Pos.Line != line || tok.Pos.Column != col {
			t.Fatalf("%q: token %d %q at %d:%d, want %d:%d", src, i, tok.Value, tok.Pos.Line, tok.Pos.Column, line, col)
		}
		if tok.Type == tokSep && tok.Value == "" || tok.Type == lexer.EOF {
			continue // the end of the file
		}
		if !strings.HasPrefix(s[off:], tok.Value) || tok.Value == "" {
			t.Fatalf("%q: token %d %q is not the text at offset %d", src, i, tok.Value, off)
		}
		if !onlySpace(s, prev, off) {
			t.Fatalf("%q: text %q skipped between tokens", src, s[prev:off])
		}
		prev = off + len(tok.Value)
	}
	if !onlySpace(s, prev, len(s)) {
		t.Fatalf("%q: text %q after the last token", src, s[prev:])
	}
}

// onlySpace reports whether s[from:to] holds nothing a token could be.
func onlySpace(s string, from, to int) bool {
	gap := s[from:to]
	if from == 0 {
		gap = strings.TrimPrefix(gap, "\uFEFF")
	}
	for _, l := range strings.Split(gap, "\n") {
		l, _, _ = strings.Cut(l, "#")
		if strings.Trim(l, " \t\r\f\v;") != "" {
			return false
		}
	}
	return true
}

func TestScanRandom(t *testing.T) {
	alphabet := []string{"0", "7", ".", "e", "E", "+", "-", "x", "_", "Z", " ", "\t", "\r", "\n", "#", ";",
		"|", "(", ")", "[", "]", ",", "=", "^", "*", "/", "é", "\xff", "@", "\uFEFF"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		var b []byte
		for range r.IntN(30) {
			b = append(b, alphabet[r.IntN(len(alphabet))]...)
		}
		checkTokens(t, b)
	}
}

func FuzzScan(f *testing.F) {
	f.Add([]byte("L = 0.5*|v|^2 - 1e-3*x[0] # c\r\n"))
	f.Add([]byte("\uFEFFparam w = 0.5 in [0, inf]\r\nL = w*|v|^2\r\n"))
	f.Add([]byte("x +\n y;; z\n\n"))
	f.Fuzz(func(t *testing.T, src []byte) { checkTokens(t, src) })
}
