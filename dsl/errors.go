package dsl

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lagc-dev/lagc/ast"
)

// MaxErrors is how many errors ParseFile and Check report before they stop
// looking: later ones are mostly consequences of earlier ones, and a
// hostile file could otherwise produce millions.
const MaxErrors = 100

var tooManyErrors = fmt.Sprintf("too many errors (more than %d); fix these first", MaxErrors)

// Error is one problem found in a .lag file.
type Error struct {
	Pos  ast.Pos
	Msg  string
	Line string // the source line holding Pos, for the caret; empty if unknown
}

// Error returns "file:line:col: msg", or just msg when there is no position.
func (e *Error) Error() string {
	if !e.Pos.IsValid() && e.Pos.Filename == "" {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// Detail returns the error followed by its source line and a caret under the
// column, each indented by a tab:
//
//	file:line:col: msg
//		<source line>
//		    ^
//
// The caret line copies the tabs of the source line so that it stays
// aligned. Without a source line only the first line is written.
func (e *Error) Detail() string {
	var b strings.Builder
	e.writeDetail(&b)
	return b.String()
}

func (e *Error) writeDetail(b *strings.Builder) {
	b.WriteString(e.Error())
	b.WriteByte('\n')
	if !e.Pos.IsValid() || strings.TrimSpace(e.Line) == "" {
		return
	}
	b.WriteByte('\t')
	b.WriteString(e.Line)
	b.WriteString("\n\t")
	col := 1
	for _, r := range e.Line {
		if col >= e.Pos.Column {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		col++
	}
	for ; col < e.Pos.Column; col++ { // a caret past the end of the line
		b.WriteByte(' ')
	}
	b.WriteString("^\n")
}

// ErrorList is a list of errors, itself an error. ParseFile, Check and Load
// return one, sorted by position and with at most one error per position.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos ast.Pos, msg string) {
	*l = append(*l, &Error{Pos: pos, Msg: msg})
}

// Sort sorts the list by file name, line, column and message. Errors
// without a position come first.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		if c := strings.Compare(a.Pos.Filename, b.Pos.Filename); c != 0 {
			return c
		}
		if c := a.Pos.Line - b.Pos.Line; c != 0 {
			return c
		}
		if c := a.Pos.Column - b.Pos.Column; c != 0 {
			return c
		}
		return strings.Compare(a.Msg, b.Msg)
	})
}

// RemoveMultiples sorts the list and keeps only the first error at each
// position, since later ones there are usually consequences of the first.
// Errors without a position are kept unless their messages repeat.
func (l *ErrorList) RemoveMultiples() {
	l.Sort()
	out := (*l)[:0]
	for i, e := range *l {
		if i > 0 {
			prev := out[len(out)-1]
			samePos := prev.Pos.Filename == e.Pos.Filename && prev.Pos.Line == e.Pos.Line && prev.Pos.Column == e.Pos.Column
			if samePos && (e.Pos.IsValid() || prev.Msg == e.Msg) {
				continue
			}
		}
		out = append(out, e)
	}
	clear((*l)[len(out):])
	*l = out
}

// Err returns l as an error, or nil if l is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error returns the first error and how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	case 2:
		return l[0].Error() + " (and 1 more error)"
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Detail returns every error in the form of Error.Detail, one after another.
func (l ErrorList) Detail() string {
	var b strings.Builder
	for _, e := range l {
		e.writeDetail(&b)
	}
	return b.String()
}

// Detail returns the detailed form of err (with source lines and carets)
// when it is an ErrorList or an *Error, and err.Error() otherwise.
func Detail(err error) string {
	if err == nil {
		return ""
	}
	var list ErrorList
	if errors.As(err, &list) {
		return list.Detail()
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Detail()
	}
	return err.Error()
}

// sourceLine returns the line of src holding byte offset off, without its
// line ending.
func sourceLine(src []byte, off int) string {
	if off < 0 || off > len(src) {
		return ""
	}
	start := off
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	end := off
	for end < len(src) && src[end] != '\n' {
		end++
	}
	line := src[start:end]
	if start == 0 {
		line = bytes.TrimPrefix(line, bom) // not part of the text
	}
	return strings.TrimRight(string(line), "\r")
}

// attachSource fills in the source line of every error that lacks one.
func (l ErrorList) attachSource(src []byte) {
	for _, e := range l {
		if e.Line == "" && e.Pos.IsValid() {
			e.Line = sourceLine(src, e.Pos.Offset)
		}
	}
}
