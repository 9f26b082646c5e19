package main

import (
	"fmt"
	"strings"

	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/internal/sizelimit"
	"github.com/lagc-dev/lagc/internal/strictjson"
)

func init() {
	register(&command{name: "check", summary: "parse and type-check .lag files", run: runCheck})
	register(&command{name: "derive", summary: "print the Euler–Lagrange equations of a .lag file", run: runDerive})
	register(&command{name: "accel", summary: "evaluate accelerations for JSON points on stdin", run: runAccel})
}

func runCheck(e *env, args []string) error {
	fs := newFlags(e, "check", "FILE...", "Parses and checks each file, printing every error as file:line:col with the\nsource line. Silent, with exit status 0, when all files are fine.")
	params := paramFlag(fs)
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("no files to check")
	}
	var failed []string
	for _, f := range files {
		if _, err := loadSystem(e, f, params); err != nil {
			fmt.Fprintln(e.stderr, strings.TrimRight(detail(err), "\n"))
			failed = append(failed, f)
		}
	}
	if len(failed) > 0 {
		return quietError{fmt.Sprintf("%d of %d files have errors", len(failed), len(files))}
	}
	return nil
}

// quietError is a failure whose details were already printed.
type quietError struct{ msg string }

func (q quietError) Error() string { return q.msg }

func runDerive(e *env, args []string) error {
	fs := newFlags(e, "derive", "FILE [-p NAME=VALUE] [--latex]",
		"Prints the Euler–Lagrange equations of the Lagrangian in FILE: the momentum\np = ∂L/∂v, the force f = ∂L/∂x, the mass matrix M = ∂²L/∂v² and the\nacceleration a. Shared subexpressions are printed once as s1, s2, ….")
	params := paramFlag(fs)
	latex := fs.Bool("latex", false, "print LaTeX (an align* environment) instead of text")
	arg, err := parseOne(fs, args, "FILE")
	if err != nil {
		return err
	}
	sys, err := loadSystem(e, arg, params)
	if err != nil {
		return err
	}
	return sys.WriteDerivation(e.stdout, arg, *latex)
}

func runAccel(e *env, args []string) error {
	fs := newFlags(e, "accel", "FILE [-p NAME=VALUE] [-d D] < points.json",
		`Reads a JSON array of points [{"t":0.3,"x":[..],"v":[..]}, ...] on stdin and
writes a JSON array of their accelerations (one array per point, full float64
precision) on stdout.`)
	params := paramFlag(fs)
	d := fs.Int("d", 0, "dimension (default: the file's, else the length of the first x)")
	arg, err := parseOne(fs, args, "FILE")
	if err != nil {
		return err
	}
	if *d < 0 {
		return usagef("-d %d: the dimension must be positive", *d)
	}
	sys, err := loadSystem(e, arg, params)
	if err != nil {
		return err
	}
	var pts []eulerlag.State
	if err := strictjson.Decode(e.stdin, &pts); err != nil {
		return fmt.Errorf("stdin: %v (lagc accel reads one JSON array of {\"t\":…,\"x\":[…],\"v\":[…]})", err)
	}
	first := 0
	if len(pts) > 0 {
		first = len(pts[0].X)
	}
	dim := sys.DimFor(*d, first)
	// The evaluator keeps a few dozen vectors of the dimension: refuse a
	// dimension whose buffers cannot fit before allocating them.
	if err := sizelimit.Floats("dimensions", dim, []int{dim, 64}, "evaluate in fewer dimensions"); err != nil {
		if *d > 0 {
			return usagef("-d: %v", err)
		}
		return err
	}
	accels, err := sys.Accelerations(dim, pts)
	if err != nil {
		return err
	}
	return strictjson.Encode(e.stdout, accels)
}
