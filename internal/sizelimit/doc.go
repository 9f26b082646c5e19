// Package sizelimit estimates the memory that the sizes a user controls
// (evaluation samples, minibatch, sample count, pool of paths) will claim,
// and refuses a size above its documented limit up front, with the limit
// and an alternative, instead of letting the process die of "out of
// memory" after hours of work.
//
// The limits are fixed, not read from the machine, so that a command that
// works once works everywhere and the help text can state them:
//
//	exact optimal transport (W1, W2, OT coupling): n ≤ 16384 points per side
//	  (the n×n float64 cost matrix, the assignment's float32 working copy and
//	  its half-size warm start: 15·n² bytes, 3.75 GiB at n = 16384)
//	any other single buffer: Budget = 4 GiB
package sizelimit
