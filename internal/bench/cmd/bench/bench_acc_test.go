package main

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

// TestAccBenchPrintsTable runs `make bench`'s program at a small N with the
// CLI under test: it builds the provider and the no-op plugin, runs every
// phase of all three kinds, and prints the table the README quotes.
func TestAccBenchPrintsTable(t *testing.T) {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || cli == "" {
		t.Skip("set TF_ACC and TF_ACC_TERRAFORM_PATH (scripts/acc.sh does)")
	}
	platformacc.RequireSimulator(t, "the bench measures the provider against its own simulator")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "run", ".", "-n", "3", "-cli", cli).CombinedOutput()
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{
		"| phase | platform_database: API requests | time | provider CPU | provider peak RSS | no-op plugin, same schema: time |",
		"plan-refresh sent 2 requests: 1 list(s), 0 GET by id, 1 token check(s)",
		"Slowest phase relative to the no-op plugin: ",
		"Slowest phase relative to terraform_data: ",
		"The no-op plugin's slowest phase relative to terraform_data: ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	// Without TF_LOG nobody sees the provider's logs, so it writes none:
	// only go-plugin's two start-up lines per process.
	m := regexp.MustCompile(`Provider log lines on standard error over all phases: (\d+) from (\d+) provider processes`).FindStringSubmatch(text)
	if m == nil {
		t.Errorf("output lacks the provider's log lines:\n%s", text)
	} else if lines, procs := atoi(t, m[1]), atoi(t, m[2]); procs == 0 || lines > 2*procs {
		t.Errorf("the provider processes wrote %d lines to standard error, more than go-plugin's two each for %d processes: the SDK's or the provider's logging is on without TF_LOG", lines, procs)
	}
	// terraform query finds the three databases with one list page, where
	// the CLI has it.
	version, err := exec.CommandContext(ctx, cli, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", cli, err)
	}
	if supportsQuery(strings.SplitN(string(version), "\n", 2)[0]) {
		for _, mode := range queryModes {
			row := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(mode.name) + ` \| 3 \| 1 \| \d+\.\d\d s \| \d+\.\d\d s \| \d+\.\d MB \| \d+\.\d\d \|$`)
			if !row.MatchString(text) {
				t.Errorf("no complete %q row:\n%s", mode.name, text)
			}
		}
	} else if !strings.Contains(text, "No terraform query on ") {
		t.Errorf("output neither has query rows nor says why not:\n%s", text)
	}
	// One row per phase, each with a wall time, CPU and peak RSS for the
	// provider, a time for each baseline and the ratios to them.
	for _, phase := range []string{"apply-create", "plan-refresh", "apply-update", "destroy"} {
		row := regexp.MustCompile(`(?m)^\| ` + phase + ` \| \d+ \| \d+\.\d\d s \| \d+\.\d\d s \| \d+\.\d MB \| \d+\.\d\d s \| \d+\.\d\d s \| \d+\.\d\d \| \d+\.\d\d s \| \d+\.\d\d \| \d+\.\d\d \| 3 \| \d+\.\d\d s \|$`)
		if !row.MatchString(text) {
			t.Errorf("no complete %s row:\n%s", phase, text)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
