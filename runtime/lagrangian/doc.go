// Package lagrangian defines System, the one interface through which the
// runtime sees a compiled Lagrangian L(x, v, t).
//
// Both the interpreter (package eulerlag) and Go code written by lagc gen
// implement it, so generated code plugs into path solving and training
// unchanged. A System is instantiated at one dimension d; the same .lag file
// may give Systems of many dimensions.
//
// Implementations keep work buffers and are not safe for concurrent use:
// callers that fan out across goroutines give each goroutine its own Clone.
package lagrangian
