package runlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Name is the lock file's name inside the run directory.
const Name = "lagc.lock"

// Owner is what a lock file records of the process holding it.
type Owner struct {
	PID   int
	Host  string
	Start time.Time
}

// Lock is a held lock on a run directory.
type Lock struct {
	path  string
	owner Owner
}

// HeldError reports a run directory locked by another live process.
type HeldError struct {
	Dir   string
	Owner Owner
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("the run directory %s is in use by process %d on %s (since %s); wait for it to finish or choose another directory",
		e.Dir, e.Owner.PID, e.Owner.Host, e.Owner.Start.Format(time.RFC3339))
}

// Acquire locks dir, which must exist. It returns a *HeldError when a live
// process holds the lock, and removes a stale lock first.
func Acquire(dir string) (*Lock, error) {
	host, _ := os.Hostname()
	me := Owner{PID: os.Getpid(), Host: host, Start: time.Now().UTC().Truncate(time.Second)}
	path := filepath.Join(dir, Name)
	// Two rounds: the second after removing a stale lock. Another process
	// may win the race for the fresh file, and then it holds the lock.
	for range 2 {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := f.WriteString(format(me))
			cerr := f.Close()
			if werr != nil || cerr != nil {
				os.Remove(path)
				return nil, fmt.Errorf("lock %s: %w", dir, errors.Join(werr, cerr))
			}
			return &Lock{path: path, owner: me}, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("lock %s: %w", dir, err)
		}
		owner, rerr := Read(dir)
		if rerr != nil {
			// A lock being written this very moment reads as empty; a
			// garbled one is not ours to delete.
			return nil, fmt.Errorf("the run directory %s is locked (%s: %v); remove the file if no lagc process uses the directory", dir, path, rerr)
		}
		if !stale(owner, host) {
			return nil, &HeldError{Dir: dir, Owner: owner}
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("removing the stale lock %s: %w", path, err)
		}
	}
	owner, _ := Read(dir)
	return nil, &HeldError{Dir: dir, Owner: owner}
}

// Release removes the lock file if it is still this lock's. Releasing
// twice, or a nil lock, is harmless.
func (l *Lock) Release() error {
	if l == nil || l.path == "" {
		return nil
	}
	path := l.path
	l.path = ""
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	if o, err := parse(string(b)); err != nil || o != l.owner {
		return nil // someone else's lock now: leave it
	}
	return os.Remove(path)
}

// Read returns the owner recorded in dir's lock file.
func Read(dir string) (Owner, error) {
	b, err := os.ReadFile(filepath.Join(dir, Name))
	if err != nil {
		return Owner{}, err
	}
	return parse(string(b))
}

func format(o Owner) string {
	return fmt.Sprintf("pid %d\nhost %s\nstart %s\n", o.PID, o.Host, o.Start.Format(time.RFC3339Nano))
}

func parse(s string) (Owner, error) {
	var o Owner
	seen := 0
	for _, line := range strings.Split(s, "\n") {
		key, val, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		switch key {
		case "pid":
			pid, err := strconv.Atoi(val)
			if err != nil || pid <= 0 {
				return Owner{}, fmt.Errorf("bad pid %q", val)
			}
			o.PID = pid
			seen |= 1
		case "host":
			o.Host = val
			seen |= 2
		case "start":
			t, err := time.Parse(time.RFC3339, val)
			if err != nil {
				return Owner{}, fmt.Errorf("bad start time %q", val)
			}
			o.Start = t
			seen |= 4
		}
	}
	if seen != 7 {
		return Owner{}, errors.New("incomplete lock file")
	}
	return o, nil
}

// stale reports whether o's process is known to be gone: it ran on this
// host and signal 0 finds no such process.
func stale(o Owner, host string) bool {
	if o.Host != host {
		return false
	}
	if o.PID == os.Getpid() {
		return false // this process holds it (a second Acquire in-process)
	}
	err := syscall.Kill(o.PID, 0)
	return errors.Is(err, syscall.ESRCH)
}
