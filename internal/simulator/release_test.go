package simulator

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// Each test runs the same requests against the default simulator (the
// newest build, which must answer as before) and one acting as v2.3.0,
// whose answers are the contract's "An older release: v2.3.0".

func oldRelease(o *Options) { o.Release = Release2_3_0 }

// retentionRoutes are the routes 3.0.0 added, on a database and backup
// that exist: dbID and backupID fill them in.
func retentionRoutes(dbID, backupID string) []struct{ method, path, body string } {
	db := "/api/databases/" + dbID
	return []struct{ method, path, body string }{
		{"GET", db + "/backup-policy", ""},
		{"PUT", db + "/backup-policy", `{"preset":"lean","keepLast":12,"daily":7,"weekly":4,"monthly":0,"yearly":0,"minFloor":2}`},
		{"DELETE", db + "/backup-policy", ""},
		{"POST", db + "/backup-policy/preview", ""},
		{"POST", db + "/rotate", ""},
		{"PUT", db + "/backups/" + backupID + "/pin", `{"pinned":true}`},
	}
}

func TestRelease2_3_0_retentionRoutesAnswerAsUnknownRoutes(t *testing.T) {
	for _, rel := range []Release{ReleaseLatest, Release2_3_0} {
		t.Run(rel.String(), func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.Release = rel })
			id := h.createDB(`{"name":"p","type":"postgres"}`)
			backupID, _ := h.sim.AddBackup(id)
			h.sim.ResetRequests()
			for _, r := range retentionRoutes(id, backupID) {
				var body any
				if r.body != "" {
					body = r.body
				}
				res := h.mustCall(r.method, r.path, operatorTok, body)
				if rel == ReleaseLatest {
					res.expectOK(t)
					continue
				}
				res.expectError(t, 404, "NOT_FOUND", "Not found")
				// Routing comes before auth: no token is the same 404.
				h.mustCall(r.method, r.path, "", body).expectError(t, 404, "NOT_FOUND", "Not found")
			}
			if rel == Release2_3_0 {
				if n := h.sim.Requests()["GET (unmatched)"] + h.sim.Requests()["PUT (unmatched)"] +
					h.sim.Requests()["POST (unmatched)"] + h.sim.Requests()["DELETE (unmatched)"]; n != 12 {
					t.Errorf("unmatched requests %d, want 12: %v", n, h.sim.Requests())
				}
			}
			// An unknown database on a route every release has names the
			// database, which tells it from a missing route.
			h.mustCall("GET", "/api/databases/"+noSuchID+"/schedule", operatorTok, nil).
				expectError(t, 404, "NOT_FOUND", "Database not found")
		})
	}
}

// objectKeys is the keys of the JSON object at path (object keys only)
// in raw, in the order the server wrote them.
func objectKeys(t *testing.T, raw []byte, path ...string) []string {
	t.Helper()
	for _, p := range path {
		var obj map[string]json.RawMessage
		var arr []json.RawMessage
		switch {
		case json.Unmarshal(raw, &obj) == nil:
			raw = obj[p]
		case json.Unmarshal(raw, &arr) == nil && p == "0" && len(arr) > 0:
			raw = arr[0]
		default:
			t.Fatalf("no %s in %s", p, raw)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", raw)
	}
	var keys []string
	for dec.More() {
		tok, _ := dec.Token()
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestRelease2_3_0_backupsHaveNoRetentionFields(t *testing.T) {
	// The columns of both releases' backup rows, in the platform's order.
	row := []string{"id", "filename", "size", "type", "status", "error", "storageType", "storagePath",
		"progress", "duration", "createdAt", "completedAt", "isPinned", "pinnedById", "pinnedAt",
		"lastRotationError", "databaseId", "triggeredById"}
	v23 := slices.DeleteFunc(slices.Clone(row), func(k string) bool {
		return slices.Contains([]string{"isPinned", "pinnedById", "pinnedAt", "lastRotationError"}, k)
	})
	for _, tc := range []struct {
		rel  Release
		want []string
	}{{ReleaseLatest, row}, {Release2_3_0, v23}} {
		t.Run(tc.rel.String(), func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.Release = tc.rel })
			id := h.createDB(`{"name":"b","type":"postgres"}`)
			backupID, _ := h.sim.AddBackup(id)
			list := h.mustCall("GET", "/api/databases/"+id+"/backups", viewerTok, nil)
			list.expectOK(t)
			if got, want := objectKeys(t, list.raw, "backups", "0"), append(slices.Clone(tc.want), "triggeredBy"); !slices.Equal(got, want) {
				t.Errorf("list item keys\n got %v\nwant %v", got, want)
			}
			one := h.mustCall("GET", "/api/backups/"+backupID, viewerTok, nil)
			one.expectOK(t)
			if got, want := objectKeys(t, one.raw, "backup"), append(slices.Clone(tc.want), "database", "triggeredBy"); !slices.Equal(got, want) {
				t.Errorf("single read keys\n got %v\nwant %v", got, want)
			}
		})
	}
}

// TestRelease2_3_0_deleteBlockedByBackupsIs400: v2.3.0 refuses the delete
// exactly as the newest build does (seen on a running v2.3.0 with a
// completed, a running and a failed backup); no 500.
func TestRelease2_3_0_deleteBlockedByBackupsIs400(t *testing.T) {
	for _, rel := range []Release{ReleaseLatest, Release2_3_0} {
		t.Run(rel.String(), func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.Release = rel })
			id := h.createDB(`{"name":"d","type":"postgres"}`)
			if _, err := h.sim.AddBackup(id); err != nil {
				t.Fatal(err)
			}
			h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil).
				expectError(t, 400, "VALIDATION_ERROR", "Cannot delete database with existing backups. Delete backups first.")
			h.mustCall("GET", "/api/databases/"+id, operatorTok, nil).expectOK(t)
		})
	}
}

func TestRelease2_3_0_rateLimitedIs500(t *testing.T) {
	for _, rel := range []Release{ReleaseLatest, Release2_3_0} {
		t.Run(rel.String(), func(t *testing.T) {
			clock := newFakeClock()
			h := newHarness(t, func(o *Options) { o.Release = rel; o.RateLimit = 3; o.Now = clock.Now })
			for range 3 {
				h.mustCall("GET", "/api/environments", viewerTok, nil).expectOK(t)
			}
			clock.Advance(2500 * time.Millisecond)
			for _, tc := range []struct{ name, token, method, path string }{
				{"over the limit", viewerTok, "GET", "/api/environments"},
				{"bad token", "bad-token", "GET", "/api/environments"},
				{"write", operatorTok, "POST", "/api/environments/" + h.env + "/databases"},
				{"unknown route, GET", viewerTok, "GET", "/api/nope"},
			} {
				res := h.mustCall(tc.method, tc.path, tc.token, nil)
				if rel == ReleaseLatest {
					res.expectError(t, 429, "RATE_LIMITED", "Rate limit exceeded. Try again in 58 seconds.")
				} else {
					res.expectError(t, 500, "INTERNAL", "Internal Server Error")
					if res.has("hint") {
						t.Errorf("%s: a hint on the 500: %s", tc.name, res.raw)
					}
				}
				for k, v := range map[string]string{"Retry-After": "58", "X-Ratelimit-Limit": "3", "X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "58"} {
					if got := res.header.Get(k); got != v {
						t.Errorf("%s: %s = %q, want %q", tc.name, k, got, v)
					}
				}
			}
			// A write to a path no route serves reaches the 404 handler,
			// which the rate limit does not cover, on both releases.
			res := h.mustCall("PUT", "/api/nope", operatorTok, nil)
			res.expectError(t, 404, "NOT_FOUND", "Not found")
			if res.header.Get("X-Ratelimit-Limit") != "" {
				t.Errorf("x-ratelimit-* on an unrouted write: %v", res.header)
			}
			// /openapi.json: limited on v2.3.0 only; /health never.
			doc := h.mustCall("GET", "/openapi.json", "", nil)
			if rel == ReleaseLatest {
				doc.expectOK(t)
			} else {
				doc.expectError(t, 500, "INTERNAL", "Internal Server Error")
			}
			h.mustCall("GET", "/health", "", nil).expectOK(t)
		})
	}
}

// TestRelease2_3_0_unroutedWritesDoNotCount: under the limit too, a write
// no route serves neither counts nor carries the headers, on both
// releases; /openapi.json counts on v2.3.0 only.
func TestRelease2_3_0_unroutedWritesDoNotCount(t *testing.T) {
	for _, rel := range []Release{ReleaseLatest, Release2_3_0} {
		t.Run(rel.String(), func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.Release = rel; o.RateLimit = 10 })
			for _, method := range []string{"POST", "PUT"} {
				h.mustCall(method, "/api/databases/"+noSuchID+"/nope", operatorTok, nil).expectError(t, 404, "NOT_FOUND", "Not found")
			}
			doc := h.mustCall("GET", "/openapi.json", "", nil)
			doc.expectOK(t)
			remaining := h.mustCall("GET", "/api/environments", viewerTok, nil).header.Get("X-Ratelimit-Remaining")
			want, docHeader := "9", "" // the GET alone
			if rel == Release2_3_0 {
				want, docHeader = "8", "9" // the document and the GET
			}
			if remaining != want || doc.header.Get("X-Ratelimit-Remaining") != docHeader {
				t.Errorf("remaining after the write and the document: %q (want %q), document's header %q (want %q)",
					remaining, want, doc.header.Get("X-Ratelimit-Remaining"), docHeader)
			}
		})
	}
}

func TestRelease2_3_0_contentionIs500(t *testing.T) {
	for _, rel := range []Release{ReleaseLatest, Release2_3_0} {
		t.Run(rel.String(), func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.Release = rel; o.Faults.Unavailable = 1 })
			res := h.mustCall("GET", "/api/environments", viewerTok, nil)
			if rel == ReleaseLatest {
				res.expectError(t, 503, "SERVICE_UNAVAILABLE", "Internal Server Error")
				if res.header.Get("Retry-After") != "1" {
					t.Errorf("retry-after %q", res.header.Get("Retry-After"))
				}
				return
			}
			res.expectError(t, 500, "INTERNAL", "Internal Server Error")
			if res.header.Get("Retry-After") != "" {
				t.Errorf("retry-after on v2.3.0's storage error: %q", res.header.Get("Retry-After"))
			}
		})
	}
}

func TestRelease2_3_0_scheduledRunPrunesByRetentionDays(t *testing.T) {
	for _, rel := range []Release{ReleaseLatest, Release2_3_0} {
		t.Run(rel.String(), func(t *testing.T) {
			clock := newFakeClock()
			h := newHarness(t, func(o *Options) { o.Release = rel; o.Now = clock.Now })
			id := h.createDB(`{"name":"s","type":"postgres"}`)
			now := clock.Now()
			seed := map[string]SeedBackup{
				"old scheduled":        {CreatedAt: now.Add(-72 * time.Hour)},
				"old failed scheduled": {CreatedAt: now.Add(-72 * time.Hour), Status: BackupFailed},
				"old manual":           {CreatedAt: now.Add(-72 * time.Hour), Kind: BackupManual},
				"a day and a minute":   {CreatedAt: now.Add(-24*time.Hour - time.Minute)},
				"a day less a minute":  {CreatedAt: now.Add(-24*time.Hour + time.Minute)},
			}
			ids := map[string]string{}
			for name, b := range seed {
				bid, err := h.sim.SeedBackup(id, b)
				if err != nil {
					t.Fatal(err)
				}
				ids[bid] = name
			}
			if err := h.sim.PutSchedule(id, map[string]any{"cronExpression": "0 2 * * *", "retentionDays": 1}); err != nil {
				t.Fatal(err)
			}
			started := h.sim.RunScheduler()
			var left []string
			for _, b := range h.sim.Backups(id) {
				if name, seeded := ids[b.ID]; seeded {
					left = append(left, name)
				}
			}
			slices.Sort(left)
			want := []string{"a day and a minute", "a day less a minute", "old failed scheduled", "old manual", "old scheduled"}
			if rel == Release2_3_0 {
				want = []string{"a day less a minute", "old manual"}
			}
			if !slices.Equal(left, want) {
				t.Errorf("seeded backups left %v, want %v", left, want)
			}
			if len(started) != 1 || !slices.ContainsFunc(h.sim.Backups(id), func(b Backup) bool { return b.ID == started[0] }) {
				t.Errorf("the run's own backup is gone: %v", started)
			}
		})
	}
}

func TestRelease2_3_0_goHelpers(t *testing.T) {
	h := newHarness(t, oldRelease)
	id := h.createDB(`{"name":"g","type":"postgres"}`)
	if err := h.sim.PutBackupPolicy(id, map[string]any{"preset": "lean"}); err == nil ||
		!strings.Contains(err.Error(), "2.3.0 has no retention policies") {
		t.Errorf("PutBackupPolicy: %v", err)
	}
	if _, _, ok := h.sim.BackupPolicy(id); ok {
		t.Error("BackupPolicy reports a policy")
	}
	if _, err := h.sim.SeedBackup(id, SeedBackup{Pinned: true}); err == nil || !strings.Contains(err.Error(), "no pinned backups") {
		t.Errorf("SeedBackup pinned: %v", err)
	}
	if _, err := h.sim.SeedBackup(id, SeedBackup{}); err != nil {
		t.Errorf("SeedBackup: %v", err)
	}
}

func TestOpenAPIListsTheReleasesRoutes(t *testing.T) {
	retention := []string{"/api/databases/{id}/backup-policy", "/api/databases/{id}/backup-policy/preview",
		"/api/databases/{id}/rotate", "/api/databases/{id}/backups/{backupId}/pin"}
	for _, rel := range []Release{ReleaseLatest, Release2_3_0} {
		t.Run(rel.String(), func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.Release = rel })
			res := h.mustCall("GET", "/openapi.json", "", nil)
			res.expectOK(t)
			if got := objectKeys(t, res.raw); !slices.Equal(got, []string{"openapi", "info", "components", "paths", "security"}) {
				t.Errorf("top-level keys %v", got)
			}
			res.expectFields(t, map[string]any{"openapi": "3.0.3", "info.title": "BRIDGEPORT API", "info.version": "1.0.0"})
			paths, _ := res.body["paths"].(map[string]any)
			for _, p := range retention {
				if _, listed := paths[p]; listed != (rel == ReleaseLatest) {
					t.Errorf("%s listed: %v", p, listed)
				}
			}
			// Every platform route the simulator serves, with its method;
			// the simulator's own convenience route is not the platform's.
			served := 1 // GET /health
			for _, r := range h.sim.routes {
				ops, _ := paths[r.pattern].(map[string]any)
				_, listed := ops[strings.ToLower(r.method)]
				if platform := r.key() != "DELETE /api/databases/{id}/backups/{backupId}"; listed != platform {
					t.Errorf("%s listed: %v", r.key(), listed)
				}
				if listed {
					served++
				}
			}
			listed := 0
			for _, ops := range paths {
				listed += len(ops.(map[string]any))
			}
			if listed != served {
				t.Errorf("%d operations listed, %d served", listed, served)
			}
			res.expectFields(t, map[string]any{
				"paths./api/databases/{id}/schedule.put.summary":         "Set the backup schedule for a database",
				"paths./api/databases/{id}/schedule.put.tags":            []any{"monitoring"},
				"paths./api/databases/{id}/schedule.put.parameters.0.in": "path",
			})
			if head := h.mustCall("HEAD", "/openapi.json", "", nil); head.status != 200 || len(head.raw) != 0 {
				t.Errorf("HEAD: %d with %d bytes", head.status, len(head.raw))
			}
			h.mustCall("POST", "/openapi.json", operatorTok, nil).expectError(t, 404, "NOT_FOUND", "Not found")
		})
	}
}

// TestOperationDocsCoverEveryPlatformRoute: a platform route added to the
// table without its summary would be missing from /openapi.json.
func TestOperationDocsCoverEveryPlatformRoute(t *testing.T) {
	keys := map[string]bool{}
	for _, r := range New(Options{Seed: 1}).routes {
		keys[r.key()] = true
		if _, ok := operationDocs[r.key()]; !ok && r.key() != "DELETE /api/databases/{id}/backups/{backupId}" {
			t.Errorf("%s has no summary", r.key())
		}
	}
	for k := range operationDocs {
		if !keys[k] {
			t.Errorf("summary of %s, which the simulator does not serve", k)
		}
	}
}

func TestParseRelease(t *testing.T) {
	for name, want := range map[string]Release{"": ReleaseLatest, "latest": ReleaseLatest, "2.3.0": Release2_3_0} {
		if got, err := ParseRelease(name); err != nil || got != want {
			t.Errorf("ParseRelease(%q) = %q, %v", name, got, err)
		}
		if got := New(Options{Release: want}).Release(); got != want {
			t.Errorf("Release() = %q, want %q", got, want)
		}
	}
	for _, name := range []string{"2.3", "3.0.0", "v2.3.0"} {
		if _, err := ParseRelease(name); err == nil || !strings.Contains(err.Error(), "latest, 2.3.0") {
			t.Errorf("ParseRelease(%q): %v", name, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("New took an unknown release")
		}
	}()
	New(Options{Release: "1.0.0"})
}
