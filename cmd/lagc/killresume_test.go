package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestKillResumeIsBitForBit is the fault test of a real process: a
// training run killed with SIGKILL right after a periodic checkpoint,
// resumed with --resume, ends with the same checkpoint, byte for byte, as
// the same run left alone. It builds the lagc binary, so it is skipped
// with -short.
func TestKillResumeIsBitForBit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the lagc binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "lagc")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const iters = "3000"
	args := func(out string) []string {
		return []string{"train", "--iters", iters, "--ckpt-every", "100", "--batch", "32", "--hidden", "16,16",
			"--eval-n", "0", "--no-plot", "--quiet", "--threads", "1", "-o", out}
	}
	straight, killed := filepath.Join(dir, "straight"), filepath.Join(dir, "killed")
	if out, err := exec.Command(bin, args(straight)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, args(killed)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	ckpt := filepath.Join(killed, "model.ckpt")
	deadline := time.After(2 * time.Minute)
poll:
	for {
		select {
		case err := <-done:
			t.Fatalf("the run ended (%v) before a checkpoint was seen; it must run longer for this test\n%s", err, stderr.String())
		case <-deadline:
			cmd.Process.Kill()
			<-done
			t.Fatal("no checkpoint within 2 minutes")
		case <-time.After(2 * time.Millisecond):
			if _, err := os.Stat(ckpt); err == nil {
				break poll
			}
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-done
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the run was not killed mid-way: %v\n%s", err, stderr.String())
	}
	mid, _ := os.ReadFile(ckpt)
	final, _ := os.ReadFile(filepath.Join(straight, "model.ckpt"))
	if bytes.Equal(mid, final) {
		t.Fatal("the killed run's checkpoint already equals the final one; it was not killed mid-run")
	}
	if _, err := os.Stat(filepath.Join(killed, "lagc.lock")); err != nil {
		t.Errorf("the killed run left no lock file (%v); the test means to exercise a stale lock", err)
	}

	if out, err := exec.Command(bin, append(args(killed), "--resume")...).CombinedOutput(); err != nil {
		t.Fatalf("resume after kill -9: %v\n%s", err, out)
	}
	resumed, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resumed, final) {
		t.Errorf("the resumed run's checkpoint (%d bytes) differs from the uninterrupted run's (%d bytes)", len(resumed), len(final))
	}
	if _, err := os.Stat(filepath.Join(killed, "lagc.lock")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the resumed run left its lock behind: %v", err)
	}
}
