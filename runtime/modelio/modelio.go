package modelio

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/lagc-dev/lagc/internal/atomicfile"
	"github.com/lagc-dev/lagc/runtime/nn"
)

// Format and Version identify the archive format in the Architecture.
const (
	Format  = "lagc-mlp"
	Version = 1
)

// MaxParams bounds the number of weights an archive may declare.
const MaxParams = 1 << 26

// Architecture describes the network of an archive.
type Architecture struct {
	Format     string `json:"format"`
	Version    int    `json:"version"`
	Sizes      []int  `json:"sizes"`
	Activation string `json:"activation"`
	// Input is the order of the network's inputs: "x,t".
	Input string `json:"input"`
	// Output is what the network computes: "velocity".
	Output string `json:"output"`
	// Run is the run that trained the model as a run.Spec in JSON (its
	// source and target data and Lagrangian; see Model.Spec), or absent.
	Run json.RawMessage `json:"run,omitempty"`
	// Training records how the model was trained (hyperparameters, the
	// trainer): a JSON object kept for the reader, not interpreted.
	Training json.RawMessage `json:"training,omitempty"`
}

// Model is a decoded archive.
type Model struct {
	Arch Architecture
	Net  *nn.MLP
}

// Encode writes net as an archive to w; run, if not nil, is stored as the
// architecture's run configuration and must be a JSON object.
func Encode(w io.Writer, net *nn.MLP, run json.RawMessage) error {
	if net == nil {
		return errors.New("modelio: nil network")
	}
	if run != nil && !json.Valid(run) {
		return errors.New("modelio: the run configuration is not valid JSON")
	}
	arch := Architecture{Format: Format, Version: Version, Sizes: net.Sizes(), Activation: net.Activation().String(),
		Input: "x,t", Output: "velocity", Run: run}
	js, err := json.Marshal(arch)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	put := func(name string, b []byte) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			return err
		}
		_, err = fw.Write(b)
		return err
	}
	if err := put("architecture.npy", npyBytes("|u1", []int{len(js)}, js)); err != nil {
		return err
	}
	sizes := net.Sizes()
	for l := 0; l+1 < len(sizes); l++ {
		in, out := sizes[l], sizes[l+1]
		wts, bias := net.Layer(l)
		// runtime/nn stores W[i][j] (input i → output j); PyTorch W[j][i].
		buf := make([]byte, 0, 8*in*out)
		for j := 0; j < out; j++ {
			for i := 0; i < in; i++ {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(wts[i*out+j]))
			}
		}
		if err := put(fmt.Sprintf("layers.%d.weight.npy", l), npyBytes("<f8", []int{out, in}, buf)); err != nil {
			return err
		}
		buf = buf[:0]
		for _, b := range bias {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(b))
		}
		if err := put(fmt.Sprintf("layers.%d.bias.npy", l), npyBytes("<f8", []int{out}, buf)); err != nil {
			return err
		}
	}
	return zw.Close()
}

// Write writes net as an archive to path atomically.
func Write(path string, net *nn.MLP, run json.RawMessage) error {
	var b bytes.Buffer
	if err := Encode(&b, net, run); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, b.Bytes())
}

// Read reads an archive from path.
func Read(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// ErrFormat wraps every error about the content of an archive.
var ErrFormat = errors.New("not a lagc model archive")

func formatErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// Decode reads an archive from its bytes.
func Decode(data []byte) (*Model, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, formatErr("not a .npz (zip) archive: %v", err)
	}
	members := map[string]*zip.File{}
	for _, f := range zr.File {
		if _, dup := members[f.Name]; dup {
			return nil, formatErr("member %q appears twice", f.Name)
		}
		if f.Method != zip.Store {
			return nil, formatErr("member %q is compressed; store members uncompressed (numpy.savez, not savez_compressed)", f.Name)
		}
		members[f.Name] = f
	}
	af, ok := members["architecture.npy"]
	if !ok {
		return nil, formatErr("no architecture.npy member")
	}
	js, err := readArray(af, "|u1", nil, len(data))
	if err != nil {
		return nil, err
	}
	arch, act, err := parseArchitecture(js.raw)
	if err != nil {
		return nil, err
	}
	want := 1 + 2*(len(arch.Sizes)-1)
	if len(members) != want {
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		return nil, formatErr("%d members (%s), want %d for %d layers", len(members), strings.Join(names, ", "), want, len(arch.Sizes)-1)
	}
	// Stored members hold at least 4 bytes per weight: a size the data
	// cannot back is refused before anything is allocated.
	if n := numParams(arch.Sizes); n > len(data)/4 {
		return nil, formatErr("the architecture declares %d weights but the archive has only %d bytes", n, len(data))
	}
	net, err := nn.NewMLP(arch.Sizes, act, rand.New(rand.NewPCG(0, 0)))
	if err != nil {
		return nil, formatErr("%v", err)
	}
	for l := 0; l+1 < len(arch.Sizes); l++ {
		in, out := arch.Sizes[l], arch.Sizes[l+1]
		wts, bias := net.Layer(l)
		for _, part := range []struct {
			name  string
			shape []int
			dst   []float64
			trans bool
		}{
			{fmt.Sprintf("layers.%d.weight.npy", l), []int{out, in}, wts, true},
			{fmt.Sprintf("layers.%d.bias.npy", l), []int{out}, bias, false},
		} {
			f, ok := members[part.name]
			if !ok {
				return nil, formatErr("no member %s", part.name)
			}
			a, err := readArray(f, "", part.shape, len(data))
			if err != nil {
				return nil, err
			}
			for k, v := range a.values {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, formatErr("%s: element %d is %v; weights must be finite", part.name, k, v)
				}
				if part.trans {
					j, i := k/in, k%in
					part.dst[i*out+j] = v
				} else {
					part.dst[k] = v
				}
			}
		}
	}
	return &Model{Arch: arch, Net: net}, nil
}

func parseArchitecture(js []byte) (Architecture, nn.Activation, error) {
	var arch Architecture
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&arch); err != nil {
		return arch, 0, formatErr("architecture: %v", err)
	}
	if dec.More() {
		return arch, 0, formatErr("architecture: data after the JSON object")
	}
	if arch.Format != Format || arch.Version != Version {
		return arch, 0, formatErr("architecture: format %q version %d, want %q version %d", arch.Format, arch.Version, Format, Version)
	}
	if arch.Input != "x,t" || arch.Output != "velocity" {
		return arch, 0, formatErr("architecture: input %q and output %q, want \"x,t\" and \"velocity\"", arch.Input, arch.Output)
	}
	if len(arch.Sizes) < 2 || len(arch.Sizes) > 64 {
		return arch, 0, formatErr("architecture: %d layer sizes, want 2 to 64", len(arch.Sizes))
	}
	total := 0
	for l, s := range arch.Sizes {
		if s < 1 || s > MaxParams {
			return arch, 0, formatErr("architecture: layer size %d", s)
		}
		if l > 0 {
			prev := arch.Sizes[l-1]
			if prev*s > MaxParams-total-s {
				return arch, 0, formatErr("architecture: more than %d weights", MaxParams)
			}
			total += prev*s + s
		}
	}
	if in, out := arch.Sizes[0], arch.Sizes[len(arch.Sizes)-1]; in != out+1 {
		return arch, 0, formatErr("architecture: %d inputs and %d outputs; a velocity field of x and t has d+1 and d", in, out)
	}
	act, err := nn.ParseActivation(arch.Activation)
	if err != nil || act == nn.Identity && len(arch.Sizes) > 2 {
		return arch, 0, formatErr("architecture: activation %q; want selu, silu, relu or tanh", arch.Activation)
	}
	for _, f := range []struct {
		name string
		js   json.RawMessage
	}{{"run", arch.Run}, {"training", arch.Training}} {
		if f.js != nil && !bytes.HasPrefix(bytes.TrimSpace(f.js), []byte("{")) && string(bytes.TrimSpace(f.js)) != "null" {
			return arch, 0, formatErr("architecture: %s must be a JSON object", f.name)
		}
	}
	return arch, act, nil
}

// array is one decoded .npy member: raw bytes for uint8, values otherwise.
type array struct {
	raw    []byte
	values []float64
}

const maxHeader = 4096

var npyHeader = regexp.MustCompile(`^\{'descr': '([<|][a-z]\d)', 'fortran_order': (True|False), 'shape': \(([0-9, ]*)\),? *\} *\n$`)

// readArray reads a .npy member of dtype descr ("" for <f8 or <f4) and, if
// shape is not nil, that shape, from an archive of limit bytes.
func readArray(f *zip.File, descr string, shape []int, limit int) (*array, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, formatErr("%s: %v", f.Name, err)
	}
	defer rc.Close()
	r := io.LimitReader(rc, maxHeader+16+8*MaxParams+1)
	pre := make([]byte, 10)
	if _, err := io.ReadFull(r, pre); err != nil {
		return nil, formatErr("%s: truncated .npy header", f.Name)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return nil, formatErr("%s: not a .npy array (bad magic)", f.Name)
	}
	var hlen int
	switch pre[6] {
	case 1:
		hlen = int(binary.LittleEndian.Uint16(pre[8:10]))
	case 2, 3:
		var more [2]byte
		if _, err := io.ReadFull(r, more[:]); err != nil {
			return nil, formatErr("%s: truncated .npy header", f.Name)
		}
		n := binary.LittleEndian.Uint32(append(pre[8:10:10], more[:]...))
		if n > maxHeader {
			return nil, formatErr("%s: .npy header of %d bytes", f.Name, n)
		}
		hlen = int(n)
	default:
		return nil, formatErr("%s: .npy version %d", f.Name, pre[6])
	}
	if hlen > maxHeader {
		return nil, formatErr("%s: .npy header of %d bytes", f.Name, hlen)
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, formatErr("%s: truncated .npy header", f.Name)
	}
	m := npyHeader.FindSubmatch(hdr)
	if m == nil {
		return nil, formatErr("%s: unsupported .npy header %q", f.Name, strings.TrimSpace(string(hdr)))
	}
	dt, fortran := string(m[1]), string(m[2]) == "True"
	var dims []int
	for _, s := range strings.Split(string(m[3]), ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 || v > MaxParams {
			return nil, formatErr("%s: shape %q", f.Name, m[3])
		}
		dims = append(dims, v)
	}
	if shape != nil && !equalInts(dims, shape) {
		return nil, formatErr("%s: shape %v, the architecture needs %v", f.Name, dims, shape)
	}
	count := 1
	for _, v := range dims {
		if v != 0 && count > MaxParams/v {
			return nil, formatErr("%s: shape %v is too large", f.Name, dims)
		}
		count *= v
	}
	size := 8
	if dt == "<f4" || dt == "|u1" {
		size = 4
		if dt == "|u1" {
			size = 1
		}
	}
	// The sizes in a zip directory can lie; the archive's own length cannot.
	if uint64(count*size) > f.UncompressedSize64 || count*size > limit {
		return nil, formatErr("%s: truncated: shape %v of %s needs %d bytes, the member has %d", f.Name, dims, dt, count*size, f.UncompressedSize64)
	}
	if fortran && len(dims) > 1 {
		return nil, formatErr("%s: Fortran order; save the array in C order", f.Name)
	}
	switch {
	case descr == "|u1":
		if dt != "|u1" || len(dims) != 1 {
			return nil, formatErr("%s: dtype %s shape %v, want a 1-D uint8 array", f.Name, dt, dims)
		}
		raw := make([]byte, count)
		if _, err := io.ReadFull(r, raw); err != nil {
			return nil, formatErr("%s: truncated: %d bytes of data expected", f.Name, count)
		}
		return &array{raw: raw}, trailing(r, f.Name)
	case dt == "<f8" || dt == "<f4":
		buf := make([]byte, count*size)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, formatErr("%s: truncated: %d bytes of data expected", f.Name, count*size)
		}
		vals := make([]float64, count)
		for i := range vals {
			if size == 8 {
				vals[i] = math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:]))
			} else {
				vals[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:])))
			}
		}
		return &array{values: vals}, trailing(r, f.Name)
	}
	return nil, formatErr("%s: dtype %s; want little-endian float64 or float32", f.Name, dt)
}

func trailing(r io.Reader, name string) error {
	var one [1]byte
	if n, _ := r.Read(one[:]); n > 0 {
		return formatErr("%s: data after the array", name)
	}
	return nil
}

func numParams(sizes []int) int {
	n := 0
	for l := 0; l+1 < len(sizes); l++ {
		n += sizes[l]*sizes[l+1] + sizes[l+1]
	}
	return n
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// npyBytes returns a version 1.0 .npy file of the given dtype and shape.
func npyBytes(descr string, shape []int, data []byte) []byte {
	var dims []string
	for _, s := range shape {
		dims = append(dims, strconv.Itoa(s))
	}
	sh := strings.Join(dims, ", ")
	if len(shape) == 1 {
		sh += ","
	}
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, sh)
	// Pad so that the data starts at a multiple of 64 bytes, with "\n" last.
	total := 10 + len(h) + 1
	pad := (64 - total%64) % 64
	h += strings.Repeat(" ", pad) + "\n"
	out := make([]byte, 0, 10+len(h)+len(data))
	out = append(out, "\x93NUMPY\x01\x00"...)
	out = binary.LittleEndian.AppendUint16(out, uint16(len(h)))
	out = append(out, h...)
	return append(out, data...)
}
