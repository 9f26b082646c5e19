package fm

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"

	"github.com/lagc-dev/lagc/internal/atomicfile"
	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/lagc-dev/lagc/runtime/lagrangian"
	"github.com/lagc-dev/lagc/runtime/nn"
)

// A checkpoint file is
//
//	magic "LAGCCKPT", version uint32,
//	sections: tag [4]byte, length uint64, payload,
//	CRC-32 (IEEE) of everything before it.
//
// Sections: CONF (the Config as JSON), STEP, NET_ (the network), ADAM, EMA_,
// LOSS (the loss of every iteration). The random state needs no section:
// iteration k draws from the stream (Seed, k), so the step is the state.
const (
	ckptMagic   = "LAGCCKPT"
	ckptVersion = 1
)

// Checkpoint is a decoded checkpoint file.
type Checkpoint struct {
	Cfg  Config
	Step int
	Loss []float64
	// Net is the network of flow-matching and Action Matching runs (an MLP;
	// nil for other models, whose encoding is NetBytes).
	Net      *nn.MLP
	NetBytes []byte
	EMA      *nn.EMA
	adam     []byte
	ema      []byte
}

// Snapshot is what a checkpoint holds of a trainer of any method: Net is its
// model (an *nn.MLP, or another network that Cfg.Method names).
type Snapshot struct {
	Cfg  Config
	Step int
	Loss []float64
	Net  encoding.BinaryMarshaler
	Adam *nn.Adam
	EMA  *nn.EMA
}

// Save writes the trainer's state to path atomically.
func (tr *Trainer) Save(path string) error {
	return WriteCheckpoint(path, Snapshot{Cfg: tr.Cfg, Step: tr.Step, Loss: tr.Loss, Net: tr.Net, Adam: tr.Adam, EMA: tr.EMA})
}

// mlpMethod reports whether a method's model is an nn.MLP.
func mlpMethod(m string) bool { return m == "" || m == "fm" || m == "am" }

// WriteCheckpoint writes a snapshot to path atomically.
func WriteCheckpoint(path string, sn Snapshot) error {
	conf, err := json.Marshal(sn.Cfg)
	if err != nil {
		return err
	}
	net, err := sn.Net.MarshalBinary()
	if err != nil {
		return err
	}
	adam, err := sn.Adam.MarshalBinary()
	if err != nil {
		return err
	}
	ema, err := sn.EMA.MarshalBinary()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(ckptMagic)
	binary.Write(&buf, binary.LittleEndian, uint32(ckptVersion))
	section := func(tag string, payload []byte) {
		buf.WriteString(tag)
		binary.Write(&buf, binary.LittleEndian, uint64(len(payload)))
		buf.Write(payload)
	}
	section("CONF", conf)
	section("STEP", binary.LittleEndian.AppendUint64(nil, uint64(sn.Step)))
	section("NET_", net)
	section("ADAM", adam)
	section("EMA_", ema)
	loss := make([]byte, 0, 8*len(sn.Loss))
	for _, l := range sn.Loss {
		loss = binary.LittleEndian.AppendUint64(loss, math.Float64bits(l))
	}
	section("LOSS", loss)
	binary.Write(&buf, binary.LittleEndian, crc32.ChecksumIEEE(buf.Bytes()))
	return atomicfile.WriteFile(path, buf.Bytes())
}

// ErrCorrupt is wrapped by the errors of a checkpoint that is truncated,
// damaged or not a checkpoint at all.
var ErrCorrupt = errors.New("corrupt checkpoint")

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
	if v := binary.LittleEndian.Uint32(b[len(ckptMagic):]); v != ckptVersion {
		return nil, fmt.Errorf("checkpoint format version %d; this lagc reads version %d", v, ckptVersion)
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
	for _, tag := range []string{"CONF", "STEP", "NET_", "ADAM", "EMA_", "LOSS"} {
		if _, ok := sections[tag]; !ok {
			return nil, corrupt("section %s missing", tag)
		}
	}
	ck := &Checkpoint{adam: sections["ADAM"], ema: sections["EMA_"], NetBytes: sections["NET_"]}
	if err := json.Unmarshal(sections["CONF"], &ck.Cfg); err != nil {
		return nil, corrupt("config: %v", err)
	}
	if len(sections["STEP"]) != 8 || len(sections["LOSS"])%8 != 0 {
		return nil, corrupt("bad step or loss section")
	}
	ck.Step = int(binary.LittleEndian.Uint64(sections["STEP"]))
	for p := sections["LOSS"]; len(p) > 0; p = p[8:] {
		ck.Loss = append(ck.Loss, math.Float64frombits(binary.LittleEndian.Uint64(p)))
	}
	ck.EMA = new(nn.EMA)
	if err := ck.EMA.UnmarshalBinary(ck.ema); err != nil {
		return nil, fmt.Errorf("%w: EMA: %v", ErrCorrupt, err)
	}
	if !mlpMethod(ck.Cfg.Method) {
		return ck, nil // the method's package decodes NetBytes
	}
	ck.Net = new(nn.MLP)
	if err := ck.Net.UnmarshalBinary(sections["NET_"]); err != nil {
		return nil, fmt.Errorf("%w: network: %v", ErrCorrupt, err)
	}
	if len(ck.EMA.Params()) != ck.Net.NumParams() {
		return nil, corrupt("the EMA has %d weights, the network %d", len(ck.EMA.Params()), ck.Net.NumParams())
	}
	return ck, nil
}

// Model returns the MLP to sample with: the EMA of the weights when ema is
// true, the raw weights otherwise. It is nil for methods whose model is not
// an MLP.
func (ck *Checkpoint) Model(ema bool) *nn.MLP {
	if ck.Net == nil {
		return nil
	}
	net := ck.Net.Clone()
	if ema {
		copy(net.Params(), ck.EMA.Params())
	}
	return net
}

// Restore loads the checkpoint's model into net (which must have the same
// architecture), and its optimiser and weight average into adam and ema:
// with the step and losses, the whole state of a trainer of any method.
func (ck *Checkpoint) Restore(net encoding.BinaryUnmarshaler, adam *nn.Adam, ema *nn.EMA) error {
	if err := net.UnmarshalBinary(ck.NetBytes); err != nil {
		return fmt.Errorf("checkpoint does not match the run it configures: %w", err)
	}
	if err := adam.UnmarshalBinary(ck.adam); err != nil {
		return fmt.Errorf("%w: optimizer: %v", ErrCorrupt, err)
	}
	if err := ema.UnmarshalBinary(ck.ema); err != nil {
		return fmt.Errorf("%w: EMA: %v", ErrCorrupt, err)
	}
	return nil
}

// Resume rebuilds a flow-matching trainer from a checkpoint; sys, src and
// tgt must be rebuilt from ck.Cfg as for the original run.
func Resume(ck *Checkpoint, sys lagrangian.System, src, tgt data.Sampler) (*Trainer, error) {
	if !mlpMethod(ck.Cfg.Method) || ck.Cfg.Method == "am" {
		return nil, fmt.Errorf("fm.Resume: the checkpoint is of a --method %s run", ck.Cfg.Method)
	}
	tr, err := NewTrainer(ck.Cfg, sys, src, tgt)
	if err != nil {
		return nil, err
	}
	want, got := tr.Net.Sizes(), ck.Net.Sizes()
	if fmt.Sprint(want) != fmt.Sprint(got) || tr.Net.Activation() != ck.Net.Activation() {
		return nil, fmt.Errorf("checkpoint does not match its config: network %v %v, config gives %v %v", got, ck.Net.Activation(), want, tr.Net.Activation())
	}
	if err := ck.Restore(tr.Net, tr.Adam, tr.EMA); err != nil {
		return nil, err
	}
	tr.Step = ck.Step
	tr.Loss = append([]float64(nil), ck.Loss...)
	return tr, nil
}
