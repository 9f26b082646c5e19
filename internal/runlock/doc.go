// Package runlock keeps two processes from writing one run directory at
// once.
//
// Acquire creates DIR/lagc.lock with O_EXCL and writes the owner's pid,
// host name and start time into it; Release removes it. A lock left by a
// process that no longer exists (killed with SIGKILL, the machine
// rebooted) is stale: Acquire on the same host detects it by the pid's
// liveness and takes the lock over. A lock held by a live process, or by
// a process on another host (whose liveness cannot be checked), is
// refused with a *HeldError naming the owner.
package runlock
