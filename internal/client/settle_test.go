package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The caller's context ends while the platform is still answering a
// create it has applied: one replay of the same Idempotency-Key returns the
// database, with the context's error, so the caller can record it.
func TestCreateDatabase_settlesAfterContextEnds(t *testing.T) {
	release := make(chan struct{})
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			<-release // applied, but the answer comes too late
		}
		writeJSON(w, 200, `{"database":{"id":"cdb1","name":"n"}}`)
	})
	defer close(release)
	c, _ := newTestClient(t, api.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	db, err := c.CreateDatabase(ctx, "e1", DatabaseInput{Name: ptr("n")})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline", err)
	}
	if db == nil || db.ID != "cdb1" {
		t.Fatalf("settled database = %+v", db)
	}
	reqs := api.requests()
	if len(reqs) != 2 || reqs[0].Header.Get("Idempotency-Key") == "" ||
		reqs[0].Header.Get("Idempotency-Key") != reqs[1].Header.Get("Idempotency-Key") {
		t.Fatalf("want the create replayed once with its own key, got %d requests", len(reqs))
	}
}

// A create whose context ended before anything was sent is not sent
// afterwards: the user interrupted it.
func TestCreateDatabase_notSettledWhenNeverSent(t *testing.T) {
	api := newFakeAPI(t, reply(200, `{"database":{"id":"cdb1","name":"n"}}`))
	c, _ := newTestClient(t, api.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	db, err := c.CreateDatabase(ctx, "e1", DatabaseInput{Name: ptr("n")})
	if db != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("db %+v, err %v", db, err)
	}
	if n := api.count(); n != 0 {
		t.Errorf("%d requests reached the platform after the context was cancelled", n)
	}
}

// Interrupted while waiting out a 429: the platform answered, so nothing
// was created and nothing is replayed.
func TestCreateDatabase_notSettledAfterAnsweredAttempt(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, 429, `{"code":"RATE_LIMITED","message":"Rate limit exceeded."}`)
	})
	c, _ := newTestClient(t, api.URL)
	ctx, cancel := context.WithCancel(context.Background())
	c.sleep = func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }
	db, err := c.CreateDatabase(ctx, "e1", DatabaseInput{Name: ptr("n")})
	if db != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("db %+v, err %v", db, err)
	}
	if n := api.count(); n != 1 {
		t.Errorf("%d requests, want only the answered one", n)
	}
}

// The replay may find the first request still running on the platform; it
// waits for it instead of giving up.
func TestCreateDatabase_settleWaitsForKeyInProgress(t *testing.T) {
	release := make(chan struct{})
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 1:
			<-release
		case 2:
			writeJSON(w, 409, `{"code":"CONFLICT","message":"A request with this Idempotency-Key is still in progress","field":"Idempotency-Key"}`)
			return
		}
		writeJSON(w, 200, `{"database":{"id":"cdb1","name":"n"}}`)
	})
	defer close(release)
	c, _ := newTestClient(t, api.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	db, err := c.CreateDatabase(ctx, "e1", DatabaseInput{Name: ptr("n")})
	if db == nil || db.ID != "cdb1" || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("db %+v, err %v", db, err)
	}
	if n := api.count(); n != 3 {
		t.Errorf("%d requests, want the create, the in-progress replay and the settled replay", n)
	}
}

// A backup create whose answer comes too late is settled like a database
// create: the replay of its key returns the backup the platform started,
// so the caller can name (or record) it.
func TestCreateBackup_settlesAfterContextEnds(t *testing.T) {
	release := make(chan struct{})
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			<-release
		}
		writeJSON(w, 200, `{"backupId":"bk1","message":"Backup started"}`)
	})
	defer close(release)
	c, _ := newTestClient(t, api.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	id, err := c.CreateBackup(ctx, "d1")
	if !errors.Is(err, context.DeadlineExceeded) || id != "bk1" {
		t.Fatalf("id %q, err %v; want the settled backup with the deadline", id, err)
	}
	reqs := api.requests()
	if len(reqs) != 2 || reqs[0].Path != "/api/databases/d1/backups" || reqs[0].Header.Get("Idempotency-Key") == "" ||
		reqs[0].Header.Get("Idempotency-Key") != reqs[1].Header.Get("Idempotency-Key") {
		t.Fatalf("want the create replayed once with its own key, got %+v", reqs)
	}
}

// When the settling replay fails too, the error says a backup may exist
// unknown to Terraform, and keeps the context's error.
func TestCreateBackup_settleFailureSaysSo(t *testing.T) {
	release := make(chan struct{})
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			<-release
			return
		}
		writeJSON(w, 404, `{"code":"NOT_FOUND","message":"Database not found"}`)
	})
	defer close(release)
	c, _ := newTestClient(t, api.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	id, err := c.CreateBackup(ctx, "d1")
	if id != "" || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "a backup may exist on the platform") {
		t.Fatalf("id %q, err %v", id, err)
	}
}

// A lost answer within the caller's time is retried with the same key, so
// the platform replays the first backup's id instead of starting another.
func TestCreateBackup_retryKeepsTheKey(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			writeJSON(w, 503, `{"code":"SERVICE_UNAVAILABLE","message":"busy"}`)
			return
		}
		writeJSON(w, 200, `{"backupId":"bk1","message":"Backup started"}`)
	})
	c, _ := newTestClient(t, api.URL)
	id, err := c.CreateBackup(context.Background(), "d1")
	mustOK(t, err)
	reqs := api.requests()
	if id != "bk1" || len(reqs) != 2 || reqs[0].Header.Get("Idempotency-Key") != reqs[1].Header.Get("Idempotency-Key") {
		t.Fatalf("id %q, %d requests", id, len(reqs))
	}
}
