package run

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"

	"github.com/lagc-dev/lagc/internal/atomicfile"
	"github.com/lagc-dev/lagc/runtime/fm"
)

const (
	ckptMagic   = "LAGCCKPT"
	ckptVersion = 2
)

// ErrCorrupt is wrapped by the errors of a checkpoint that is truncated,
// damaged or not a checkpoint at all.
var ErrCorrupt = errors.New("corrupt checkpoint")

// ErrOldFormat is wrapped by the error of a checkpoint written by an older
// lagc, whose format this one does not read.
var ErrOldFormat = errors.New("written by an older lagc")

// Checkpoint is a decoded checkpoint file.
type Checkpoint struct {
	Spec     Spec
	Settings fm.Settings
	Losses   []float64
	// State is the method's model and optimiser (Method.State).
	State []byte
}

// Step is the number of iterations done.
func (ck *Checkpoint) Step() int { return len(ck.Losses) }

// Encode returns the bytes of the checkpoint file.
func (ck *Checkpoint) Encode() ([]byte, error) {
	spec, err := json.Marshal(ck.Spec)
	if err != nil {
		return nil, err
	}
	hyper, err := json.Marshal(ck.Settings)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString(ckptMagic)
	binary.Write(&buf, binary.LittleEndian, uint32(ckptVersion))
	section := func(tag string, payload []byte) {
		buf.WriteString(tag)
		binary.Write(&buf, binary.LittleEndian, uint64(len(payload)))
		buf.Write(payload)
	}
	section("SPEC", spec)
	section("HYPR", hyper)
	loss := make([]byte, 0, 8*len(ck.Losses))
	for _, l := range ck.Losses {
		loss = binary.LittleEndian.AppendUint64(loss, math.Float64bits(l))
	}
	section("LOSS", loss)
	section("STAT", ck.State)
	binary.Write(&buf, binary.LittleEndian, crc32.ChecksumIEEE(buf.Bytes()))
	return buf.Bytes(), nil
}

// WriteCheckpoint writes ck to path atomically.
func WriteCheckpoint(path string, ck *Checkpoint) error {
	b, err := ck.Encode()
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, b)
}

// ReadCheckpoint reads and verifies a checkpoint file.
func ReadCheckpoint(path string) (*Checkpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ck, err := DecodeCheckpoint(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ck, nil
}

// DecodeCheckpoint decodes the bytes of a checkpoint file.
func DecodeCheckpoint(b []byte) (*Checkpoint, error) {
	corrupt := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, a...))
	}
	if len(b) < len(ckptMagic) || string(b[:len(ckptMagic)]) != ckptMagic {
		return nil, corrupt("not a lagc checkpoint (bad magic)")
	}
	if len(b) < len(ckptMagic)+4+4 {
		return nil, corrupt("truncated (%d bytes)", len(b))
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, corrupt("checksum mismatch: the file is truncated or damaged")
	}
	switch v := binary.LittleEndian.Uint32(b[len(ckptMagic):]); {
	case v < ckptVersion:
		return nil, fmt.Errorf("checkpoint format %d, %w; this lagc reads format %d: train the run again, or use the lagc that wrote it", v, ErrOldFormat, ckptVersion)
	case v > ckptVersion:
		return nil, fmt.Errorf("checkpoint format %d, written by a newer lagc; this one reads format %d", v, ckptVersion)
	}
	r := bytes.NewReader(body[len(ckptMagic)+4:])
	sections := map[string][]byte{}
	for r.Len() > 0 {
		var tag [4]byte
		var n uint64
		if _, err := io.ReadFull(r, tag[:]); err != nil {
			return nil, corrupt("truncated section header")
		}
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil || n > uint64(r.Len()) {
			return nil, corrupt("section %q truncated", tag)
		}
		p := make([]byte, n)
		io.ReadFull(r, p)
		sections[string(tag[:])] = p
	}
	for _, tag := range []string{"SPEC", "HYPR", "LOSS", "STAT"} {
		if _, ok := sections[tag]; !ok {
			return nil, corrupt("section %s missing", tag)
		}
	}
	ck := &Checkpoint{State: sections["STAT"]}
	if err := json.Unmarshal(sections["SPEC"], &ck.Spec); err != nil {
		return nil, corrupt("spec: %v", err)
	}
	if err := json.Unmarshal(sections["HYPR"], &ck.Settings); err != nil {
		return nil, corrupt("method settings: %v", err)
	}
	if len(sections["LOSS"])%8 != 0 {
		return nil, corrupt("bad loss section")
	}
	for p := sections["LOSS"]; len(p) > 0; p = p[8:] {
		ck.Losses = append(ck.Losses, math.Float64frombits(binary.LittleEndian.Uint64(p)))
	}
	return ck, nil
}
