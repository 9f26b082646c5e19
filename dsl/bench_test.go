package dsl_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/lagc-dev/lagc/ast"
	"github.com/lagc-dev/lagc/dsl"
)

// longLagrangian is a d=64 quadratic form written out term by term, a
// stand-in for machine-written files.
func longLagrangian() []byte {
	var b strings.Builder
	b.WriteString("dim 64\nparam k = 0.5\nL = 0.5*|v|^2")
	for i := 0; i < 64; i++ {
		fmt.Fprintf(&b, " - k*x[%d]*x[%d]", i, (i+1)%64)
	}
	b.WriteString("\n")
	return []byte(b.String())
}

// bigLagrangian is a machine-written file of about n bytes in one of three
// shapes: one long sum, bindings of about 30 bytes, or of about 10.
func bigLagrangian(n int, shape string) []byte {
	var b strings.Builder
	b.WriteString("dim 64\nparam k = 0.5 in [0, inf]\n")
	switch shape {
	case "sum":
		b.WriteString("L = 0.5*|v|^2")
		for i := 0; b.Len() < n; i++ {
			fmt.Fprintf(&b, " - k*x[%d]*x[%d]", i%64, (i+1)%64)
		}
	case "bindings":
		i := 0
		for ; b.Len() < n*3/4; i++ {
			fmt.Fprintf(&b, "e%d = k*x[%d]*x[%d] # term\r\n", i, i%64, (i+1)%64)
		}
		b.WriteString("L = 0.5*|v|^2 - e0")
		for j := 1; j < i; j++ {
			fmt.Fprintf(&b, " - e%d", j)
		}
	case "short":
		for i := 0; b.Len() < n; i++ {
			fmt.Fprintf(&b, "e%d = k\n", i)
		}
		b.WriteString("L = 0.5*|v|^2*e0")
	}
	b.WriteString("\n")
	return []byte(b.String())
}

// TestLoadMemory bounds the memory Load needs per byte of source, for
// 1.3 MB files of three shapes: what it allocates in all, and what it
// holds when done (the tree and what checking learnt). participle
// allocates about 1.7 KB of short-lived garbage per statement, whatever
// its length, so a file of 10-byte statements allocates more in all than
// 100 bytes per byte, though it holds far less.
func TestLoadMemory(t *testing.T) {
	size := 1300000
	if testing.Short() {
		size = 100000
	}
	for _, tc := range []struct {
		shape       string
		total, held float64 // bounds in bytes per byte of source
	}{
		{"sum", 100, 100},
		{"bindings", 100, 100},
		{"short", 200, 100},
	} {
		src := bigLagrangian(size, tc.shape)
		var before, after, done runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		info, err := dsl.Load("big.lag", src, nil)
		runtime.ReadMemStats(&after)
		runtime.GC()
		runtime.ReadMemStats(&done)
		if err != nil {
			t.Fatal(dsl.Detail(err))
		}
		if info.Dim != 64 || len(info.Params) != 1 {
			t.Fatalf("loaded dim %d with %d params", info.Dim, len(info.Params))
		}
		total := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(src))
		held := (float64(done.HeapAlloc) - float64(before.HeapAlloc)) / float64(len(src))
		runtime.KeepAlive(info)
		t.Logf("%s: %d bytes of source; per byte %.1f bytes allocated, %.1f held", tc.shape, len(src), total, held)
		if total > tc.total || held > tc.held {
			t.Errorf("%s: Load of a %d-byte file allocated %.0f bytes per byte (want at most %v) and holds %.0f (want at most %v)",
				tc.shape, len(src), total, tc.total, held, tc.held)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	bump, err := os.ReadFile(filepath.Join(examplesDir, "bump.lag"))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		src  []byte
	}{
		{"bump", bump},
		{"long", longLagrangian()},
		{"big1.3MB", bigLagrangian(1300000, "sum")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.src)))
			for b.Loop() {
				if _, err := dsl.Load("b.lag", bc.src, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestConcurrentLoad runs the front end from several goroutines (run with
// -race): the shared parsers must not share state between calls.
func TestConcurrentLoad(t *testing.T) {
	src := longLagrangian()
	want := ast.String(mustLoad(t, src).L)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				info, err := dsl.Load("c.lag", src, nil)
				if err != nil || ast.String(info.L) != want {
					errs <- fmt.Sprint("concurrent Load differs: ", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func mustLoad(t *testing.T, src []byte) *dsl.Info {
	t.Helper()
	info, err := dsl.Load("c.lag", src, nil)
	if err != nil {
		t.Fatal(dsl.Detail(err))
	}
	return info
}

func TestCRLF(t *testing.T) {
	info := mustLoad(t, []byte("param w = 1\r\nL = 0.5*|v|^2 -\r\n  w*|x|^2\r\n"))
	if got := ast.String(info.L); got != "0.5*|v|^2 - w*|x|^2" {
		t.Errorf("L = %s", got)
	}
	_, err := dsl.Load("c.lag", []byte("param w = 1\r\nL = 0.5*|v|^2 - ww\r\n"), nil)
	want := "c.lag:2:17: undefined: ww (did you mean `w`?)\n\tL = 0.5*|v|^2 - ww\n\t                ^\n"
	if got := dsl.Detail(err); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
