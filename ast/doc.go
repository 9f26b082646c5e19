// Package ast declares the syntax tree of the .lag language, in which a
// Lagrangian L(x, v, t) is written as text, together with a canonical printer
// and a walker.
//
// The tree is produced by package dsl (which parses and type-checks it) and
// consumed by the compiler, which lowers it into an expression graph. This
// package neither parses nor evaluates: it only says what the nodes are, where
// they came from (every node answers Pos and End), and how to write them back
// as text.
//
// There is no node for parentheses: they only group. Fprint re-inserts the
// minimal parentheses the precedence table requires, so that parsing the
// printed text gives back the same tree. A consequence: a node whose first
// (or last) operand was written in parentheses starts (or ends) inside them,
// so messages about operators point at the operator (Binary.OpPos).
package ast
