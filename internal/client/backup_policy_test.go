package client

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"
)

const policyGetBody = `{"effective":{"keepLast":24,"daily":7,"weekly":4,"monthly":6,"yearly":0,"minFloor":2,"maxTotalBytes":null,
	"preset":"balanced","source":"inherited","autoApplied":false},"override":null,
	"globalDefault":{"keepLast":24,"daily":7,"weekly":4,"monthly":6,"yearly":0,"minFloor":2,"maxTotalBytes":null,
	"preset":"balanced","source":"inherited","autoApplied":false},"source":"inherited"}`

func TestGetBackupPolicy(t *testing.T) {
	f := newFakeAPI(t, reply(200, policyGetBody))
	c, _ := newTestClient(t, f.URL)
	got, err := c.GetBackupPolicy(context.Background(), "db/1")
	mustOK(t, err)
	want := BackupPolicy{Preset: "balanced", KeepLast: 24, Daily: 7, Weekly: 4, Monthly: 6, MinFloor: 2, Source: "inherited"}
	if got.Effective != want || got.Override != nil || got.Source != "inherited" || got.GlobalDefault == nil {
		t.Errorf("got %s", dump(got))
	}
	if r := f.only(t); r.Method != http.MethodGet || r.Path != "/api/databases/db%2F1/backup-policy" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	if _, err := c.GetBackupPolicy(context.Background(), ""); err == nil {
		t.Error("empty id accepted")
	}
}

// The PUT always carries preset, all six tiers and maxTotalBytes (null
// clears the cap): the platform replaces the whole policy.
func TestPutBackupPolicy_sendsWholePolicy(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"override":{"id":"o1","databaseId":"d1","inheritGlobal":false,"preset":"custom","autoApplied":false,
		"keepLast":3,"daily":2,"weekly":1,"monthly":0,"yearly":0,"minFloor":1,"maxTotalBytes":null,"createdAt":"c","updatedAt":"u"},
		"rotation":{"keep":["b1"],"prune":["b2","b3"],"bytesFreed":2000,"cappedButUnreachable":false}}`))
	c, _ := newTestClient(t, f.URL)
	got, err := c.PutBackupPolicy(context.Background(), "d1", BackupPolicyInput{Preset: "custom", KeepLast: 3, Daily: 2, Weekly: 1, MinFloor: 1})
	mustOK(t, err)
	if got.Override.ID != "o1" || got.Override.KeepLast != 3 || !reflect.DeepEqual(got.Rotation.Prune, []string{"b2", "b3"}) || got.Rotation.BytesFreed != 2000 {
		t.Errorf("got %s", dump(got))
	}
	r := f.only(t)
	want := `{"preset":"custom","keepLast":3,"daily":2,"weekly":1,"monthly":0,"yearly":0,"minFloor":1,"maxTotalBytes":null}`
	if r.Method != http.MethodPut || r.Path != "/api/databases/d1/backup-policy" || r.Body != want {
		t.Errorf("request = %s %s %s", r.Method, r.Path, r.Body)
	}

	capBytes := int64(5000)
	_, _ = c.PutBackupPolicy(context.Background(), "d1", BackupPolicyInput{Preset: "lean", KeepLast: 12, MinFloor: 2, MaxTotalBytes: &capBytes, Confirm: true})
	if body := f.requests()[1].Body; body != `{"preset":"lean","keepLast":12,"daily":0,"weekly":0,"monthly":0,"yearly":0,"minFloor":2,"maxTotalBytes":5000,"confirm":true}` {
		t.Errorf("body = %s", body)
	}
}

// The confirmation answer is a 409 without an error envelope; it becomes a
// typed error carrying the dry run, and is not retried.
func TestPutBackupPolicy_confirmationRequired(t *testing.T) {
	f := newFakeAPI(t, reply(409, `{"confirmationRequired":true,"preview":{"keep":[{"id":"k","filename":"k.sql","createdAt":"2026-01-02T00:00:00.000Z","size":1}],
		"prune":[{"id":"p1","filename":"p1.sql","createdAt":"2026-01-01T00:00:00.000Z","size":100},{"id":"p2","filename":"p2.sql","createdAt":"2025-12-31T00:00:00.000Z","size":200}],
		"bytesFreed":300}}`))
	c, _ := newTestClient(t, f.URL)
	_, err := c.PutBackupPolicy(context.Background(), "d1", BackupPolicyInput{Preset: "lean", KeepLast: 12, MinFloor: 2})
	ce, ok := IsConfirmationRequired(err)
	if !ok {
		t.Fatalf("want ConfirmationRequiredError, got %T %v", err, err)
	}
	if len(ce.Prune) != 2 || ce.Prune[1].ID != "p2" || ce.BytesFreed != 300 || len(ce.Keep) != 1 {
		t.Errorf("got %s", dump(ce))
	}
	if _, isAPI := AsAPIError(err); isAPI {
		t.Error("confirmation surfaced as an APIError")
	}
	if want := "PUT /api/databases/d1/backup-policy: 409: the platform asks for confirmation before deleting 2 backup(s) (300 bytes); nothing was changed"; err.Error() != want {
		t.Errorf("Error() = %q", err.Error())
	}
	if f.count() != 1 {
		t.Errorf("%d requests", f.count())
	}
}

func TestPutBackupPolicy_otherErrors(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		code       string
	}{
		{"a 409 envelope stays an APIError", `{"code":"CONFLICT","message":"busy","requestId":"req-9"}`, 409, "CONFLICT"},
		{"validation", `{"code":"VALIDATION_ERROR","message":"Invalid input","details":[{"path":["keepLast"],"code":"too_big","message":"Too big"}]}`, 400, "VALIDATION_ERROR"},
		{"unknown database", `{"code":"NOT_FOUND","message":"Database not found"}`, 404, "NOT_FOUND"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, reply(tc.status, tc.body))
			c, _ := newTestClient(t, f.URL)
			_, err := c.PutBackupPolicy(context.Background(), "d1", BackupPolicyInput{Preset: "lean"})
			e, ok := AsAPIError(err)
			if !ok || e.Status != tc.status || e.Code != tc.code {
				t.Fatalf("got %T %v", err, err)
			}
			if _, isConfirm := IsConfirmationRequired(err); isConfirm {
				t.Error("reported as a confirmation")
			}
		})
	}
}

func TestDeleteBackupPolicy(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"effective":{"keepLast":24,"daily":7,"weekly":4,"monthly":6,"yearly":0,"minFloor":2,"maxTotalBytes":null,"preset":"balanced","source":"inherited","autoApplied":false},"source":"inherited"}`))
	c, _ := newTestClient(t, f.URL)
	got, err := c.DeleteBackupPolicy(context.Background(), "d1")
	mustOK(t, err)
	if got.Preset != "balanced" || got.Source != "inherited" {
		t.Errorf("got %s", dump(got))
	}
	if r := f.only(t); r.Method != http.MethodDelete || r.Path != "/api/databases/d1/backup-policy" || r.HasBody {
		t.Errorf("request = %s %s %q", r.Method, r.Path, r.Body)
	}
}

// The preview is a POST that changes nothing: it never sends confirm, and
// its Idempotency-Key lets a 503 be retried.
func TestPreviewBackupPolicy(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			writeJSON(w, 503, `{"code":"SERVICE_UNAVAILABLE","message":"Internal Server Error"}`)
			return
		}
		writeJSON(w, 200, `{"policy":{"keepLast":12,"daily":7,"weekly":4,"monthly":0,"yearly":0,"minFloor":2,"maxTotalBytes":null,"preset":"lean","source":"override","autoApplied":false},
			"keep":[],"prune":[{"id":"p1","filename":"p1.sql","createdAt":"2026-01-01T00:00:00.000Z","size":100}],"bytesFreed":100,"cappedButUnreachable":true}`)
	})
	c, _ := newTestClient(t, f.URL)
	got, err := c.PreviewBackupPolicy(context.Background(), "d1", BackupPolicyInput{Preset: "lean", KeepLast: 12, MinFloor: 2, Confirm: true})
	mustOK(t, err)
	if got.Policy.Preset != "lean" || len(got.Prune) != 1 || got.BytesFreed != 100 || !got.CappedButUnreachable || got.Keep == nil {
		t.Errorf("got %s", dump(got))
	}
	reqs := f.requests()
	if len(reqs) != 2 || reqs[1].Method != http.MethodPost || reqs[1].Path != "/api/databases/d1/backup-policy/preview" {
		t.Fatalf("requests %+v", reqs)
	}
	key := reqs[0].Header.Get("Idempotency-Key")
	if key == "" || reqs[1].Header.Get("Idempotency-Key") != key {
		t.Error("retry without the same Idempotency-Key")
	}
	if want := `{"preset":"lean","keepLast":12,"daily":0,"weekly":0,"monthly":0,"yearly":0,"minFloor":2,"maxTotalBytes":null}`; reqs[1].Body != want {
		t.Errorf("body = %s", reqs[1].Body)
	}
}

func TestConfirmationRequiredWrapped(t *testing.T) {
	inner := &ConfirmationRequiredError{Method: "PUT", Path: "/x"}
	if e, ok := IsConfirmationRequired(errors.Join(errors.New("ctx"), inner)); !ok || e != inner {
		t.Error("wrapped confirmation not found")
	}
	if _, ok := IsConfirmationRequired(nil); ok {
		t.Error("nil is a confirmation")
	}
}

// The current policy is previewed without a body: any body, even {}, makes
// the platform preview an override instead.
func TestPreviewCurrentBackupPolicy_sendsNoBody(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"policy":{"keepLast":24,"daily":7,"weekly":4,"monthly":6,"yearly":0,"minFloor":2,"maxTotalBytes":null,"preset":"balanced","source":"inherited","autoApplied":false},
		"keep":[{"id":"k1","filename":"k1.sql","createdAt":"2026-01-02T00:00:00.000Z","size":10}],"prune":[],"bytesFreed":0,"cappedButUnreachable":false}`))
	c, _ := newTestClient(t, f.URL)
	got, err := c.PreviewCurrentBackupPolicy(context.Background(), "d1")
	mustOK(t, err)
	r := f.only(t)
	if r.Method != http.MethodPost || r.Path != "/api/databases/d1/backup-policy/preview" || r.HasBody || r.Header.Get("Idempotency-Key") == "" {
		t.Fatalf("request %+v", r)
	}
	if got.Policy.Source != "inherited" || len(got.Keep) != 1 || len(got.Prune) != 0 {
		t.Errorf("got %s", dump(got))
	}
}

// A rotation's answer, errors included; its retry after a lost answer
// replays the same key, so the platform answers with the first rotation.
func TestRotateBackups(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			writeJSON(w, 503, `{"code":"SERVICE_UNAVAILABLE","message":"Internal Server Error"}`)
			return
		}
		writeJSON(w, 200, `{"keep":["k1"],"prune":["p1"],"bytesFreed":100,"cappedButUnreachable":false,
			"errors":[{"backupId":"p2","error":"SSH key not configured for this environment"}]}`)
	})
	c, _ := newTestClient(t, f.URL)
	got, err := c.RotateBackups(context.Background(), "d1")
	mustOK(t, err)
	want := &BackupRotation{Keep: []string{"k1"}, Prune: []string{"p1"}, BytesFreed: 100,
		Errors: []RotationError{{BackupID: "p2", Error: "SSH key not configured for this environment"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %s", dump(got))
	}
	reqs := f.requests()
	if len(reqs) != 2 || reqs[1].Method != http.MethodPost || reqs[1].Path != "/api/databases/d1/rotate" || reqs[1].HasBody ||
		reqs[0].Header.Get("Idempotency-Key") == "" || reqs[0].Header.Get("Idempotency-Key") != reqs[1].Header.Get("Idempotency-Key") {
		t.Fatalf("requests %+v", reqs)
	}
}

func TestRotateBackups_viewerRefused(t *testing.T) {
	f := newFakeAPI(t, reply(403, `{"code":"FORBIDDEN_ROLE","message":"This action requires operator or admin role","requestId":"req-1"}`))
	c, _ := newTestClient(t, f.URL)
	if _, err := c.RotateBackups(context.Background(), "d1"); !IsForbiddenRole(err) {
		t.Fatalf("err = %v", err)
	}
	if n := f.count(); n != 1 {
		t.Errorf("%d requests; a refusal is not retried", n)
	}
}
