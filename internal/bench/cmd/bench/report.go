package main

import (
	"fmt"
	"time"
)

// Targets from the performance issue; printed next to the figures, never
// asserted.
const (
	targetRefreshLists = 3 // list requests for a plan-refresh of 500 in one environment
	// Each phase against the no-op plugin at N=500, limit off, on every CLI:
	// the no-op plugin serves the same schema and does nothing, so it is the
	// floor of any plugin; terraform_data (no plugin at all) is context.
	targetNoopRatio  = 1.3
	targetBoundRatio = 1.1 // create vs the rate-limit bound
	targetRSSMB      = 60  // provider peak RSS at N=1000
)

func printTable(db, noop, floor, raw []phaseResult) {
	fmt.Println("| phase | platform_database: API requests | time | provider CPU | provider peak RSS | no-op plugin, same schema: time | plugin CPU | platform_database ÷ no-op plugin | terraform_data: time | platform_database ÷ terraform_data | no-op plugin ÷ terraform_data | plain HTTP client: requests | time |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for i, r := range db {
		fmt.Printf("| %s | %d%s | %s | %s | %s | %s | %s | %.2f | %s | %.2f | %.2f | %d | %s |\n",
			r.name, r.requests, errorsNote(r), secs(r.wall), secs(r.cpu), mb(r.rssKB),
			secs(noop[i].wall), secs(noop[i].cpu), ratio(r.wall, noop[i].wall), secs(floor[i].wall),
			ratio(r.wall, floor[i].wall), ratio(noop[i].wall, floor[i].wall), raw[i].requests, secs(raw[i].wall))
	}
}

// printRateTable prints the provider's phases alone: against the rate
// limit's bound when it is on.
func printRateTable(db []phaseResult, o options) {
	if !o.rateLimit {
		fmt.Println("| phase | API requests | time | provider CPU | provider peak RSS |")
		fmt.Println("|---|---:|---:|---:|---:|")
		for _, r := range db {
			fmt.Printf("| %s | %d%s | %s | %s | %s |\n", r.name, r.requests, errorsNote(r), secs(r.wall), secs(r.cpu), mb(r.rssKB))
		}
		return
	}
	fmt.Println("| phase | API requests | 429 answers | time | bound (requests ÷ limit × window) | time ÷ bound | provider peak RSS |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range db {
		b := bound(r.requests, o)
		ratioText := "– (within one window)"
		if r.requests > o.limit {
			ratioText = fmt.Sprintf("%.2f", ratio(r.wall, b))
			if r.name == "apply-create" {
				ratioText += fmt.Sprintf(" (target ≤ %.1f)", targetBoundRatio)
			}
		}
		fmt.Printf("| %s | %d | %d | %s | %s | %s | %s |\n",
			r.name, r.requests, r.status[429], secs(r.wall), secs(b), ratioText, mb(r.rssKB))
	}
	fmt.Printf("\nAll errors (non-2xx answers, 429 included): %d.\n", totalErrors(db))
}

func printTargets(db, noop, floor []phaseResult, n int) {
	refresh := db[1]
	fmt.Printf("\nplan-refresh sent %d requests: %d list(s), %d GET by id, %d token check(s) (target: ≤ %d requests plus one token check per provider process).\n",
		refresh.requests, refresh.routes["GET /api/environments/{envId}/databases"], refresh.routes["GET /api/databases/{id}"],
		refresh.routes["GET /api/auth/me"], targetRefreshLists)
	name, worst := slowest(db, noop)
	fmt.Printf("Slowest phase relative to the no-op plugin: %s at %.2f× (target at N=500, on every CLI: ≤ %.1f×; the no-op plugin serves the same schema and does no work, the floor of any plugin).\n",
		name, worst, targetNoopRatio)
	name, worst = slowest(db, floor)
	fmt.Printf("Slowest phase relative to terraform_data: %s at %.2f× (context: Terraform's built-in resource, no plugin at all).\n", name, worst)
	name, worst = slowest(noop, floor)
	fmt.Printf("The no-op plugin's slowest phase relative to terraform_data: %s at %.2f× (what Terraform charges any plugin resource of this shape).\n", name, worst)
	var peak int64
	for _, r := range db {
		peak = max(peak, r.rssKB)
	}
	fmt.Printf("Provider peak RSS over all phases at N=%d: %s (target at N=1000: < %d MB).\n", n, mb(peak), targetRSSMB)
	if e := totalErrors(db); e != 0 {
		fmt.Printf("Error answers from the API: %d.\n", e)
	}
}

// printLogLines prints what the provider processes wrote to standard
// error: log lines, which the CLI reads and parses, then throws away unless
// TF_LOG or TF_LOG_PROVIDER is set (the bench sets neither).
// Each process writes two lines at start-up (go-plugin's: mTLS and its
// address), whatever the settings; anything more is the SDK's or the provider's logging.
func printLogLines(runs ...[]phaseResult) {
	lines, procs := 0, 0
	for _, rs := range runs {
		for _, r := range rs {
			lines, procs = lines+r.logLines, procs+r.procs
		}
	}
	fmt.Printf("Provider log lines on standard error over all phases: %d from %d provider processes (go-plugin writes two at start-up; without TF_LOG the CLI discards them).\n", lines, procs)
}

// slowest is the phase of rs with the largest ratio to the same phase of floor.
func slowest(rs, floor []phaseResult) (name string, worst float64) {
	for i, r := range rs {
		if q := ratio(r.wall, floor[i].wall); q > worst {
			name, worst = r.name, q
		}
	}
	return name, worst
}

func bound(requests int, o options) time.Duration {
	return time.Duration(float64(requests) / float64(o.limit) * float64(o.window))
}

func totalErrors(rs []phaseResult) int {
	n := 0
	for _, r := range rs {
		n += r.errorResponses()
	}
	return n
}

func errorsNote(r phaseResult) string {
	if e := r.errorResponses(); e != 0 {
		return fmt.Sprintf(" (%d errors)", e)
	}
	return ""
}

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func mb(kb int64) string {
	if kb == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f MB", float64(kb)/1024)
}
