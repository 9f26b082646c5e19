// Package dsl reads the .lag language, in which a Lagrangian L(x, v, t) is
// written as text:
//
//	# Harmonic oscillator.
//	param w = pi/2
//	L = 0.5*|v|^2 - 0.5*w^2*|x|^2
//
// ParseFile turns text into an *ast.File; Check type-checks it (scalars and
// vectors, names, dimensions) and evaluates its parameters and their
// bounds; Load does both.
//
// One hand-written scanner, Lexer, splits the text into tokens (it is a
// participle lexer.Definition). participle grammars carry the statements;
// expressions inside them are parsed by a precedence-climbing parser and
// reach participle as single Expr tokens, so that parsing holds one
// statement's shell at a time and memory stays proportional to the text.
// Errors are ErrorLists of positioned messages, rendered with the source
// line and a caret by Detail. The language is described in docs/language.md.
//
// The package knows nothing about derivatives: the compiler lowers the
// checked tree (Info) into its own expression graph.
package dsl
