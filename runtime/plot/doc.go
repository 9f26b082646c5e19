// Package plot draws the pictures a flow-matching run is judged by: samples
// over the target data, particle paths coloured by time, and the training
// loss on a log axis. It is a thin layer over gonum.org/v1/plot.
//
// Each function writes one file, PNG or SVG by the extension of its path,
// atomically: the file appears whole or not at all. Point sets are flat
// row-major []float64 slices; for points of more than two dimensions the
// first two coordinates are drawn and the title says so.
package plot
