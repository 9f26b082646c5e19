// Package progress shows how far a training loop has come: a bar on a
// terminal, a line every few seconds on any other writer (a log file, a
// pipe), nothing when quiet. The loss it shows is a running mean, since
// one minibatch's loss is too noisy to read.
package progress
