// Package autodiff is lagc's differentiation engine: an expression graph of
// scalar- and vector-valued nodes, symbolic derivatives over it, a compiled
// evaluator, and dual numbers.
//
// Nodes are hash-consed: building the same expression twice yields the same
// *Node, so shared subexpressions are one node and are evaluated once. The
// constructors simplify as they build (zeros, ones, constant folding, x+x =
// 2*x, (√(a·a))² = a·a, …), which keeps derivatives small and readable.
//
// Vectors have the run-time dimension d of the Lagrangian they belong to;
// scalars broadcast where they meet vectors in +, −, *, / and ^. Because
// vector operations are nodes of their own (dot, sum, elementwise functions),
// derivatives are derived once, symbolically, and cost grows like the
// expression, not like d: the gradient of |x|² is the node 2*x, not d scalar
// partial derivatives.
//
// Two derivative modes are provided:
//
//   - JVP, symbolic forward mode: the directional derivative of any node
//     along given tangents of the inputs (d/dε e(x+ε·δx, v+ε·δv, t+ε·δt)).
//     It gives mass-matrix products M·w, (∂p/∂x)·v, ∂p/∂t and the Jacobians of
//     the acceleration.
//   - Grad, the gradient of a scalar with respect to a vector input, by the
//     transposed (adjoint) rules over the same graph. Forward mode would need
//     d passes, one per seed direction; the adjoint rules need one.
//
// Dual numbers (Dual, and Program evaluation on duals) give numeric forward
// derivatives of compiled programs, an independent check of the symbolic ones.
package autodiff
