package simulator

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// backupHarness has a fake clock, so a test decides when backups finish.
func backupHarness(t *testing.T) (*harness, *fakeClock) {
	clock := newFakeClock()
	return newHarness(t, func(o *Options) { o.Now = clock.Now }), clock
}

const backupableDB = `{"name":"%s","type":"postgres","username":"u","password":"p","databaseName":"app"}`

func startBackup(t *testing.T, h *harness, dbID string) string {
	t.Helper()
	res := h.mustCall("POST", "/api/databases/"+dbID+"/backups", operatorTok, nil)
	res.expectOK(t)
	return res.str("backupId")
}

// TestBackupRunsAsynchronously: the row exists at once, in_progress, and
// completes after its run time.
func TestBackupRunsAsynchronously(t *testing.T) {
	h, clock := backupHarness(t)
	id := h.createDB(fmt.Sprintf(backupableDB, "async"))
	h.sim.SetBackupOutcome(id, CompletedAfter(5*time.Second))
	bid := startBackup(t, h, id)

	h.mustCall("GET", "/api/backups/"+bid, operatorTok, nil).expectFields(t, map[string]any{
		"backup.status": "in_progress", "backup.size": 0.0, "backup.completedAt": nil, "backup.duration": nil,
		"backup.type": "manual", "backup.error": nil,
	})
	clock.Advance(4 * time.Second)
	h.mustCall("GET", "/api/databases/"+id+"/backups", operatorTok, nil).expectFields(t, map[string]any{"backups.0.status": "in_progress"})
	clock.Advance(time.Second)
	got := h.mustCall("GET", "/api/backups/"+bid, operatorTok, nil)
	got.expectFields(t, map[string]any{"backup.status": "completed", "backup.progress": 100.0, "backup.duration": 5.0, "backup.error": nil})
	if got.at("backup", "size").(float64) <= 0 || got.str("backup", "completedAt") == "" {
		t.Fatalf("completed backup: %s", got.raw)
	}
}

// TestBackupFailure: a failed backup keeps its row with status failed,
// the progress its failed step began at (70 for the upload), size 0 and
// error as a JSON-encoded string.
func TestBackupFailure(t *testing.T) {
	h, clock := backupHarness(t)
	id := h.createDB(fmt.Sprintf(backupableDB, "fails"))
	h.sim.SetBackupOutcome(id, BackupOutcome{FailStep: StepUpload, Message: "Access Denied", Stderr: "upload failed", ExitCode: ptr(2)})
	bid := startBackup(t, h, id)
	clock.Advance(defaultBackupFailTime)

	got := h.mustCall("GET", "/api/databases/"+id+"/backups", operatorTok, nil)
	got.expectFields(t, map[string]any{"total": 1.0, "backups.0.id": bid, "backups.0.status": "failed",
		"backups.0.progress": 70.0, "backups.0.size": 0.0})
	raw, isString := got.at("backups", "0", "error").(string)
	if !isString {
		t.Fatalf("error is not a string: %s", got.raw)
	}
	if raw != `{"message":"Access Denied","step":"upload","stderr":"upload failed","exitCode":2}` {
		t.Fatalf("error string %s", raw)
	}
}

// TestBackupDefaultOutcomes: without a test's choice, backups fail the way
// the platform was seen failing them (with DumpAnyHost, as the harness
// sets it: reach_test.go has pg_dump's command line as the platform runs it).
func TestBackupDefaultOutcomes(t *testing.T) {
	h, clock := backupHarness(t)
	cases := []struct {
		body      string
		status    string
		wantError map[string]any
	}{
		{fmt.Sprintf(backupableDB, "pg"), "completed", nil},
		{`{"name":"pg-no-user","type":"postgres","databaseName":"app"}`, "failed",
			map[string]any{"step": "dump", "exitCode": 1.0, "message": `pg_dump: error: too many command-line arguments (first is "-f")`}},
		{`{"name":"cache","type":"redis"}`, "failed",
			map[string]any{"step": "connect", "message": "Unsupported database type or missing configuration: redis"}},
		{`{"name":"odd","type":"cockroach"}`, "failed",
			map[string]any{"step": "connect", "message": "Unsupported database type or missing configuration: cockroach"}},
		{`{"name":"docs","type":"mongodb"}`, "failed",
			map[string]any{"step": "dump", "exitCode": 127.0, "stderr": "/bin/sh: 1: mongodump: not found\n"}},
		{`{"name":"lite","type":"sqlite","filePath":"/data/app.db"}`, "completed", nil},
	}
	ids := make([]string, len(cases))
	for i, tc := range cases {
		ids[i] = h.createDB(tc.body)
		startBackup(t, h, ids[i])
	}
	clock.Advance(defaultBackupRunTime)
	for i, tc := range cases {
		t.Run(tc.body, func(t *testing.T) {
			b := h.sim.Backups(ids[i])[0]
			if b.Status != tc.status {
				t.Fatalf("status %s, want %s", b.Status, tc.status)
			}
			if tc.wantError == nil {
				if b.Error != nil {
					t.Fatalf("error %s", *b.Error)
				}
				return
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(*b.Error), &got); err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.wantError {
				if got[k] != v {
					t.Errorf("error.%s = %v, want %v (%s)", k, got[k], v, *b.Error)
				}
			}
		})
	}
}

// TestListBackupsPagination covers the list's limit/offset quirks.
func TestListBackupsPagination(t *testing.T) {
	h, clock := backupHarness(t)
	id := h.createDB(fmt.Sprintf(backupableDB, "many"))
	var newestFirst []string
	for i := 0; i < 60; i++ {
		newestFirst = append([]string{startBackup(t, h, id)}, newestFirst...)
		clock.Advance(time.Second)
	}
	failed, _ := h.sim.SeedBackup(id, SeedBackup{CreatedAt: clock.Now().Add(-30 * time.Hour), Status: BackupFailed,
		Error: ptr(BackupErrorString(StepConnect, "refused"))})
	all := append(append([]string{}, newestFirst...), failed) // the failed row is the oldest
	base := "/api/databases/" + id + "/backups"
	cases := []struct {
		query string
		want  []string // nil: a 500
	}{
		{"", all[:50]},
		{"?limit=1000", all},
		{"?limit=0", []string{}},
		{"?limit=-3", all[len(all)-3:]},
		{"?limit=2.5", all[:2]},
		{"?limit=2&offset=3", all[3:5]},
		{"?limit=5&offset=59", all[59:]},
		{"?limit=abc", nil},
		{"?offset=abc", nil},
		{"?offset=-1", nil},
		{"?limit=2&page=3&status=failed", all[:2]},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			res := h.mustCall("GET", base+tc.query, viewerTok, nil)
			if tc.want == nil {
				res.expectError(t, 500, "INTERNAL", "Internal Server Error")
				return
			}
			res.expectOK(t)
			got := []string{}
			for _, b := range res.at("backups").([]any) {
				got = append(got, b.(map[string]any)["id"].(string))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ids = %v, want %v", got, tc.want)
			}
			res.expectFields(t, map[string]any{"total": 61.0, "allowDownload": false})
		})
	}
}

// TestGetBackupCarriesSecrets: the single-backup read embeds the raw
// database row, encrypted credentials, nonce and SSH key included.
func TestGetBackupCarriesSecrets(t *testing.T) {
	h, _ := backupHarness(t)
	id := h.createDB(fmt.Sprintf(backupableDB, "secretive"))
	bid := startBackup(t, h, id)
	res := h.mustCall("GET", "/api/backups/"+bid, viewerTok, nil)
	res.expectOK(t)
	secrets := h.sim.BackupReadSecrets(id)
	res.expectFields(t, map[string]any{"allowDownload": false, "backup.id": bid, "backup.databaseId": id,
		"backup.database.id": id, "backup.database.encryptedCredentials": secrets[0],
		"backup.database.credentialsNonce": secrets[1], "backup.triggeredBy": nil})
	if key := res.str("backup", "database", "environment", "sshPrivateKey"); !strings.Contains(key, secrets[2]) {
		t.Fatalf("sshPrivateKey %q lacks %q", key, secrets[2])
	}
	if strings.Contains(string(res.raw), `"p"`) || res.has("backup", "database", "password") {
		t.Fatalf("the raw row must not carry the clear password: %s", res.raw)
	}
	h.mustCall("GET", "/api/backups/nope", viewerTok, nil).expectError(t, 404, "NOT_FOUND", "Backup not found")
}

// TestDeleteBackup: pinned backups are deleted too; a second delete is 404.
func TestDeleteBackup(t *testing.T) {
	h, _ := backupHarness(t)
	id := h.createDB(fmt.Sprintf(backupableDB, "del"))
	bid, _ := h.sim.SeedBackup(id, SeedBackup{Pinned: true, Kind: BackupManual})
	h.mustCall("DELETE", "/api/backups/"+bid, operatorTok, nil).expectOK(t)
	h.mustCall("DELETE", "/api/backups/"+bid, operatorTok, nil).expectError(t, 404, "NOT_FOUND", "Backup not found")
	h.mustCall("DELETE", "/api/backups/"+bid, viewerTok, nil).expectError(t, 403, "FORBIDDEN_ROLE", "")
	if n := len(h.sim.Backups(id)); n != 0 {
		t.Fatalf("%d backups left", n)
	}
}

// TestPinBackup covers the pin route: set and clear, idempotence, body
// validation before lookups, and the two 404s.
func TestPinBackup(t *testing.T) {
	h, clock := backupHarness(t)
	id := h.createDB(fmt.Sprintf(backupableDB, "pin"))
	other := h.createDB(fmt.Sprintf(backupableDB, "pin-other"))
	bid := startBackup(t, h, id)
	otherBid := startBackup(t, h, other)
	pinPath := "/api/databases/" + id + "/backups/" + bid + "/pin"

	pinned := h.mustCall("PUT", pinPath, operatorTok, `{"pinned":true}`)
	// The harness's tokens are service accounts', which pin as no user.
	pinned.expectFields(t, map[string]any{"backup.id": bid, "backup.isPinned": true, "backup.pinnedById": nil})
	at := pinned.str("backup", "pinnedAt")
	if at == "" {
		t.Fatalf("pin: %s", pinned.raw)
	}
	clock.Advance(time.Minute)
	again := h.mustCall("PUT", pinPath, operatorTok, `{"pinned":true}`)
	again.expectFields(t, map[string]any{"backup.isPinned": true, "backup.pinnedAt": at})
	h.mustCall("PUT", pinPath, operatorTok, `{"pinned":false}`).expectFields(t,
		map[string]any{"backup.isPinned": false, "backup.pinnedAt": nil, "backup.pinnedById": nil})

	for _, tc := range []struct {
		body any
		path []any
	}{{`{}`, []any{"pinned"}}, {`{"pinned":"true"}`, []any{"pinned"}}, {`"yes"`, []any{}}, {`1`, []any{}}, {nil, []any{}}} {
		t.Run(fmt.Sprint(tc.body), func(t *testing.T) {
			res := h.mustCall("PUT", "/api/databases/nope/backups/nope/pin", operatorTok, tc.body)
			res.expectError(t, 400, "VALIDATION_ERROR", "Invalid input")
			res.expectFields(t, map[string]any{"details.0.path": tc.path})
			if n := len(res.at("details").([]any)); n != 1 {
				t.Fatalf("%d details", n)
			}
		})
	}
	h.mustCall("PUT", "/api/databases/"+id+"/backups/"+otherBid+"/pin", operatorTok, `{"pinned":true}`).
		expectError(t, 404, "NOT_FOUND", "Backup not found")
	h.mustCall("PUT", "/api/databases/nope/backups/"+bid+"/pin", operatorTok, `{"pinned":true}`).
		expectError(t, 404, "NOT_FOUND", "Database not found")
	h.mustCall("PUT", pinPath, viewerTok, `{"pinned":true}`).expectError(t, 403, "FORBIDDEN_ROLE", "")
	h.mustCall("POST", pinPath, operatorTok, `{"pinned":true}`).expectError(t, 404, "NOT_FOUND", "")
}

// TestDatabaseDeleteRefusedByFailedBackup: any backup row blocks the
// database's delete, a failed one too.
func TestDatabaseDeleteRefusedByFailedBackup(t *testing.T) {
	h, clock := backupHarness(t)
	id := h.createDB(`{"name":"cache","type":"redis"}`)
	bid := startBackup(t, h, id)
	clock.Advance(defaultBackupFailTime)
	if b := h.sim.Backups(id)[0]; b.Status != BackupFailed {
		t.Fatalf("status %s", b.Status)
	}
	res := h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil)
	res.expectError(t, 400, "VALIDATION_ERROR", "Cannot delete database with existing backups. Delete backups first.")
	if res.str("requestId") == "" {
		t.Errorf("no requestId: %s", res.raw)
	}
	h.mustCall("DELETE", "/api/backups/"+bid, operatorTok, nil).expectOK(t)
	h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil).expectOK(t)
}

// TestBackupRoutesRefuseScopedTokens: every /api/databases/{id}/… and
// /api/backups/{id} route is "global" to an environment-scoped token.
func TestBackupRoutesRefuseScopedTokens(t *testing.T) {
	h, _ := backupHarness(t)
	id := h.createDB(fmt.Sprintf(backupableDB, "scoped"))
	bid := startBackup(t, h, id)
	const global = "Token is scoped to specific environments and cannot access global resources"
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/api/databases/" + id + "/backups", ""},
		{"POST", "/api/databases/" + id + "/backups", ""},
		{"GET", "/api/backups/" + bid, ""},
		{"DELETE", "/api/backups/" + bid, ""},
		{"PUT", "/api/databases/" + id + "/backups/" + bid + "/pin", `{"pinned":true}`},
	} {
		var body any
		if r.body != "" {
			body = r.body
		}
		for _, tok := range []string{scopedTok, scopedViewTok} {
			h.mustCall(r.method, r.path, tok, body).expectError(t, 403, "FORBIDDEN_SCOPE", global)
		}
	}
}
