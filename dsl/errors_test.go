package dsl_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lagc-dev/lagc/ast"
	"github.com/lagc-dev/lagc/dsl"
)

func at(line, col int) ast.Pos { return ast.Pos{Filename: "f.lag", Line: line, Column: col} }

func TestErrorDetail(t *testing.T) {
	for _, tc := range []struct {
		e    *dsl.Error
		want string
	}{
		{&dsl.Error{Pos: at(1, 5), Msg: "m", Line: "L = @"}, "f.lag:1:5: m\n\tL = @\n\t    ^\n"},
		// Tabs in the prefix are copied so the caret stays under the column.
		{&dsl.Error{Pos: at(2, 4), Msg: "m", Line: "\t\tL@"}, "f.lag:2:4: m\n\t\t\tL@\n\t\t\t ^\n"},
		// Multi-byte characters count as one column each.
		{&dsl.Error{Pos: at(1, 4), Msg: "m", Line: "é·x@"}, "f.lag:1:4: m\n\té·x@\n\t   ^\n"},
		// A column past the end (end of file) still gets its caret.
		{&dsl.Error{Pos: at(1, 4), Msg: "m", Line: "a+"}, "f.lag:1:4: m\n\ta+\n\t   ^\n"},
		{&dsl.Error{Pos: at(3, 1), Msg: "m"}, "f.lag:3:1: m\n"},
		{&dsl.Error{Pos: ast.Pos{Filename: "f.lag"}, Msg: "m"}, "f.lag: m\n"},
		{&dsl.Error{Msg: "m"}, "m\n"},
	} {
		if got := tc.e.Detail(); got != tc.want {
			t.Errorf("Detail of %+v:\n got %q\nwant %q", tc.e, got, tc.want)
		}
		if got := dsl.Detail(tc.e); got != tc.want {
			t.Errorf("dsl.Detail of %+v:\n got %q\nwant %q", tc.e, got, tc.want)
		}
	}
}

func TestErrorList(t *testing.T) {
	var l dsl.ErrorList
	if l.Err() != nil {
		t.Fatal("empty list is a non-nil error")
	}
	l.Add(at(2, 1), "b")
	l.Add(at(1, 7), "a2")
	l.Add(at(1, 3), "a1")
	l.Add(at(1, 7), "a3") // same position as a2: a consequence, dropped
	l.Add(ast.Pos{Filename: "f.lag"}, "file")
	l.Add(ast.Pos{Filename: "f.lag"}, "file")
	l.RemoveMultiples()
	var got []string
	for _, e := range l {
		got = append(got, e.Msg)
	}
	if fmt.Sprint(got) != "[file a1 a2 b]" {
		t.Errorf("sorted and de-duplicated: %v, want [file a1 a2 b]", got)
	}
	if want := "f.lag: file (and 3 more errors)"; l.Error() != want {
		t.Errorf("Error() = %q, want %q", l.Error(), want)
	}
	wrapped := fmt.Errorf("loading: %w", l.Err())
	if got, want := dsl.Detail(wrapped), "f.lag: file\nf.lag:1:3: a1\nf.lag:1:7: a2\nf.lag:2:1: b\n"; got != want {
		t.Errorf("Detail of a wrapped list:\n got %q\nwant %q", got, want)
	}
	if got := dsl.Detail(errors.New("plain")); got != "plain" {
		t.Errorf("Detail of a plain error = %q", got)
	}
}
