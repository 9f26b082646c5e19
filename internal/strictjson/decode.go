package strictjson

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// SyntaxError is a mistake in the input, at a byte offset.
type SyntaxError struct {
	Offset int64 // bytes from the start of the input; -1 when unknown
	Msg    string
}

func (e *SyntaxError) Error() string {
	if e.Offset < 0 {
		return e.Msg
	}
	return fmt.Sprintf("byte %d: %s", e.Offset, e.Msg)
}

// Decode reads exactly one JSON value from r into v (a non-nil pointer):
// nothing but white space may follow it, object keys must name fields of
// v's structs, and fields tagged `strictjson:"required"` must be present
// and not null. What v pointed to before is replaced, not merged into.
// Errors are *SyntaxError values worded in JSON's terms.
//
// Decode reads r to its end; limit what it may read with io.LimitReader
// when r is not trusted to be small.
func Decode(r io.Reader, v any) error {
	// Start from the zero value: encoding/json merges into what v holds
	// (a reused slice keeps old fields), which would hide missing keys.
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv.Elem().SetZero()
	}
	br := bufio.NewReader(r)
	dec := json.NewDecoder(br)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return translate(err, dec.InputOffset())
	}
	// Anything but white space after the value is an error: a second value
	// or trailing garbage means the input is not what the caller thinks.
	off := dec.InputOffset()
	rest := io.MultiReader(dec.Buffered(), br)
	var b [1]byte
	for {
		_, err := rest.Read(b[:])
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch b[0] {
		case ' ', '\t', '\n', '\r':
			off++
			continue
		}
		return &SyntaxError{Offset: off, Msg: fmt.Sprintf("unexpected %s after the JSON value; want exactly one value", describeByte(b[0]))}
	}
	return checkRequired(reflect.ValueOf(v), "", 0)
}

func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// translate rewords encoding/json's errors, which name Go types.
func translate(err error, off int64) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return &SyntaxError{Offset: -1, Msg: "no input; want one JSON value"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &SyntaxError{Offset: off, Msg: "the input ends inside the JSON value"}
	case errors.As(err, &se):
		return &SyntaxError{Offset: se.Offset, Msg: strings.TrimPrefix(se.Error(), "json: ")}
	case errors.As(err, &te):
		at := ""
		if te.Field != "" {
			at = "at " + te.Field + ": "
		}
		got := te.Value
		if strings.HasPrefix(got, "number ") && isNumberKind(te.Type) {
			return &SyntaxError{Offset: te.Offset, Msg: fmt.Sprintf("%s%s is out of range", at, got)}
		}
		return &SyntaxError{Offset: te.Offset, Msg: fmt.Sprintf("%swant %s, got %s", at, describeType(te.Type), article(got))}
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return &SyntaxError{Offset: off, Msg: "unknown key " + f}
	}
	return &SyntaxError{Offset: off, Msg: strings.TrimPrefix(msg, "json: ")}
}

func isNumberKind(t reflect.Type) bool {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func article(what string) string {
	if what == "" {
		return "something else"
	}
	if strings.ContainsRune("aeiou", rune(what[0])) {
		return "an " + what
	}
	return "a " + what
}

// describeType names a Go type as the JSON that decodes into it.
func describeType(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		el := describeType(t.Elem())
		return "an array of " + plural(el)
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a value"
}

func plural(s string) string {
	for _, a := range []string{"a ", "an "} {
		if rest, ok := strings.CutPrefix(s, a); ok {
			switch rest {
			case "true or false":
				return "booleans"
			case "array of numbers", "array of integers", "array of strings", "array of objects", "array of values":
				return "arrays"
			}
			return rest + "s"
		}
	}
	return s
}

// checkRequired walks v for struct fields tagged `strictjson:"required"`
// that are still nil (absent or null in the input).
func checkRequired(v reflect.Value, path string, depth int) error {
	if depth > maxDepth || !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return checkRequired(v.Elem(), path, depth+1)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := checkRequired(v.Index(i), path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for _, f := range jsonFields(v.Type()) {
			fv := v.Field(f.index)
			if f.required {
				switch fv.Kind() {
				case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
					if fv.IsNil() {
						return &SyntaxError{Offset: -1, Msg: fmt.Sprintf("%s: missing required key %q", where(path), f.key)}
					}
				}
			}
			if err := checkRequired(fv, join(path, f.key), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func where(path string) string {
	if path == "" {
		return "the top-level object"
	}
	return "at " + path
}

// DecodeBytes is Decode on a byte slice.
func DecodeBytes(b []byte, v any) error { return Decode(bytes.NewReader(b), v) }
