package icnn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
)

const codecMagic = "LAGCICNN"

type codecShape struct {
	D      int     `json:"d"`
	Hidden []int   `json:"hidden"`
	Rank   int     `json:"rank"` // -1: no quadratic term
	Alpha  float64 `json:"alpha"`
}

// MarshalBinary encodes the shape and the parameters: magic, shape as
// JSON, parameters as little-endian float64, CRC-32.
func (n *Network) MarshalBinary() ([]byte, error) {
	rank := n.r
	if rank == 0 {
		rank = -1
	}
	shape, err := json.Marshal(codecShape{D: n.d, Hidden: n.hidden, Rank: rank, Alpha: n.alpha})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(codecMagic)
	binary.Write(&b, binary.LittleEndian, uint32(len(shape)))
	b.Write(shape)
	binary.Write(&b, binary.LittleEndian, uint64(len(n.params)))
	for _, p := range n.params {
		binary.Write(&b, binary.LittleEndian, math.Float64bits(p))
	}
	binary.Write(&b, binary.LittleEndian, crc32.ChecksumIEEE(b.Bytes()))
	return b.Bytes(), nil
}

// UnmarshalBinary decodes what MarshalBinary wrote into n, replacing it.
func (n *Network) UnmarshalBinary(data []byte) error {
	if len(data) < len(codecMagic)+4+8+4 || string(data[:len(codecMagic)]) != codecMagic {
		return errors.New("icnn: not an encoded ICNN (bad magic or truncated)")
	}
	body := data[:len(data)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return errors.New("icnn: checksum mismatch: the encoded network is truncated or damaged")
	}
	r := body[len(codecMagic):]
	ls := int(binary.LittleEndian.Uint32(r))
	if ls > len(r)-4-8 {
		return errors.New("icnn: truncated shape")
	}
	var sh codecShape
	if err := json.Unmarshal(r[4:4+ls], &sh); err != nil {
		return fmt.Errorf("icnn: shape: %v", err)
	}
	r = r[4+ls:]
	np := binary.LittleEndian.Uint64(r)
	r = r[8:]
	if uint64(len(r)) != 8*np {
		return fmt.Errorf("icnn: %d parameter bytes for %d parameters", len(r), np)
	}
	m, err := newShape(sh.D, &Settings{Hidden: sh.Hidden, Rank: sh.Rank, Alpha: sh.Alpha})
	if err != nil {
		return err
	}
	if uint64(len(m.params)) != np {
		return fmt.Errorf("icnn: the shape needs %d parameters, the encoding has %d", len(m.params), np)
	}
	for i := range m.params {
		m.params[i] = math.Float64frombits(binary.LittleEndian.Uint64(r[8*i:]))
	}
	m.Refresh()
	*n = *m
	return nil
}
