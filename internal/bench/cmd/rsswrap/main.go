// Command rsswrap stands in for the provider binary during benchmarks: it
// runs the real provider (BENCH_REAL_PROVIDER) as its child with the same
// arguments, standard streams and environment, and when the child exits
// appends a line with the child's peak resident set size in KiB, as the
// kernel counted it (wait4's ru_maxrss), its CPU time in milliseconds and
// the lines it wrote to standard error (its log lines, which the CLI reads
// and, without TF_LOG, throws away) to BENCH_RSS_FILE. Sampling /proc
// instead could miss the peak between two samples.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	provider := os.Getenv("BENCH_REAL_PROVIDER")
	if provider == "" {
		fmt.Fprintln(os.Stderr, "rsswrap: BENCH_REAL_PROVIDER is not set")
		os.Exit(2)
	}
	// The CLI signals the whole process group on Ctrl-C; the child gets it
	// too and decides, so the wrapper only waits for it.
	signal.Ignore(os.Interrupt, syscall.SIGTERM)
	cmd := exec.CommandContext(context.Background(), provider, os.Args[1:]...)
	stderr := &lineCounter{w: os.Stderr}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, stderr
	err := cmd.Run()
	if cmd.ProcessState != nil {
		record(cmd.ProcessState, stderr.lines)
	}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		os.Exit(exitErr.ExitCode())
	case err != nil:
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		os.Exit(1)
	}
}

// lineCounter passes the child's standard error on and counts its lines.
type lineCounter struct {
	w     io.Writer
	lines int
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.lines += bytes.Count(p, []byte{'\n'})
	return c.w.Write(p)
}

func record(ps *os.ProcessState, stderrLines int) {
	path := os.Getenv("BENCH_RSS_FILE")
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if path == "" || !ok {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	// Linux reports ru_maxrss in KiB. Then the child's CPU time (user +
	// system) in milliseconds, and its lines on standard error.
	cpu := ru.Utime.Nano() + ru.Stime.Nano()
	fmt.Fprintf(f, "%d %d %d\n", ru.Maxrss, cpu/1e6, stderrLines)
}
