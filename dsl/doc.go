// Package dsl reads the .lag language, in which a Lagrangian L(x, v, t) is
// written as text:
//
//	# Harmonic oscillator.
//	param w = pi/2
//	L = 0.5*|v|^2 - 0.5*w^2*|x|^2
//
// ParseFile turns text into an *ast.File; Check type-checks it (scalars and
// vectors, names, dimensions) and evaluates its parameters; Load does both.
// Errors are ErrorLists of positioned messages, rendered with the source
// line and a caret by Detail. The language is described in docs/language.md.
//
// The package knows nothing about derivatives: the compiler lowers the
// checked tree (Info) into its own expression graph.
package dsl
