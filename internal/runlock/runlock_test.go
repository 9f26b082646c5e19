package runlock

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestAcquireRelease(t *testing.T) {
	dir := t.TempDir()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	o, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	if o.PID != os.Getpid() || o.Host != host || time.Since(o.Start) > time.Minute {
		t.Errorf("lock records %+v, want this process on %s now", o, host)
	}
	_, err = Acquire(dir)
	var held *HeldError
	if !errors.As(err, &held) || held.Owner.PID != os.Getpid() {
		t.Fatalf("second Acquire = %v, want a HeldError naming this process", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprint(os.Getpid())) {
		t.Errorf("message %q does not name the pid", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, Name)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file still there after Release: %v", err)
	}
	if err := l.Release(); err != nil {
		t.Errorf("second Release: %v", err)
	}
	l2, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	l2.Release()
}

func TestLockFiles(t *testing.T) {
	host, _ := os.Hostname()
	cases := []struct {
		name    string
		content string
		wantErr string // "" = Acquire takes the lock over
	}{
		{"dead pid on this host", format(Owner{PID: deadPID(t), Host: host, Start: time.Unix(0, 0).UTC()}), ""},
		{"live pid on this host", format(Owner{PID: 1, Host: host, Start: time.Unix(0, 0).UTC()}), "in use by process 1"},
		{"other host", format(Owner{PID: deadPID(t), Host: host + "-elsewhere", Start: time.Unix(0, 0).UTC()}), "-elsewhere"},
		{"garbled", "hello", "remove the file"},
		{"empty", "", "remove the file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, Name), []byte(c.content), 0o644); err != nil {
				t.Fatal(err)
			}
			l, err := Acquire(dir)
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("Acquire over a stale lock: %v", err)
				}
				if o, _ := Read(dir); o.PID != os.Getpid() {
					t.Errorf("lock now records pid %d, want %d", o.PID, os.Getpid())
				}
				l.Release()
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("Acquire = %v, want an error containing %q", err, c.wantErr)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, Name)); string(b) != c.content {
				t.Errorf("a lock Acquire refused was changed to %q", b)
			}
		})
	}
}

func TestAcquireMissingDir(t *testing.T) {
	if _, err := Acquire(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Error("Acquire in a missing directory succeeded")
	}
}

// deadPID returns the pid of a process that has exited and been reaped.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// TestHelperHoldLock is not a test: run as a subprocess by
// TestKilledHolderIsStale, it takes the lock, says so, and waits to be killed.
func TestHelperHoldLock(t *testing.T) {
	dir := os.Getenv("RUNLOCK_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	if _, err := Acquire(dir); err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	fmt.Println("locked")
	time.Sleep(time.Minute)
	os.Exit(4)
}

func TestKilledHolderIsStale(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldLock$")
	cmd.Env = append(os.Environ(), "RUNLOCK_HELPER_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper said %q", line)
	}
	_, err = Acquire(dir)
	var held *HeldError
	if !errors.As(err, &held) || held.Owner.PID != cmd.Process.Pid {
		t.Fatalf("Acquire while the helper lives = %v, want a HeldError naming pid %d", err, cmd.Process.Pid)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait() // reap it, so that its pid no longer exists
	if _, err := os.Stat(filepath.Join(dir, Name)); err != nil {
		t.Fatalf("the killed helper's lock file is gone (%v); the test needs it stale", err)
	}
	l, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire after the holder was killed: %v", err)
	}
	if o, _ := Read(dir); o.PID != os.Getpid() {
		t.Errorf("lock records pid %d, want %d", o.PID, os.Getpid())
	}
	l.Release()
}

// FuzzParse: any lock file content parses or is refused without a panic,
// and what parses formats back to content that parses to the same owner.
func FuzzParse(f *testing.F) {
	f.Add("pid 12\nhost box\nstart 2026-11-29T10:00:00Z\n")
	f.Add("pid -1\nhost \nstart x\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		o, err := parse(s)
		if err != nil {
			return
		}
		if o.PID <= 0 {
			t.Fatalf("parsed pid %d from %q", o.PID, s)
		}
		if strings.ContainsAny(o.Host, "\n") {
			return // cannot come from format
		}
		o2, err := parse(format(o))
		if err != nil || o2.PID != o.PID || o2.Host != o.Host || !o2.Start.Equal(o.Start) {
			t.Fatalf("round trip of %+v: %+v, %v", o, o2, err)
		}
	})
}
