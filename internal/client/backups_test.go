package client

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestBackupFailure_decodesTheJSONEncodedString(t *testing.T) {
	cases := []struct {
		name  string
		error *string
		want  *BackupFailure
	}{
		{"none", nil, nil},
		{"empty", ptr(""), nil},
		{"connect", ptr(`{"message":"Unsupported database type or missing configuration: redis","step":"connect"}`),
			&BackupFailure{Message: "Unsupported database type or missing configuration: redis", Step: "connect"}},
		{"dump with stderr and exit code", ptr(`{"message":"mongodump failed","step":"dump","stderr":"/bin/sh: 1: mongodump: not found","exitCode":127}`),
			&BackupFailure{Message: "mongodump failed", Step: "dump", Stderr: "/bin/sh: 1: mongodump: not found", ExitCode: ptr(int64(127))}},
		{"not JSON", ptr("disk full"), &BackupFailure{Message: "disk full"}},
		{"JSON without message", ptr(`{"step":"upload"}`), &BackupFailure{Message: `{"step":"upload"}`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := (&Backup{Error: tc.error}).Failure(); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Failure() = %+v, want %+v", deref(got), deref(tc.want))
			}
		})
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestCreateBackup_sendsAnIdempotencyKey(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			writeJSON(w, 503, `{"code":"SERVICE_UNAVAILABLE","message":"Internal Server Error"}`)
			return
		}
		writeJSON(w, 200, `{"backupId":"b1","message":"Backup started"}`)
	})
	c, _ := newTestClient(t, f.URL)
	id, err := c.CreateBackup(context.Background(), "d1")
	mustOK(t, err)
	reqs := f.requests()
	if id != "b1" || len(reqs) != 2 || reqs[0].Path != "/api/databases/d1/backups" || reqs[0].HasBody {
		t.Fatalf("id %q, requests %+v", id, reqs)
	}
	if k := reqs[0].Header.Get("Idempotency-Key"); k == "" || reqs[1].Header.Get("Idempotency-Key") != k {
		t.Fatalf("the retry must repeat the key: %q %q", k, reqs[1].Header.Get("Idempotency-Key"))
	}
}

// TestListAllBackups pages by the items received, with one request per
// page and none per backup.
func TestListAllBackups(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		offset := r.URL.Query().Get("offset")
		var items []string
		switch offset {
		case "0":
			items = []string{`{"id":"b3","size":"12"}`, `{"id":"b2","size":10}`}
		case "2":
			items = []string{`{"id":"b1","size":null,"status":"failed"}`}
		}
		writeJSON(w, 200, `{"backups":[`+strings.Join(items, ",")+`],"total":3,"allowDownload":false}`)
	})
	c, _ := newTestClient(t, f.URL)
	all, err := c.ListAllBackups(context.Background(), "d1", 2)
	mustOK(t, err)
	var ids []string
	for _, b := range all {
		ids = append(ids, b.ID)
	}
	if strings.Join(ids, ",") != "b3,b2,b1" || *all[0].Size != 12 || all[2].Size != nil {
		t.Fatalf("backups %+v", all)
	}
	reqs := f.requests()
	if len(reqs) != 2 || reqs[0].Query != "limit=2&offset=0" || reqs[1].Query != "limit=2&offset=2" {
		t.Fatalf("requests %+v", reqs)
	}
}

func TestListAllBackups_shortListIsAnError(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"backups":[],"total":4}`))
	c, _ := newTestClient(t, f.URL)
	if _, err := c.ListAllBackups(context.Background(), "d1", 0); err == nil || !strings.Contains(err.Error(), "announced 4") {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.ListBackups(context.Background(), "d1", -3, 0); err == nil {
		t.Fatal("a negative limit would list the oldest backups; it must be refused")
	}
}

func TestPinBackup_sendsTheFlag(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"backup":{"id":"b1","isPinned":true,"pinnedAt":"2026-01-01T00:00:00.000Z"}}`))
	c, _ := newTestClient(t, f.URL)
	b, err := c.PinBackup(context.Background(), "d1", "b1", true)
	mustOK(t, err)
	r := f.only(t)
	if r.Method != http.MethodPut || r.Path != "/api/databases/d1/backups/b1/pin" || r.Body != `{"pinned":true}` || !b.IsPinned {
		t.Fatalf("request %+v, backup %+v", r, b)
	}
}

func TestDeleteBackup_notFound(t *testing.T) {
	f := newFakeAPI(t, reply(404, `{"code":"NOT_FOUND","message":"Backup not found","requestId":"req-1"}`))
	c, _ := newTestClient(t, f.URL)
	if err := c.DeleteBackup(context.Background(), "db1", "b1"); !IsNotFound(err) {
		t.Fatalf("err = %v", err)
	}
	if r := f.only(t); r.Method != http.MethodDelete || r.Path != "/api/backups/b1" {
		t.Fatalf("request %+v", r)
	}
}

// TestWaitForBackup polls with a growing wait until the backup finished,
// shows the observer every state before the last, and returns a failed
// backup without an error.
func TestWaitForBackup(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		status, errField := "in_progress", "null"
		if n == 4 {
			status, errField = "failed", `"{\"message\":\"refused\",\"step\":\"connect\"}"`
		}
		writeJSON(w, 200, fmt.Sprintf(`{"backup":{"id":"b1","status":%q,"error":%s},"allowDownload":false}`, status, errField))
	})
	c, w := newTestClient(t, f.URL)
	var observed []string
	b, err := c.WaitForBackup(context.Background(), "b1", func(b *Backup) { observed = append(observed, b.Status) })
	mustOK(t, err)
	if b.Status != BackupFailed || b.Failure().Step != "connect" || f.count() != 4 {
		t.Fatalf("backup %+v after %d polls", b, f.count())
	}
	if fmt.Sprint(observed) != "[in_progress in_progress in_progress]" {
		t.Errorf("observed %v, want the three polls before the last", observed)
	}
	want := []time.Duration{backupPollFirst, 2 * backupPollFirst, 4 * backupPollFirst, 8 * backupPollFirst}
	if fmt.Sprint(w.all()) != fmt.Sprint(want) {
		t.Fatalf("waits %v, want %v", w.all(), want)
	}
}

func TestWaitForBackup_endsWithTheContext(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"backup":{"id":"b1","status":"in_progress"}}`))
	c, _ := newTestClient(t, f.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.WaitForBackup(ctx, "b1", nil); !isCanceled(err) {
		t.Fatalf("err = %v", err)
	}
}

func isCanceled(err error) bool {
	return err != nil && strings.Contains(err.Error(), context.Canceled.Error())
}

const (
	backupCiphertext = "c2ltdWxhdGVkLWNpcGhlcnRleHQ6ZDE="
	backupNonce      = "bm9uY2U6ZDE="
	backupSSHKey     = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU"
)

// backupReadBody is GET /api/backups/{id} as the platform answers it: the
// backup with its raw database row, secrets included.
var backupReadBody = `{"backup":{"id":"b1","filename":"orders.sql","status":"completed","isPinned":false,
"database":{"id":"d1","name":"orders","encryptedCredentials":"` + backupCiphertext + `","credentialsNonce":"` + backupNonce + `",
"environment":{"id":"e1","name":"prod","sshPrivateKey":"-----BEGIN OPENSSH PRIVATE KEY-----\n` + backupSSHKey + `\n-----END OPENSSH PRIVATE KEY-----"}},
"triggeredBy":null},"allowDownload":false}`

// TestLogs_neverContainABackupsDatabaseRow: TRACE logging of a backup read
// drops the embedded database row, and the row's secret fields are masked
// wherever else they appear (a list, an echoing proxy).
func TestLogs_neverContainABackupsDatabaseRow(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if strings.HasPrefix(r.URL.Path, "/api/backups/") {
			writeJSON(w, 200, backupReadBody)
			return
		}
		// A list whose rows (unlike the platform's) carry the secrets at top level.
		writeJSON(w, 200, `{"backups":[{"id":"b1","encryptedCredentials":"`+backupCiphertext+`","credentialsNonce":{"v":"`+
			backupNonce+`"},"sshPrivateKey":"`+backupSSHKey+`"}],"total":1}`)
	})
	c, _ := newTestClient(t, f.URL)
	b, err := c.GetBackup(ctx, "b1")
	mustOK(t, err)
	_, err = c.ListBackups(ctx, "d1", 10, 0)
	mustOK(t, err)

	logs := buf.String()
	for _, want := range []string{`"@message":"platform API response body"`, `orders.sql`, omittedBackupDatabase, `\"encryptedCredentials\":\"***\"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s; the test would prove nothing:\n%s", want, logs)
		}
	}
	for _, secret := range []string{backupCiphertext, backupNonce, backupSSHKey, "BEGIN OPENSSH"} {
		if strings.Contains(logs, secret) {
			t.Errorf("secret %q leaked into the logs:\n%s", secret, logs)
		}
		if strings.Contains(fmt.Sprintf("%+v", *b), secret) {
			t.Errorf("secret %q decoded into the backup %+v", secret, *b)
		}
	}
}

func TestRedactBody_keepsCountsAndDatabaseEnvelopes(t *testing.T) {
	got := redactBody([]byte(`{"database":{"id":"d1","hasCredentials":true},"_count":{"secrets":3},"backup":{"database":null}}`))
	for _, want := range []string{`"database":{"hasCredentials":true,"id":"d1"}`, `"secrets":3`, `"backup":{"database":null}`} {
		if !strings.Contains(got, want) {
			t.Errorf("redacted %s lacks %s", got, want)
		}
	}
}
