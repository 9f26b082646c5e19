// Package condflow trains class-conditional flows, torchcfm's conditional
// MNIST example in lagc's terms: a velocity field v_θ(x, t, c) whose
// inputs are the point, the time and the one-hot code of a class label, fitted
// by flow matching on the least-action paths of a closed-form Lagrangian
// from a source distribution to a labelled data set (runtime/labeled).
// Sampling class c integrates v_θ(·, ·, e_c) from source points; Evaluate
// compares each class's samples with the held-out points of that class
// (exact W2), and likelihood.NLL gives per-class NLLs through
// likelihood.NewMLPField with the class's code.
//
// Pairs are coupled as in runtime/fm — independently, by exact minibatch
// optimal transport, or by an entropic plan (runtime/coupling) — and each
// target point keeps its label, as torchcfm's
// guided_sample_location_and_conditional_flow does; the noise around the
// paths follows a runtime/noise schedule. Only Lagrangians with a closed
// form (lagrangian.ClosedForm) are supported here: numeric paths would need
// runtime/fm's pool of solved batches, which this package does not repeat.
package condflow
