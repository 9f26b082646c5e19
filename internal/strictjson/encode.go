package strictjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
)

// NonFiniteError reports a NaN or infinite number in a value to be encoded.
type NonFiniteError struct {
	Path  string // where the number sits, such as "eval.w2" or "[3][1]"
	Value float64
}

func (e *NonFiniteError) Error() string {
	path := e.Path
	if path == "" {
		path = "the value"
	}
	return fmt.Sprintf("%s is %v, which JSON cannot carry", path, e.Value)
}

// CheckFinite returns a *NonFiniteError for the first NaN or ±Inf float
// reachable from v (struct fields by their JSON names, slices, arrays, maps
// in sorted key order, pointers, interfaces), or nil.
func CheckFinite(v any) error {
	return checkFinite(reflect.ValueOf(v), "", 0)
}

// maxDepth bounds the walk so that a cyclic value cannot recurse forever;
// encoding/json refuses such values anyway.
const maxDepth = 1000

func checkFinite(v reflect.Value, path string, depth int) error {
	if depth > maxDepth || !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return &NonFiniteError{Path: path, Value: f}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return checkFinite(v.Elem(), path, depth+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // []byte encodes as base64
		}
		for i := 0; i < v.Len(); i++ {
			if err := checkFinite(v.Index(i), path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
				return err
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		var first *NonFiniteError
		for iter.Next() {
			err := checkFinite(iter.Value(), join(path, fmt.Sprint(iter.Key().Interface())), depth+1)
			if nf, ok := err.(*NonFiniteError); ok && (first == nil || nf.Path < first.Path) {
				first = nf // the smallest path, so that the message does not depend on map order
			}
		}
		if first != nil {
			return first
		}
	case reflect.Struct:
		for _, f := range jsonFields(v.Type()) {
			if err := checkFinite(v.Field(f.index), join(path, f.key), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func join(path, name string) string {
	if name == "" {
		return path
	}
	if path == "" {
		return name
	}
	return path + "." + name
}

// jsonField is an exported struct field as encoding/json sees it.
type jsonField struct {
	index    int
	key      string // the JSON key; "" for an embedded struct, whose fields are promoted
	required bool   // tagged strictjson:"required"
}

// jsonFields lists t's fields that encoding/json encodes.
func jsonFields(t reflect.Type) []jsonField {
	var fs []jsonField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		// encoding/json promotes the fields of an embedded struct even
		// when its type is unexported.
		promoted := f.Anonymous && (f.Type.Kind() == reflect.Struct ||
			f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct)
		if (!f.IsExported() && !promoted) || tag == "-" {
			continue
		}
		key, _, _ := cutComma(tag)
		switch {
		case key != "":
		case f.Anonymous:
			key = "" // promoted fields keep the parent's path
		default:
			key = f.Name
		}
		fs = append(fs, jsonField{index: i, key: key, required: f.Tag.Get("strictjson") == "required"})
	}
	return fs
}

func cutComma(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// Marshal is json.Marshal that refuses non-finite numbers with a
// *NonFiniteError naming their path.
func Marshal(v any) ([]byte, error) {
	if err := CheckFinite(v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// MarshalIndent is json.MarshalIndent that refuses non-finite numbers.
func MarshalIndent(v any, prefix, indent string) ([]byte, error) {
	if err := CheckFinite(v); err != nil {
		return nil, err
	}
	return json.MarshalIndent(v, prefix, indent)
}

// Encode writes v to w as one line of JSON, or writes nothing and returns
// an error when v holds a non-finite number.
func Encode(w io.Writer, v any) error {
	b, err := Marshal(v)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.Grow(len(b) + 1)
	buf.Write(b)
	buf.WriteByte('\n')
	_, err = w.Write(buf.Bytes())
	return err
}
