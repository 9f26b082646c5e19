// Package run is a training run: what it trains on (Spec), which method
// trains it (Method, found by name in a registry), its checkpoints, and the
// training loop with divergence detection. cmd/lagc parses flags into a
// Spec and a method's settings, calls New or Resume and Train, and maps the
// errors to exit codes; sample, eval and plot Open a checkpoint and use the
// method's Transport. A Spec with Snapshots trains on a snapshot series
// instead of a source and a target, with the methods that register
// OnSeries (flow matching, runtime/seriesfm); Push and LeaveOutScore use
// such a run.
//
// A checkpoint file is
//
//	magic "LAGCCKPT", format version uint32 (2),
//	sections: tag [4]byte, length uint64, payload,
//	CRC-32 (IEEE) of everything before it,
//
// with the sections SPEC (the Spec as JSON), HYPR (the method's settings as
// JSON), LOSS (the loss of every iteration done) and STAT (the method's
// model and optimiser, Method.State). The random state needs no section:
// iteration k draws from the stream (Seed, k), so the number of losses is
// the state. Files are written atomically. Format 1 (lagc before the run
// package) is refused with a message saying so.
package run
