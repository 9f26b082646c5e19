//go:build unix

package ot

import "syscall"

// processCPU returns the CPU time this process has used, in nanoseconds:
// on a shared machine a steadier measure of work than wall-clock time.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
