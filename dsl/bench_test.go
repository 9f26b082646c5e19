package dsl_test

import (
	"fmt"
	"os"
	"path/filepath"
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
