package modelio

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc-dev/lagc/runtime/nn"
)

func testNet(t testing.TB, sizes []int, act nn.Activation) *nn.MLP {
	t.Helper()
	net, err := nn.NewMLP(sizes, act, rand.New(rand.NewPCG(7, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func encode(t testing.TB, net *nn.MLP, run json.RawMessage) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, net, run); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRoundTrip checks that decoding an encoded network gives the same
// weights bit for bit, the same forward pass, and the run configuration.
func TestRoundTrip(t *testing.T) {
	for _, act := range []nn.Activation{nn.SiLU, nn.SELU, nn.ReLU, nn.Tanh} {
		net := testNet(t, []int{3, 16, 8, 2}, act)
		run := json.RawMessage(`{"source":"8gaussians","target":"moons"}`)
		m, err := Decode(encode(t, net, run))
		if err != nil {
			t.Fatalf("%v: %v", act, err)
		}
		if m.Net.Activation() != act || !equalInts(m.Net.Sizes(), net.Sizes()) {
			t.Errorf("%v: decoded %v %v", act, m.Net.Activation(), m.Net.Sizes())
		}
		for i, p := range net.Params() {
			if m.Net.Params()[i] != p {
				t.Fatalf("%v: parameter %d: %v, want %v", act, i, m.Net.Params()[i], p)
			}
		}
		if string(m.Arch.Run) != string(run) {
			t.Errorf("run %s, want %s", m.Arch.Run, run)
		}
	}
}

// TestPyTorchLayout checks the transposition against a hand-computed layer:
// the weight member's row j holds the weights into output j.
func TestPyTorchLayout(t *testing.T) {
	net := testNet(t, []int{2, 3}, nn.Identity)
	w, _ := net.Layer(0)
	for i := range w {
		w[i] = float64(i) // W[i][j] = 3i + j
	}
	data := encode(t, net, nil)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "layers.0.weight.npy" {
			continue
		}
		a, err := readArray(f, "", []int{3, 2}, len(data))
		if err != nil {
			t.Fatal(err)
		}
		want := []float64{0, 3, 1, 4, 2, 5}
		for k, v := range a.values {
			if v != want[k] {
				t.Fatalf("weights on disk %v, want %v", a.values, want)
			}
		}
		return
	}
	t.Fatal("no weight member")
}

// rewrite re-encodes data with edit applied to the member map.
func rewrite(t *testing.T, data []byte, edit func(m map[string][]byte), method uint16) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	var order []string
	for _, f := range zr.File {
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		m[f.Name] = b.Bytes()
		order = append(order, f.Name)
	}
	edit(m)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for name := range m {
		found := false
		for _, o := range order {
			found = found || o == name
		}
		if !found {
			order = append(order, name)
		}
	}
	for _, name := range order {
		b, ok := m[name]
		if !ok {
			continue
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		w.Write(b)
	}
	zw.Close()
	return out.Bytes()
}

func archJSON(t *testing.T, edit func(a map[string]any)) []byte {
	a := map[string]any{"format": Format, "version": Version, "sizes": []int{3, 4, 2}, "activation": "silu", "input": "x,t", "output": "velocity"}
	edit(a)
	js, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return npyBytes("|u1", []int{len(js)}, js)
}

// TestStrict lists malformed archives and the error each must give.
func TestStrict(t *testing.T) {
	good := encode(t, testNet(t, []int{3, 4, 2}, nn.SiLU), nil)
	f8 := func(shape []int, vals ...float64) []byte {
		var b []byte
		for _, v := range vals {
			b = append(b, make([]byte, 8)...)
			bits := math.Float64bits(v)
			for k := 0; k < 8; k++ {
				b[len(b)-8+k] = byte(bits >> (8 * k))
			}
		}
		return npyBytes("<f8", shape, b)
	}
	cases := []struct {
		name   string
		data   []byte
		errHas string
	}{
		{"not zip", []byte("hello"), "not a .npz"},
		{"empty", nil, "not a .npz"},
		{"extra member", rewrite(t, good, func(m map[string][]byte) { m["extra.npy"] = f8([]int{1}, 1) }, zip.Store), "members"},
		{"missing member", rewrite(t, good, func(m map[string][]byte) { delete(m, "layers.1.bias.npy") }, zip.Store), "members"},
		{"no architecture", rewrite(t, good, func(m map[string][]byte) { delete(m, "architecture.npy") }, zip.Store), "no architecture"},
		{"compressed", rewrite(t, good, func(map[string][]byte) {}, zip.Deflate), "compressed"},
		{"wrong shape", rewrite(t, good, func(m map[string][]byte) { m["layers.1.bias.npy"] = f8([]int{3}, 1, 2, 3) }, zip.Store), "shape"},
		{"NaN weight", rewrite(t, good, func(m map[string][]byte) { m["layers.1.bias.npy"] = f8([]int{2}, 1, math.NaN()) }, zip.Store), "finite"},
		{"truncated data", rewrite(t, good, func(m map[string][]byte) {
			b := m["layers.0.weight.npy"]
			m["layers.0.weight.npy"] = b[:len(b)-3]
		}, zip.Store), "truncated"},
		{"trailing data", rewrite(t, good, func(m map[string][]byte) { m["layers.1.bias.npy"] = append(m["layers.1.bias.npy"], 0) }, zip.Store), "after the array"},
		{"big-endian", rewrite(t, good, func(m map[string][]byte) {
			m["layers.1.bias.npy"] = npyBytes(">f8", []int{2}, make([]byte, 16))
		}, zip.Store), "header"},
		{"unknown field", rewrite(t, good, func(m map[string][]byte) {
			m["architecture.npy"] = archJSON(t, func(a map[string]any) { a["extra"] = 1 })
		}, zip.Store), "unknown field"},
		{"bad activation", rewrite(t, good, func(m map[string][]byte) {
			m["architecture.npy"] = archJSON(t, func(a map[string]any) { a["activation"] = "gelu" })
		}, zip.Store), "activation"},
		{"not a velocity field", rewrite(t, good, func(m map[string][]byte) {
			m["architecture.npy"] = archJSON(t, func(a map[string]any) { a["sizes"] = []int{3, 4, 3} })
		}, zip.Store), "velocity field"},
		{"huge sizes", rewrite(t, good, func(m map[string][]byte) {
			m["architecture.npy"] = archJSON(t, func(a map[string]any) { a["sizes"] = []int{3, 1 << 20, 1 << 20, 2} })
		}, zip.Store), "weights"},
		{"wrong version", rewrite(t, good, func(m map[string][]byte) {
			m["architecture.npy"] = archJSON(t, func(a map[string]any) { a["version"] = 2 })
		}, zip.Store), "version"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.data)
			if err == nil {
				t.Fatal("decoded without error")
			}
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.errHas) {
				t.Errorf("error %q, want ErrFormat mentioning %q", err, c.errHas)
			}
		})
	}
}

func TestWriteRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "model.npz")
	net := testNet(t, []int{3, 5, 2}, nn.Tanh)
	if err := Write(path, net, nil); err != nil {
		t.Fatal(err)
	}
	m, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if m.Net.NumParams() != net.NumParams() || m.Net.Params()[3] != net.Params()[3] {
		t.Error("read back a different network")
	}
	os.WriteFile(path, []byte("garbage"), 0o644)
	if _, err := Read(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("garbage file: error %v, want one naming the file", err)
	}
}

// FuzzDecode checks that no input panics and that whatever decodes
// re-encodes to an archive that decodes to the same weights.
func FuzzDecode(f *testing.F) {
	good := encode(f, testNet(f, []int{3, 4, 2}, nn.SiLU), json.RawMessage(`{"source":"gaussian"}`))
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			return
		}
		again, err := Decode(encode(t, m.Net, m.Arch.Run))
		if err != nil {
			t.Fatalf("re-encoded archive does not decode: %v", err)
		}
		for i, p := range m.Net.Params() {
			if again.Net.Params()[i] != p {
				t.Fatal("re-encoded weights differ")
			}
		}
	})
}
