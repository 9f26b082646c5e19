package dsl_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lagc-dev/lagc/ast"
	"github.com/lagc-dev/lagc/dsl"
)

// FuzzParseCheck feeds arbitrary text to the front end. Nothing may panic;
// failures must be ErrorLists with positions inside the file; and every file
// that parses must print to text that parses back to the same tree and
// prints identically, with Check agreeing on both.
//
// The seed corpus is testdata/fuzz/FuzzParseCheck plus the examples and
// the error test files.
func FuzzParseCheck(f *testing.F) {
	for _, pattern := range []string{filepath.Join(examplesDir, "*.lag"), filepath.Join("testdata", "errors", "*.lag")} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := dsl.ParseFile("fuzz.lag", src)
		if err != nil {
			checkErrorList(t, src, err)
			return
		}
		info, cerr := dsl.Check(file, map[string]float64{"w": 2})
		if cerr != nil {
			checkErrorList(t, src, cerr)
		}
		text := ast.String(file)
		again, err := dsl.ParseFile("fuzz.lag", []byte(text))
		if err != nil {
			t.Fatalf("%q prints as %q, which does not parse: %v", src, text, err)
		}
		if d := cmp.Diff(file, again, ignorePos); d != "" {
			t.Fatalf("%q prints as %q, which parses differently (-first +second):\n%s", src, text, d)
		}
		if twice := ast.String(again); twice != text {
			t.Fatalf("printing is not idempotent: %q, then %q", text, twice)
		}
		info2, cerr2 := dsl.Check(again, map[string]float64{"w": 2})
		if (cerr == nil) != (cerr2 == nil) {
			t.Fatalf("%q checks with error %v, its reprint %q with %v", src, cerr, text, cerr2)
		}
		if cerr == nil && (info.Dim != info2.Dim || info.MinDim != info2.MinDim || !cmp.Equal(info.Params, info2.Params, ignorePos)) {
			t.Fatalf("%q and its reprint %q check differently", src, text)
		}
	})
}

func checkErrorList(t *testing.T, src []byte, err error) {
	t.Helper()
	list, ok := err.(dsl.ErrorList)
	if !ok || len(list) == 0 {
		t.Fatalf("%q: error %T %v, want a non-empty dsl.ErrorList", src, err, err)
	}
	for i, e := range list {
		if e.Msg == "" {
			t.Fatalf("%q: empty message in %v", src, list)
		}
		if e.Pos.IsValid() && (e.Pos.Offset < 0 || e.Pos.Offset > len(src) || e.Pos.Column < 1) {
			t.Fatalf("%q: error %v has position %+v outside the file", src, e, e.Pos)
		}
		if i > 0 && list[i-1].Pos.Line > e.Pos.Line {
			t.Fatalf("%q: errors not sorted: %v", src, list)
		}
	}
	_ = dsl.Detail(err)
}
