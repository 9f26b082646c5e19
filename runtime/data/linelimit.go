package data

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxLineBytes bounds one line of a CSV text. No numeric record is this
// long (a million columns of 16 digits), while an endless source without
// line breaks (/dev/zero, a binary file) would otherwise be buffered
// until the process runs out of memory.
const MaxLineBytes = 16 << 20

// LineLimitReader reads r and fails, naming the source (if name is not empty), when a line grows
// beyond MaxLineBytes or the whole text beyond maxTotal bytes (0: no
// bound on the total).
func LineLimitReader(r io.Reader, name string, maxTotal int64) io.Reader {
	return &lineLimitReader{r: r, name: name, maxTotal: maxTotal}
}

type lineLimitReader struct {
	r           io.Reader
	name        string
	line, total int64
	maxTotal    int64
	err         error
}

func (l *lineLimitReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		l.line++
		if b == '\n' {
			l.line = 0
		}
	}
	l.total += int64(n)
	switch {
	case l.line > MaxLineBytes:
		l.err = fmt.Errorf("%s: a line longer than %d MiB: not CSV text (an endless or binary file?)", l.name, MaxLineBytes>>20)
	case l.maxTotal > 0 && l.total > l.maxTotal:
		l.err = fmt.Errorf("%s: longer than %d MiB; split the file or subsample it", l.name, l.maxTotal>>20)
	}
	if l.err != nil {
		if l.name == "" { // the caller names the source
			l.err = errors.New(strings.TrimPrefix(l.err.Error(), ": "))
		}
		return 0, l.err
	}
	return n, err
}
