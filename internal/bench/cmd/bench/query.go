package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// queryMode is one way of running `terraform query` over the bench's
// databases: finding them, or finding them and generating their
// configuration (what adopting an estate does).
type queryMode struct {
	name            string
	includeResource bool
	generate        bool
}

var queryModes = []queryMode{
	{name: "query"},
	{name: "query -generate-config-out", includeResource: true, generate: true},
}

// supportsQuery tells from the first line of `<cli> version` whether the CLI
// has `terraform query`: Terraform from 1.14 on; OpenTofu has none.
func supportsQuery(versionLine string) bool {
	m := queryVersion.FindStringSubmatch(versionLine)
	if m == nil {
		return false
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	return major > 1 || (major == 1 && minor >= 14)
}

const queryMain = `
terraform {
  required_providers {
    platform = { source = "platform-iac/platform" }
  }
}

provider "platform" {}
`

const queryFile = `
list "platform_database" "all" {
  provider         = platform
  limit            = %d
  include_resource = %t

  config {
    environment_id = %q
  }
}
`

// queryPhases queries the n databases of envID in each mode, each from a
// fresh directory, and checks every database was found.
func (e *benchEnv) queryPhases(ctx context.Context, envID string, n int) ([]phaseResult, error) {
	var results []phaseResult
	for i, m := range queryModes {
		dir := filepath.Join(e.work, fmt.Sprintf("query-%d-%d", n, i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(queryMain), 0o600); err != nil {
			return nil, err
		}
		// A limit above n, so the list resource has no reason to warn that it cut the results.
		q := fmt.Sprintf(queryFile, n+1, m.includeResource, envID)
		if err := os.WriteFile(filepath.Join(dir, "bench.tfquery.hcl"), []byte(q), 0o600); err != nil {
			return nil, err
		}
		args := []string{"query"}
		generated := filepath.Join(dir, "generated.tf")
		if m.generate {
			args = append(args, "-generate-config-out="+generated)
		}
		r, out, err := e.runCommand(ctx, dir, e.pluginPath("platform"), m.name, e.profileDir("query", n, strconv.Itoa(i)), args)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.name, err)
		}
		if found := countFound(out, m, generated); found != n {
			return nil, fmt.Errorf("%s found %d databases, want %d:\n%s", m.name, found, n, out)
		}
		results = append(results, r)
	}
	return results, nil
}

var (
	importBlock  = regexp.MustCompile(`(?m)^import \{`)
	queryVersion = regexp.MustCompile(`^Terraform v(\d+)\.(\d+)\.`)
)

// countFound counts the databases a query reported: its result lines, or
// the import blocks it generated.
func countFound(out string, m queryMode, generated string) int {
	if m.generate {
		b, err := os.ReadFile(generated)
		if err != nil {
			return 0
		}
		return len(importBlock.FindAll(b, -1))
	}
	return strings.Count(out, "list.platform_database.all ")
}

// printQueries prints the query runs next to the plan-refresh of the same
// databases, which reads the same list, or why there are none.
func printQueries(queries, db []phaseResult, cliVersion string) {
	if queries == nil {
		fmt.Printf("\nNo terraform query on %s (Terraform ≥ 1.14 only).\n", cliVersion)
		return
	}
	refresh := db[1]
	fmt.Println("\n| terraform query, all N databases | API requests | list pages | time | provider CPU | provider peak RSS | time ÷ plan-refresh |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range queries {
		fmt.Printf("| %s | %d%s | %d | %s | %s | %s | %.2f |\n", r.name, r.requests, errorsNote(r),
			r.routes["GET /api/environments/{envId}/databases"], secs(r.wall), secs(r.cpu), mb(r.rssKB), ratio(r.wall, refresh.wall))
	}
}
