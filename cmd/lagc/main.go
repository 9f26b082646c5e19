// Command lagc compiles Lagrangians written as text into Euler–Lagrange
// solvers and generated Go code, and trains flow-matching models on the
// least-action paths they define.
//
// Usage:
//
//	lagc <command> [flags] [arguments]
//
// Run "lagc help" for the list of commands and "lagc <command> -h" for the
// flags of one. Exit status: 0 success, 1 an error in the user's input or in
// the computation, 2 a usage error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// env is what a command sees of the process: its streams, so that tests can
// run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
}

var commands []*command

func register(c *command) { commands = append(commands, c) }

// usageError is an error in the command line itself (exit status 2).
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// errQuietUsage is returned when a flag set has already printed its error.
var errQuietUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
}

func run(args []string, e *env) int {
	if len(args) == 0 {
		printHelp(e.stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "-version", "--version":
		name = "version"
		args = []string{"version"}
	}
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c := lookup(args[1]); c != nil {
				return run([]string{c.name, "-h"}, e)
			}
		}
		printHelp(e.stdout)
		return 0
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(e.stderr, "lagc: unknown command %q%s\nRun 'lagc help' for the list of commands.\n", name, suggestCommand(name))
		return 2
	}
	err := c.run(e, args[1:])
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errQuietUsage):
		return 2
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "lagc %s: %s\nRun 'lagc %s -h' for usage.\n", c.name, ue.msg, c.name)
		return 2
	}
	fmt.Fprintln(e.stderr, strings.TrimRight(detail(err), "\n"))
	return 1
}

func lookup(name string) *command {
	if i := slices.IndexFunc(commands, func(c *command) bool { return c.name == name }); i >= 0 {
		return commands[i]
	}
	return nil
}

func suggestCommand(name string) string {
	for _, c := range commands {
		if strings.HasPrefix(c.name, name) || strings.HasPrefix(name, c.name) {
			return fmt.Sprintf(" (did you mean %q?)", c.name)
		}
	}
	return ""
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `lagc compiles Lagrangians written as text into Euler–Lagrange solvers and
trains flow-matching models on their least-action paths.

Usage:

	lagc <command> [flags] [arguments]

Commands:

`)
	slices.SortFunc(commands, func(a, b *command) int { return strings.Compare(a.name, b.name) })
	for _, c := range commands {
		fmt.Fprintf(w, "\t%-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'lagc <command> -h' for the flags of a command.
Run 'lagc version' (or 'lagc --version') for the version.
Exit status: 0 success, 1 an error in the input or the computation, 2 a usage error.
`)
}

// newFlags returns a flag set that reports errors through the command's
// exit status instead of exiting, and prints usage to stderr.
func newFlags(e *env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: lagc %s %s\n\n%s\n", name, args, about)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(e.stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// ("lagc derive file.lag -p w=2"), and returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errQuietUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseOne parses args with exactly one positional argument, named what in
// the usage error.
func parseOne(fs *flag.FlagSet, args []string, what string) (string, error) {
	pos, err := parseFlags(fs, args)
	if err == nil && len(pos) != 1 {
		err = usagef("want exactly one %s, got %d", what, len(pos))
	}
	if err != nil {
		return "", err
	}
	return pos[0], nil
}

// parseNone parses args with no positional argument; hint says where such
// an argument belongs.
func parseNone(fs *flag.FlagSet, args []string, hint string) error {
	pos, err := parseFlags(fs, args)
	if err == nil && len(pos) > 0 {
		err = usagef("unexpected argument %q%s", pos[0], hint)
	}
	return err
}
