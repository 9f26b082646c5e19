// Package labeled holds points with class labels, for class-conditional
// flows v_θ(x, t, c) as in torchcfm's conditional MNIST example: a data
// table split into feature columns and one label column, the classes
// found in it, their one-hot codes (the network's conditioning inputs),
// per-class subsets, and draws that keep each point with its label.
//
// Labels are read as numbers and must be integers (a float column holding
// 0, 1, …, 9 is fine); the classes are the distinct labels in increasing
// order, and class index k has the one-hot code e_k. At most MaxClasses
// classes are accepted, so that a mistaken continuous column is refused
// instead of becoming thousands of one-hot inputs.
package labeled
