// Command bench measures the provider against the in-repo API simulator
// with the real Terraform (or OpenTofu) CLI, and prints markdown tables.
//
// For each N it runs four phases (apply-create, plan-refresh, apply-update,
// destroy) on N platform_database resources and reports the API requests
// each sent (the simulator's counter), its wall time and the provider
// process's peak RSS. With the rate limit off (the default) it runs the
// same phases with N terraform_data resources, Terraform's own floor with
// no provider work at all; with a no-op plugin serving platform_database's
// schema on terraform-plugin-go (what any plugin resource of this shape
// costs, before the framework and the provider do anything); and a plain
// Go HTTP client sending N requests per phase at the same concurrency, the
// API's own cost. With -rate-limit
// it reports each phase against the rate limit's theoretical bound
// (requests ÷ limit × window) instead.
//
// It prints figures and asserts nothing about time. Run it from the module
// root: go run ./internal/bench/cmd/bench -n 100,500
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

type options struct {
	ns          []int
	cli         string
	parallelism int
	rateLimit   bool
	limit       int
	window      time.Duration
	keep        bool
	baselines   bool
	profile     string
}

func main() {
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if err := run(context.Background(), opts); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var o options
	nList := fs.String("n", "100,500", "comma-separated resource counts")
	fs.StringVar(&o.cli, "cli", "", "Terraform or OpenTofu binary (default: terraform on PATH)")
	fs.IntVar(&o.parallelism, "parallelism", 10, "the CLI's -parallelism (and the plain HTTP client's concurrency)")
	fs.BoolVar(&o.rateLimit, "rate-limit", false, "turn the simulator's rate limit on (see -limit and -window)")
	fs.IntVar(&o.limit, "limit", 100, "requests per window when -rate-limit is set (the real server allows 100)")
	fs.DurationVar(&o.window, "window", 10*time.Second, "rate-limit window when -rate-limit is set (the real server's is 60s; shorter finishes sooner)")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary working directory")
	fs.StringVar(&o.profile, "profile", "", "build the provider with profiling and write each provider process's CPU and heap profiles under this directory, one folder per phase")
	fs.BoolVar(&o.baselines, "baselines", true, "also run terraform_data and the plain HTTP client (rate limit off only)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for _, s := range strings.Split(*nList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return o, fmt.Errorf("-n: %q is not a positive number", s)
		}
		o.ns = append(o.ns, n)
	}
	if o.cli == "" {
		path, err := exec.LookPath("terraform")
		if err != nil {
			return o, fmt.Errorf("no terraform on PATH; pass -cli")
		}
		o.cli = path
	}
	return o, nil
}

func run(ctx context.Context, o options) error {
	env, err := newBenchEnv(ctx, o)
	if err != nil {
		return err
	}
	defer env.close()
	fmt.Printf("CLI: %s (%s), parallelism %d, %s\n", o.cli, env.cliVersion, o.parallelism, env.describeMachine())
	if o.rateLimit {
		fmt.Printf("Rate limit ON: %d requests per %s window per client IP (the real server: 100 per 60s).\n", o.limit, o.window)
	} else {
		fmt.Println("Rate limit OFF.")
	}
	for _, n := range o.ns {
		if err := benchN(ctx, env, o, n); err != nil {
			return fmt.Errorf("bench with %d resources: %w", n, err)
		}
	}
	return nil
}

func benchN(ctx context.Context, env *benchEnv, o options, n int) error {
	fmt.Printf("\n### N = %d\n\n", n)
	withQuery := supportsQuery(env.cliVersion)
	db, queries, err := env.runPhases(ctx, "platform", n, withQuery)
	if err != nil {
		return err
	}
	if o.rateLimit || !o.baselines {
		printRateTable(db, o)
		printLogLines(db, queries)
		printQueries(queries, db, env.cliVersion)
		return nil
	}
	noop, _, err := env.runPhases(ctx, "noop", n, false)
	if err != nil {
		return err
	}
	floor, _, err := env.runPhases(ctx, "terraform_data", n, false)
	if err != nil {
		return err
	}
	raw, err := env.rawPhases(ctx, n)
	if err != nil {
		return err
	}
	printTable(db, noop, floor, raw)
	printTargets(db, noop, floor, n)
	printLogLines(db, queries)
	printQueries(queries, db, env.cliVersion)
	return nil
}
