package progress

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestLines(t *testing.T) {
	var b bytes.Buffer
	m := New(&b, "train", 0, 3)
	m.Update(1, 2)
	m.Update(2, 4)
	m.Update(3, 4)
	m.Finish()
	// Within Interval only the last step prints; the loss is the running
	// mean 0.98·prev + 0.02·new, starting at the first loss.
	mean := 0.98*(0.98*(0.98*2+0.02*2)+0.02*4) + 0.02*4
	want := fmt.Sprintf("iter 3/3  loss %.4f  ", mean)
	if got := b.String(); strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, want) || !strings.HasSuffix(got, " it/s\n") {
		t.Errorf("output %q: want one line starting %q", got, want)
	}
}

func TestQuiet(t *testing.T) {
	m := New(nil, "train", 0, 2)
	m.Update(1, 1)
	m.Update(2, 1)
	m.Finish() // nothing to write to: no output, no panic
}
