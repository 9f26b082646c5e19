package dsl

import (
	"math"
	"slices"
)

// The functions of the language. The elementwise ones act on a scalar, or
// on each component of a vector.
var elementwise = map[string]func(float64) float64{
	"sin":  math.Sin,
	"cos":  math.Cos,
	"tan":  math.Tan,
	"exp":  math.Exp,
	"log":  math.Log,
	"sqrt": math.Sqrt,
	"tanh": math.Tanh,
	"sinh": math.Sinh,
	"cosh": math.Cosh,
}

// arity gives the number of arguments of every function.
var arity = map[string]int{
	"sin": 1, "cos": 1, "tan": 1, "exp": 1, "log": 1, "sqrt": 1, "tanh": 1, "sinh": 1, "cosh": 1,
	"dot": 2, // two vectors → scalar (inner product)
	"sum": 1, // vector → scalar (sum of components)
}

// FuncNames returns the names of the built-in functions, sorted: the
// elementwise sin cos tan exp log sqrt tanh sinh cosh, and dot (two vectors
// to their inner product) and sum (a vector to the sum of its components).
func FuncNames() []string {
	names := make([]string, 0, len(arity))
	for n := range arity {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// IsElementwise reports whether name is a function of one scalar applied
// componentwise to vectors.
func IsElementwise(name string) bool {
	_, ok := elementwise[name]
	return ok
}
