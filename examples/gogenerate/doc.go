// Package gogenerate shows lagc in a go generate pipeline: the .lag files
// named below are compiled into Go types (harmonic_lag.go, bump_lag.go,
// magnetic_lag.go) that implement lagrangian.System and
// lagrangian.ClosedForm, checked in like any other source, and regenerated
// with
//
//	go generate ./examples/gogenerate
//
// A test fails when a generated file is stale (its .lag file or lagc
// changed without regenerating). See README.md.
package gogenerate

//go:generate go run github.com/lagc-dev/lagc/cmd/lagc gen ../lagrangians/harmonic.lag -o harmonic_lag.go
//go:generate go run github.com/lagc-dev/lagc/cmd/lagc gen bump.lag -o bump_lag.go
//go:generate go run github.com/lagc-dev/lagc/cmd/lagc gen ../lagrangians/magnetic.lag -o magnetic_lag.go
