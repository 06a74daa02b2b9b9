package simdiff

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// runBackups runs the backups scenario against a stand-in platform broken
// by the rewrites, with the contract's rows.
func runBackups(t *testing.T, rewrites ...rewrite) *Result {
	t.Helper()
	rows, err := AcceptedDifferences("")
	if err != nil {
		t.Fatal(err)
	}
	target := standIn(t, simulator.ReleaseLatest, append([]rewrite{likeThePlatform}, rewrites...)...)
	res, err := runWith(context.Background(), target, []string{"backups"}, t.TempDir(), rows)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func unaccepted(res *Result) []Difference {
	var out []Difference
	for _, d := range res.Differences {
		if d.Accepted == nil {
			out = append(out, d)
		}
	}
	return out
}

// biggerSize is the platform's real dump: another number than the
// simulator's stand-in, which the size row accepts.
func biggerSize(row map[string]any) {
	if n, ok := row["size"].(float64); ok && row["status"] == "completed" {
		row["size"] = n + 1000
	}
}

// TestBackupSizeMustStayANumber: the size row accepts the platform's sizes
// to differ from the stand-in's, never to change type.
func TestBackupSizeMustStayANumber(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the backups scenario")
	}
	res := runBackups(t, backupRows(biggerSize))
	if bad := unaccepted(res); len(bad) > 0 || len(res.Stale) > 0 {
		t.Fatalf("another size was not accepted: %+v, stale %v", bad, res.Stale)
	}
	res = runBackups(t, backupRows(biggerSize), backupRows(func(row map[string]any) {
		if n, ok := row["size"].(float64); ok {
			row["size"] = strconv.FormatFloat(n, 'f', -1, 64)
		}
	}))
	bad := unaccepted(res)
	if len(bad) == 0 {
		t.Fatal("a size sent as a string went unnoticed")
	}
	for _, d := range bad {
		if !strings.HasSuffix(d.Path, ".size") || jsonType(d.Platform) != "string" || jsonType(d.Simulator) != "number" {
			t.Errorf("%s at %s: %s vs %s, want only sizes, string vs number", d.Step, d.Path, show(d.Platform), show(d.Simulator))
		}
	}
}

// TestFailedBackupSizeIsCompared: the size row is about completed
// backups; a failed one's size is compared as any other value.
func TestFailedBackupSizeIsCompared(t *testing.T) {
	rows, err := AcceptedDifferences("")
	if err != nil {
		t.Fatal(err)
	}
	backup := func(status string, size float64) []Exchange {
		return []Exchange{{Step: "backups/list", Status: 200, Body: map[string]any{"backups": []any{
			map[string]any{"status": status, "size": size}}}}}
	}
	if d := Compare(backup("completed", 5), backup("completed", 9), rows); len(d) != 1 || d[0].Accepted == nil {
		t.Fatalf("a completed backup's size: %+v", d)
	}
	if d := Compare(backup("failed", 5), backup("failed", 0), rows); len(d) != 1 || d[0].Accepted != nil {
		t.Fatalf("a failed backup's size was accepted to differ: %+v", d)
	}
}

// TestWrongReferenceIsADifference: masking every id alike would hide a
// backup that names the wrong database; numbered ids do not.
func TestWrongReferenceIsADifference(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the backups scenario")
	}
	var databases []string // in the order the stand-in created them
	remember := func(r *http.Request, body any) any {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/databases") {
			if m, ok := body.(map[string]any)["database"].(map[string]any); ok {
				databases = append(databases, m["id"].(string))
			}
		}
		return body
	}
	elsewhere := backupRows(func(row map[string]any) {
		for _, id := range databases {
			if id != row["databaseId"] {
				row["databaseId"] = id
				return
			}
		}
	})
	res := runBackups(t, remember, backupRows(biggerSize))
	if bad := unaccepted(res); len(bad) > 0 {
		t.Fatalf("the intact stand-in differs: %+v", bad)
	}
	databases = nil
	res = runBackups(t, remember, backupRows(biggerSize), elsewhere)
	bad := unaccepted(res)
	if len(bad) == 0 {
		t.Fatal("backups naming another database went unnoticed")
	}
	for _, d := range bad {
		if !strings.HasSuffix(d.Path, ".databaseId") {
			t.Errorf("%s at %s: %s vs %s, want only databaseIds", d.Step, d.Path, show(d.Platform), show(d.Simulator))
		}
	}
}

// TestStaleRowFailsTheRun: a row whose difference no longer occurs (the
// simulator was fixed, or the platform changed) fails the run, since it
// would hide the next difference at its path.
func TestStaleRowFailsTheRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the auth scenario")
	}
	row := mustRow(t, "auth/health", "`body.version`", "the build stamp")
	stamp := func(r *http.Request, body any) any {
		if r.URL.Path == "/health" {
			body.(map[string]any)["version"] = "0677ce979a57"
		}
		return body
	}
	run := func(rewrites ...rewrite) *Result {
		row.used = false
		res, err := runWith(context.Background(), standIn(t, simulator.ReleaseLatest, rewrites...), []string{"auth"},
			t.TempDir(), []*Accepted{row})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := run(stamp); len(unaccepted(res)) > 0 || len(res.Stale) > 0 {
		t.Fatalf("with the platform's stamp: unaccepted %+v, stale %v", unaccepted(res), res.Stale)
	}
	res := run()
	if len(res.Stale) != 1 || res.Stale[0] != row {
		t.Fatalf("the row that did not occur: stale %v", res.Stale)
	}
	if n := Report(&strings.Builder{}, res.Differences, res.Stale, false); n != 1 {
		t.Fatalf("Report counts %d failures, want the stale row", n)
	}
}
