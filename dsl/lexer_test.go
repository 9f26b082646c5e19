package dsl

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/google/go-cmp/cmp"
)

// participleTokens lexes src with participle's regular-expression lexer,
// the reference that scan must agree with.
func participleTokens(t testing.TB, src []byte) []lexer.Token {
	lex, err := lagLexer.Lex("s.lag", bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	toks, err := lexer.ConsumeAll(lex)
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	return toks
}

func sameTokens(t testing.TB, src []byte) {
	t.Helper()
	want, got := participleTokens(t, src), scan("s.lag", src)
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("%q: scan differs from lagLexer (-lagLexer +scan):\n%s", src, d)
	}
}

func TestScanMatchesLexer(t *testing.T) {
	files, _ := filepath.Glob("../examples/lagrangians/*.lag")
	more, _ := filepath.Glob("testdata/errors/*.lag")
	for _, file := range append(files, more...) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sameTokens(t, src)
	}
	for _, s := range []string{
		"", "1e", "1e+", "1e+5", "1.e3", ".5e-2x", "..5", "2.x", "a_1b", "\r", "\r\n\r\n", " \r\n",
		"#é\nx", "\xff\xfe", "é", "1.2.3", "x;y", "\t\f\v",
	} {
		sameTokens(t, []byte(s))
	}
	// Random text over an alphabet with every character class.
	alphabet := []string{"0", "7", ".", "e", "E", "+", "-", "x", "_", "Z", " ", "\t", "\r", "\n", "#", ";",
		"|", "(", ")", "[", "]", ",", "=", "^", "*", "/", "é", "\xff", "@"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		var b []byte
		for range r.IntN(30) {
			b = append(b, alphabet[r.IntN(len(alphabet))]...)
		}
		sameTokens(t, b)
	}
}

func FuzzScan(f *testing.F) {
	f.Add([]byte("L = 0.5*|v|^2 - 1e-3*x[0] # c\r\n"))
	f.Fuzz(func(t *testing.T, src []byte) { sameTokens(t, src) })
}
