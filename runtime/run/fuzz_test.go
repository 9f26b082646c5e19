package run

import (
	"bytes"
	"os"
	"testing"
)

// FuzzDecodeCheckpoint: any bytes decode to an error or to a checkpoint
// that encodes and decodes to itself; nothing panics. The seeds are in
// testdata/fuzz/FuzzDecodeCheckpoint and testdata/format1.ckpt.
func FuzzDecodeCheckpoint(f *testing.F) {
	if old, err := os.ReadFile("testdata/format1.ckpt"); err == nil {
		f.Add(old)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ck, err := DecodeCheckpoint(b)
		if err != nil {
			return
		}
		again, err := ck.Encode()
		if err != nil {
			t.Fatal(err)
		}
		ck2, err := DecodeCheckpoint(again)
		if err != nil {
			t.Fatalf("re-encoded checkpoint does not decode: %v", err)
		}
		if !bytes.Equal(ck2.State, ck.State) || len(ck2.Losses) != len(ck.Losses) || ck2.Spec.Method != ck.Spec.Method {
			t.Fatal("checkpoint changed through encode and decode")
		}
	})
}
