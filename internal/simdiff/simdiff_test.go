package simdiff

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

func TestMask(t *testing.T) {
	in := map[string]any{"id": "cmx5hc8wk0038fw7d2luw3pf1", "user": "sa:cmx5hbj5w002ffw7d9eexct2u",
		"createdAt": "2026-12-02T02:01:23.450Z", "requestId": "req-1f", "latencyMs": 3.0,
		"filename": "pg-2026-12-02T02-01-23-435Z.sql", "name": "orders", "failedLatency": nil,
		"list": []any{"cdbtypepostgres0000000000", "short"}}
	got := newNumbering().mask(in, "body", nil).(map[string]any)
	want := map[string]any{"id": "<id1>", "user": "sa:<id3>", "createdAt": "<time>", "requestId": "<requestId>",
		"latencyMs": "<latency>", "filename": "pg-<time>.sql", "name": "orders"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	if l := got["list"].([]any); l[0] != "<id2>" || l[1] != "short" {
		t.Errorf("list = %v", l)
	}
	if got["failedLatency"] != nil {
		t.Errorf("null masked: %v", got["failedLatency"])
	}
}

func TestParseAccepted(t *testing.T) {
	doc := "x\n" + acceptedHeading + "\n\nprose\n\n| step | path | reason |\n|---|---|---|\n" +
		"| `a/*` | `body.**.size` | stand-in |\n| `b/c` | `status` | escape |\n\n## Next\n| x | y | z |\n"
	rows, err := parseAccepted(doc, acceptedHeading)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Step != "a/*" || rows[1].Reason != "escape" {
		t.Fatalf("rows %+v", rows)
	}
	cases := []struct {
		row         int
		step, path  string
		wantCovered bool
	}{
		{0, "a/list", "body.backups.0.size", true},
		{0, "a/list", "body.size", true},
		{0, "a/list", "body.backups.0.sizes", false},
		{0, "b/list", "body.size", false},
		{1, "b/c", "status", true},
		{1, "b/c", "body.code", false},
	}
	for _, tc := range cases {
		d := Difference{Path: tc.path, Platform: 1.0, Simulator: 2.0}
		if got := rows[tc.row].covers(tc.step, d, nil); got != tc.wantCovered {
			t.Errorf("row %d covers %s %s = %t", tc.row, tc.step, tc.path, got)
		}
	}
	if _, err := parseAccepted("no table here", acceptedHeading); err == nil {
		t.Error("a contract without the section parsed")
	}
	if _, err := parseAccepted(acceptedHeading+"\n| step | path | reason |\n| `a/b` | `b` | |\n", acceptedHeading); err == nil {
		t.Error("a row without a reason parsed")
	}
	if _, err := parseAccepted(acceptedHeading+"\n| step | path | reason |\n| `*` | `b` | any step |\n", acceptedHeading); err == nil {
		t.Error("a step pattern without scenario/ parsed (it would match no step)")
	}
}

// A release's own table adds to the general one, for that release only.
func TestAcceptedForARelease(t *testing.T) {
	doc := "x\n" + acceptedHeading + "\n| step | path | reason |\n|---|---|---|\n| `a/*` | `body` | all |\n\n" +
		releaseHeading("2.3.0") + "\n\nprose\n\n| step | path | reason |\n|---|---|---|\n| `*/*` | `status` | older |\n\n## Next\n"
	for release, want := range map[string]int{"": 1, "2.3.0": 2, "2.4.0": 1} {
		rows, err := acceptedFor(doc, release)
		if err != nil || len(rows) != want {
			t.Errorf("release %q: %d rows (%v), want %d", release, len(rows), err, want)
		}
	}
	if _, err := acceptedFor(doc+releaseHeading("2.4.0")+"\n\nno table\n", "2.4.0"); err == nil {
		t.Error("a release section without rows parsed")
	}
}

// TestTheContractsTableParses: make sim-diff must not be the first to
// find a broken table.
func TestTheContractsTableParses(t *testing.T) {
	rows, err := AcceptedDifferences("")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 5 {
		t.Fatalf("%d rows", len(rows))
	}
	older, err := AcceptedDifferences(string(simulator.Release2_3_0))
	if err != nil {
		t.Fatal(err)
	}
	if len(older) < len(rows) {
		t.Fatalf("v2.3.0 has %d rows, the newest build %d", len(older), len(rows))
	}
	// Seen on both releases: the collector had reached a database the
	// script read (on the newest build when the run outlasted the server's
	// first minute).
	seen := Difference{Step: "backups/get one", Path: "body.backup.database.monitoringStatus", Platform: "error", Simulator: "unknown"}
	covered := func(rows []*Accepted) bool {
		for _, a := range rows {
			if a.covers(seen.Step, seen, nil) {
				return true
			}
		}
		return false
	}
	if !covered(older) || !covered(rows) {
		t.Errorf("the collector's status: accepted on v2.3.0 %t, on the newest build %t (want both)",
			covered(older), covered(rows))
	}
}

func TestCompare(t *testing.T) {
	p := []Exchange{{Step: "s/a", Status: 200, Body: map[string]any{"id": "cmx5hc8wk0038fw7d2luw3pf1", "size": 52.0, "n": 1.0}}}
	s := []Exchange{{Step: "s/a", Status: 200, Body: map[string]any{"id": "cmx5hc8wk0038fw7d2luw3pf2", "size": 1552.0, "n": 2.0, "extra": true}}}
	acc := []*Accepted{mustRow(t, "s/*", "`body.size`", "stand-in")}
	diffs := Compare(p, s, acc)
	var bad []string
	for _, d := range diffs {
		if d.Accepted == nil {
			bad = append(bad, d.Path)
		}
	}
	if strings.Join(bad, ",") != "body.extra,body.n" || len(diffs) != 3 {
		t.Fatalf("differences %+v", diffs)
	}
	var out bytes.Buffer
	if n := Report(&out, diffs, nil, false); n != 2 || !strings.Contains(out.String(), "(absent)") {
		t.Fatalf("report (%d):\n%s", n, out.String())
	}
}

// TestSimulatorAgainstItself runs every scenario against two fresh
// simulators, acting as the newest build and as v2.3.0 (the differential's
// simulator then acts as it too): the script must run through and find
// nothing the contract does not accept, which keeps the tool honest
// without a platform.
func TestSimulatorAgainstItself(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every scenario")
	}
	for _, release := range []simulator.Release{simulator.ReleaseLatest, simulator.Release2_3_0} {
		t.Run(release.String(), func(t *testing.T) {
			target := standIn(t, release, likeThePlatform)
			res, err := Run(context.Background(), target, nil, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Platform) < 200 || len(res.Platform) != len(res.Simulator) {
				t.Fatalf("%d and %d exchanges", len(res.Platform), len(res.Simulator))
			}
			for _, d := range res.Differences {
				if d.Accepted == nil {
					t.Errorf("%s at %s: %s vs %s", d.Step, d.Path, show(d.Platform), show(d.Simulator))
				}
			}
			// Two simulators do not show most of the platform's accepted
			// differences; TestStaleRowFailsTheRun holds the rule itself.
			for _, a := range res.Stale {
				t.Logf("not shown by two simulators: %s", a)
			}
			for _, e := range res.Platform {
				if e.Err != "" {
					t.Errorf("%s: %s", e.Step, e.Err)
				}
			}
		})
	}
}

func mustRow(t *testing.T, step, pathCell, reason string) *Accepted {
	t.Helper()
	a, err := newAccepted(step, pathCell, reason)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestRowThatMayNotOccur: a row marked "(may not occur)" is read with its
// type clause and is never stale, while the same row unmarked is; the
// contract's backup run times are such a row.
func TestRowThatMayNotOccur(t *testing.T) {
	marked := mustRow(t, "auth/health", "`body.version` (platform null, simulator string) (may not occur)", "timing")
	plain := mustRow(t, "auth/health", "`body.version`", "the build stamp")
	if !marked.MayNotOccur || plain.MayNotOccur || marked.Types == nil {
		t.Fatalf("read: marked %+v, plain %+v", marked, plain)
	}
	if got := marked.String(); got != "auth/health body.version (platform null, simulator string) (may not occur)" {
		t.Fatalf("String() = %q", got)
	}
	var ran []string
	for _, sc := range scenarios {
		ran = append(ran, sc.name)
	}
	if stale := Stale([]*Accepted{marked, plain}, ran); len(stale) != 1 || stale[0] != plain {
		t.Fatalf("stale %v, want only the unmarked row", stale)
	}
	rows, err := AcceptedDifferences("")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range rows {
		if a.Path == "body.**.duration" && !a.MayNotOccur {
			t.Errorf("%s: the platform's run time can match the simulator's, so the row may not occur", a)
		}
	}
}
