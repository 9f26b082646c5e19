// Package strictjson reads and writes JSON strictly, for the tools' inputs
// and outputs.
//
// Encoding refuses NaN and ±Inf instead of printing tokens no JSON reader
// accepts, and says where the value sits ("eval.w2 is NaN"), so that a
// non-finite result becomes an error naming its cause rather than a file
// that breaks the next program in the pipeline.
//
// Decoding accepts exactly one value with nothing after it but white
// space, rejects unknown object keys, requires the struct fields tagged
// `strictjson:"required"` (missing and null are both refused), and reports
// mistakes in the words of JSON ("at [2].x: want an array of numbers, got
// a string") rather than in Go's types.
package strictjson
