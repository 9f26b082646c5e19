package nn

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// TestHelpersExit checks that a dropped Workspace's helper goroutines end,
// so that making many workspaces does not leak goroutines.
func TestHelpersExit(t *testing.T) {
	net, err := NewMLP([]int{2, 8, 1}, Tanh, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	for range 20 {
		ws, err := net.NewWorkspace(8, &WorkspaceSettings{Shards: 4, Workers: 4})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := net.Forward(ws, make([]float64, 16), 8); err != nil {
			t.Fatal(err)
		}
	}
	if during := runtime.NumGoroutine(); during < before+3 {
		t.Fatalf("%d goroutines after starting workspaces, %d before: helpers not started", during, before)
	}
	for range 100 {
		runtime.GC()
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("%d goroutines remain, %d before: helpers leak", runtime.NumGoroutine(), before)
}
