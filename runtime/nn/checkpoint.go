package nn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
)

// Checkpoint format, shared by MLP, Adam and EMA, little-endian:
//
//	magic "LAGCNN" | version uint16 | kind byte | 3 zero bytes |
//	payload length uint64 | payload | CRC-32C of all preceding bytes
//
// The length and checksum let a reader tell a truncated file from a corrupt
// one and name which, instead of decoding garbage.
const (
	checkpointMagic   = "LAGCNN"
	checkpointVersion = 1
	headerLen         = 6 + 2 + 1 + 3 + 8
	crcLen            = 4
)

// Payload kinds.
const (
	kindMLP  byte = 'M'
	kindAdam byte = 'A'
	kindEMA  byte = 'E'
)

var kindNames = map[byte]string{kindMLP: "an MLP", kindAdam: "an Adam optimiser state", kindEMA: "an EMA"}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func appendHeader(dst []byte, kind byte, payloadLen int) []byte {
	dst = append(dst, checkpointMagic...)
	dst = binary.LittleEndian.AppendUint16(dst, checkpointVersion)
	dst = append(dst, kind, 0, 0, 0)
	return binary.LittleEndian.AppendUint64(dst, uint64(payloadLen))
}

func appendCRC(b []byte) []byte {
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

func appendFloats(dst []byte, xs []float64) []byte {
	for _, x := range xs {
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(x))
	}
	return dst
}

// openFrame checks the frame around a payload of the wanted kind and
// returns the payload.
func openFrame(data []byte, kind byte) ([]byte, error) {
	if len(data) < headerLen {
		if len(data) >= len(checkpointMagic) && string(data[:len(checkpointMagic)]) != checkpointMagic {
			return nil, errors.New("nn: not an nn checkpoint: bad magic bytes")
		}
		return nil, fmt.Errorf("nn: checkpoint truncated: %d bytes, the header alone needs %d", len(data), headerLen)
	}
	if string(data[:len(checkpointMagic)]) != checkpointMagic {
		return nil, errors.New("nn: not an nn checkpoint: bad magic bytes")
	}
	if v := binary.LittleEndian.Uint16(data[6:]); v != checkpointVersion {
		return nil, fmt.Errorf("nn: checkpoint format version %d, this reader knows version %d", v, checkpointVersion)
	}
	size := binary.LittleEndian.Uint64(data[12:])
	if size > uint64(len(data)) || len(data) < headerLen+int(size)+crcLen {
		return nil, fmt.Errorf("nn: checkpoint truncated: %d bytes, header says %d", len(data), uint64(headerLen+crcLen)+size)
	}
	end := headerLen + int(size)
	if got, want := crc32.Checksum(data[:end], castagnoli), binary.LittleEndian.Uint32(data[end:]); got != want {
		return nil, fmt.Errorf("nn: checkpoint checksum mismatch (stored %08x, computed %08x): the file is corrupt", want, got)
	}
	if extra := len(data) - end - crcLen; extra != 0 {
		return nil, fmt.Errorf("nn: %d unexpected bytes after the checkpoint", extra)
	}
	if k := data[8]; k != kind {
		what := kindNames[k]
		if what == "" {
			what = fmt.Sprintf("unknown kind %q", k)
		}
		return nil, fmt.Errorf("nn: checkpoint holds %s, not %s", what, kindNames[kind])
	}
	return data[headerLen:end], nil
}

// payloadReader decodes a payload whose checksum already passed, so a
// short read means a writer bug or a forged checksum; it still must not
// panic.
type payloadReader struct {
	b   []byte
	err error
}

func (r *payloadReader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.err = errors.New("nn: checkpoint payload shorter than its contents claim")
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *payloadReader) byte() byte {
	if s := r.take(1); s != nil {
		return s[0]
	}
	return 0
}

func (r *payloadReader) uint64() uint64 {
	if s := r.take(8); s != nil {
		return binary.LittleEndian.Uint64(s)
	}
	return 0
}

func (r *payloadReader) float64() float64 { return math.Float64frombits(r.uint64()) }

// floats reads a length-prefixed vector.
func (r *payloadReader) floats() []float64 {
	n := r.uint64()
	if n > uint64(len(r.b)/8) {
		r.take(-1)
		return nil
	}
	s := r.take(8 * int(n))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = math.Float64frombits(binary.LittleEndian.Uint64(s[8*i:]))
	}
	return xs
}

func (r *payloadReader) done() error {
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("nn: checkpoint payload has %d bytes left over", len(r.b))
	}
	return r.err
}

// MarshalBinary encodes the architecture (sizes, activation) and the
// parameters.
func (n *MLP) MarshalBinary() ([]byte, error) {
	size := 1 + 8 + 8*len(n.sizes) + 8 + 8*len(n.params)
	b := make([]byte, 0, headerLen+size+crcLen)
	b = appendHeader(b, kindMLP, size)
	b = append(b, byte(n.act))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(n.sizes)))
	for _, s := range n.sizes {
		b = binary.LittleEndian.AppendUint64(b, uint64(s))
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(len(n.params)))
	b = appendFloats(b, n.params)
	return appendCRC(b), nil
}

// UnmarshalBinary decodes what MarshalBinary wrote. Into a zero MLP
// (var n nn.MLP) it adopts the stored architecture; into an existing
// network it requires the same architecture and overwrites the parameters
// in place, so slices from Params stay valid.
func (n *MLP) UnmarshalBinary(data []byte) error {
	payload, err := openFrame(data, kindMLP)
	if err != nil {
		return err
	}
	r := &payloadReader{b: payload}
	act := Activation(r.byte())
	count := r.uint64()
	if count > uint64(len(r.b)/8) {
		return errors.New("nn: checkpoint payload shorter than its contents claim")
	}
	sizes := make([]int, count)
	for i := range sizes {
		s := r.uint64()
		if s > maxParams {
			return fmt.Errorf("nn: checkpoint layer size %d is implausible", s)
		}
		sizes[i] = int(s)
	}
	params := r.floats()
	if err := r.done(); err != nil {
		return err
	}
	shape, err := newMLPShape(sizes, act, params)
	if err != nil {
		return fmt.Errorf("nn: checkpoint architecture invalid: %w", err)
	}
	if n.params != nil {
		if !n.sameShape(sizes, act) {
			return fmt.Errorf("nn: architecture mismatch: checkpoint has sizes %v, %v; network has %s", sizes, act, n.describe())
		}
		copy(n.params, params)
		return nil
	}
	*n = *shape
	return nil
}

// MarshalBinary encodes the settings, step count and moments.
func (a *Adam) MarshalBinary() ([]byte, error) {
	size := 5*8 + 1 + 8 + 2*(8+8*len(a.m))
	b := make([]byte, 0, headerLen+size+crcLen)
	b = appendHeader(b, kindAdam, size)
	s := a.Settings
	b = appendFloats(b, []float64{s.LR, s.Beta1, s.Beta2, s.Eps, s.WeightDecay})
	decoupled := byte(0)
	if s.Decoupled {
		decoupled = 1
	}
	b = append(b, decoupled)
	b = binary.LittleEndian.AppendUint64(b, uint64(a.step))
	for _, x := range [][]float64{a.m, a.v} {
		b = binary.LittleEndian.AppendUint64(b, uint64(len(x)))
		b = appendFloats(b, x)
	}
	return appendCRC(b), nil
}

// UnmarshalBinary restores what MarshalBinary wrote, settings included.
// Into an optimiser made by NewAdam the parameter count must match; a zero
// Adam adopts the stored one.
func (a *Adam) UnmarshalBinary(data []byte) error {
	payload, err := openFrame(data, kindAdam)
	if err != nil {
		return err
	}
	r := &payloadReader{b: payload}
	var s AdamSettings
	s.LR, s.Beta1, s.Beta2, s.Eps, s.WeightDecay = r.float64(), r.float64(), r.float64(), r.float64(), r.float64()
	s.Decoupled = r.byte() != 0
	step := r.uint64()
	m, v := r.floats(), r.floats()
	if err := r.done(); err != nil {
		return err
	}
	if err := s.validate(); err != nil {
		return fmt.Errorf("nn: checkpoint Adam settings invalid: %w", err)
	}
	if len(m) != len(v) || len(m) == 0 || step > math.MaxInt64 {
		return fmt.Errorf("nn: checkpoint Adam state inconsistent: moments of %d and %d values, step %d", len(m), len(v), step)
	}
	if a.m != nil && len(a.m) != len(m) {
		return fmt.Errorf("nn: architecture mismatch: checkpoint optimiser is for %d parameters, this one for %d", len(m), len(a.m))
	}
	if a.m == nil {
		a.m, a.v = m, v
	} else {
		copy(a.m, m)
		copy(a.v, v)
	}
	a.Settings, a.step = s, int64(step)
	return nil
}

// MarshalBinary encodes the decay, step count and averaged parameters.
func (e *EMA) MarshalBinary() ([]byte, error) {
	size := 8 + 8 + 8 + 8*len(e.shadow)
	b := make([]byte, 0, headerLen+size+crcLen)
	b = appendHeader(b, kindEMA, size)
	b = appendFloats(b, []float64{e.decay})
	b = binary.LittleEndian.AppendUint64(b, uint64(e.steps))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(e.shadow)))
	b = appendFloats(b, e.shadow)
	return appendCRC(b), nil
}

// UnmarshalBinary restores what MarshalBinary wrote; as for Adam, an
// existing EMA must be for the same number of parameters.
func (e *EMA) UnmarshalBinary(data []byte) error {
	payload, err := openFrame(data, kindEMA)
	if err != nil {
		return err
	}
	r := &payloadReader{b: payload}
	decay := r.float64()
	steps := r.uint64()
	shadow := r.floats()
	if err := r.done(); err != nil {
		return err
	}
	if !(decay >= 0 && decay < 1) || len(shadow) == 0 || steps > math.MaxInt64 {
		return fmt.Errorf("nn: checkpoint EMA inconsistent: decay %v, %d values, %d steps", decay, len(shadow), steps)
	}
	if e.shadow != nil && len(e.shadow) != len(shadow) {
		return fmt.Errorf("nn: architecture mismatch: checkpoint EMA is for %d parameters, this one for %d", len(shadow), len(e.shadow))
	}
	if e.shadow == nil {
		e.shadow = shadow
	} else {
		copy(e.shadow, shadow)
	}
	e.decay, e.steps = decay, int64(steps)
	return nil
}
