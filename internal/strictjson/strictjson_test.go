package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

type point struct {
	T *float64  `json:"t" strictjson:"required"`
	X []float64 `json:"x" strictjson:"required"`
	V []float64 `json:"v" strictjson:"required"`
}

type metrics struct {
	W2   float64            `json:"w2"`
	Seen map[string]float64 `json:"seen,omitempty"`
	Skip float64            `json:"-"`
	In   struct {
		Rows [][]float64 `json:"rows"`
	} `json:"inner"`
}

func TestEncodeRefusesNonFinite(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name string
		v    any
		path string // "" = no error
	}{
		{"finite", metrics{W2: 1.5}, ""},
		{"skipped field", metrics{Skip: nan}, ""},
		{"top-level", nan, "the value"},
		{"field", metrics{W2: inf}, "w2"},
		{"map in sorted key order", metrics{Seen: map[string]float64{"b": nan, "a": -inf, "c": 1}}, "seen.a"},
		{"nested rows", func() metrics {
			var m metrics
			m.In.Rows = [][]float64{{1, 2}, {3, nan}}
			return m
		}(), "inner.rows[1][1]"},
		{"pointer", &metrics{W2: nan}, "w2"},
		{"embedded struct promotes its keys", struct {
			metrics
			N int `json:"n"`
		}{metrics: metrics{W2: nan}}, "w2"},
		{"slice of any", []any{1.0, "x", float32(math.Inf(-1))}, "[2]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Encode(&buf, c.v)
			if c.path == "" {
				if err != nil {
					t.Fatalf("Encode: %v", err)
				}
				if !json.Valid(buf.Bytes()) {
					t.Fatalf("Encode wrote invalid JSON %q", buf.String())
				}
				return
			}
			var nf *NonFiniteError
			if !errors.As(err, &nf) {
				t.Fatalf("Encode error = %v, want a *NonFiniteError", err)
			}
			if !strings.HasPrefix(err.Error(), c.path+" is ") {
				t.Errorf("error %q does not start with the path %q", err, c.path)
			}
			if buf.Len() != 0 {
				t.Errorf("Encode wrote %q before failing; want nothing", buf.String())
			}
		})
	}
}

func TestDecode(t *testing.T) {
	cases := []struct {
		name, in string
		want     string // error substring; "" = success
	}{
		{"one array", `[{"t":0.5,"x":[1,2],"v":[3,4]}]`, ""},
		{"white space after", "[{\"t\":0,\"x\":[],\"v\":[]}]\r\n\t ", ""},
		{"empty array", `[]`, ""},
		{"trailing garbage", `[{"t":0,"x":[1],"v":[1]}] garbage`, `unexpected 'g' after the JSON value`},
		{"second array", `[][]`, `unexpected '[' after the JSON value`},
		{"missing t", `[{"x":[1],"v":[1]}]`, `at [0]: missing required key "t"`},
		{"null x", `[{"t":0,"x":null,"v":[1]}]`, `at [0]: missing required key "x"`},
		{"missing v in second", `[{"t":0,"x":[1],"v":[1]},{"t":0,"x":[1]}]`, `at [1]: missing required key "v"`},
		{"unknown key", `[{"t":0,"x":[1],"v":[1],"w":3}]`, `unknown key "w"`},
		{"string for number", `[{"t":"a","x":[1],"v":[1]}]`, `want a number, got a string`},
		{"object for array", `{"t":0}`, `want an array of objects, got an object`},
		{"number out of range", `[{"t":1e400,"x":[1],"v":[1]}]`, `number 1e400 is out of range`},
		{"empty", ``, `no input`},
		{"only space", "  \n", `no input`},
		{"truncated", `[{"t":0,"x":[1`, `ends inside the JSON value`},
		{"bad token", `[{"t":0,,}]`, `invalid character`},
		{"NaN literal", `[{"t":NaN,"x":[1],"v":[1]}]`, `invalid character`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var pts []point
			err := Decode(strings.NewReader(c.in), &pts)
			if c.want == "" {
				if err != nil {
					t.Fatalf("Decode(%q): %v", c.in, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Decode(%q) succeeded, want an error containing %q", c.in, c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("Decode(%q) = %q, want it to contain %q", c.in, err, c.want)
			}
			if strings.Contains(err.Error(), "Go ") || strings.Contains(err.Error(), "strictjson.") || strings.Contains(err.Error(), "float64") {
				t.Errorf("error %q names Go types", err)
			}
		})
	}
}

func TestDecodeValues(t *testing.T) {
	var pts []point
	if err := DecodeBytes([]byte(`[{"t":0.25,"x":[1,-2e-300],"v":[0]}]`), &pts); err != nil {
		t.Fatal(err)
	}
	if len(pts) != 1 || *pts[0].T != 0.25 || pts[0].X[1] != -2e-300 || len(pts[0].V) != 1 {
		t.Errorf("decoded %+v", pts)
	}
}

// FuzzDecode checks that Decode never panics, and that whatever it accepts
// is one complete value with every required field, which re-encodes to
// JSON that decodes to the same points.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`[]`, `[{"t":0,"x":[1],"v":[2]}]`, `[{"t":0}] x`, `{"t":1}`, `[1e999]`, "\ufeff[]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var pts []point
		if err := DecodeBytes(b, &pts); err != nil {
			return
		}
		for i, p := range pts {
			if p.T == nil || p.X == nil || p.V == nil {
				t.Fatalf("accepted %q with point %d missing a required field", b, i)
			}
		}
		if !json.Valid(b) {
			t.Fatalf("accepted invalid JSON %q", b)
		}
		out, err := Marshal(pts)
		if err != nil {
			t.Fatalf("re-encoding %q: %v", b, err)
		}
		var again []point
		if err := DecodeBytes(out, &again); err != nil {
			t.Fatalf("re-decoding %q (from %q): %v", out, b, err)
		}
	})
}
