// Command simdiff runs the live differential between the simulator and a
// real platform (see package simdiff); make sim-diff runs it.
//
// Exit status: 0 when every difference is one CONTRACT.md accepts, 1 when
// one is not (they are printed), 2 when no platform is configured or the
// run could not start.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/simdiff"
)

func main() { os.Exit(run()) }

// run is main without os.Exit, so that its defers run.
func run() int {
	verbose := flag.Bool("v", false, "also list the accepted differences")
	only := flag.String("only", "", "comma-separated scenario names to run (default all)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	platform, err := simdiff.PlatformFromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "sim-diff:", err)
		if errors.Is(err, simdiff.ErrNoPlatform) {
			fmt.Fprintln(os.Stderr, "sim-diff: skipped: no platform to compare the simulator with")
		}
		return 2
	}
	// The platform backs up a real sqlite file: it runs on this host.
	work, err := os.MkdirTemp("", "simdiff-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "sim-diff:", err)
		return 2
	}
	defer os.RemoveAll(work)

	start := time.Now()
	var names []string
	if *only != "" {
		names = strings.Split(*only, ",")
	}
	res, err := simdiff.Run(ctx, platform, names, work)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sim-diff:", err)
		return 2
	}
	bad := simdiff.Report(os.Stdout, res.Differences, res.Stale, *verbose)
	res.Summary(os.Stdout)
	fmt.Printf("sim-diff: %s against %s (%s) in %s\n", verdict(bad), platform.URL, releaseName(platform.Release),
		time.Since(start).Round(time.Second))
	if bad > 0 {
		return 1
	}
	return 0
}

func verdict(bad int) string {
	if bad == 0 {
		return "PASS"
	}
	return fmt.Sprintf("FAIL (%d differences not in CONTRACT.md or stale rows of it)", bad)
}

func releaseName(release string) string {
	if release == "" {
		return "the newest build"
	}
	return "release " + release
}
