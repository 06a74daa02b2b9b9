package client

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestTestConnection_success(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"success":true,"latencyMs":12,"serverVersion":"PostgreSQL 16.2 on x86_64-pc-linux-gnu"}`))
	c, _ := newTestClient(t, f.URL)
	got, err := c.TestConnection(context.Background(), "e1", "d1")
	mustOK(t, err)
	r := f.only(t)
	if r.Method != http.MethodPost || r.Path != "/api/environments/e1/databases/d1/test-connection" || r.HasBody ||
		r.Header.Get("Idempotency-Key") == "" {
		t.Fatalf("request %+v", r)
	}
	if !got.Success || got.LatencyMs == nil || *got.LatencyMs != 12 || got.ServerVersion == nil ||
		!strings.HasPrefix(*got.ServerVersion, "PostgreSQL 16.2") || got.Error != nil {
		t.Errorf("got %s", dump(got))
	}
}

// A failed connection is a 200 with success false, not an error: the
// caller words it.
func TestTestConnection_failureIsAnAnswer(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"success":false,"latencyMs":null,"error":"connect ECONNREFUSED 127.0.0.1:1"}`))
	c, _ := newTestClient(t, f.URL)
	got, err := c.TestConnection(context.Background(), "e1", "d1")
	mustOK(t, err)
	if got.Success || got.LatencyMs != nil || got.Error == nil || *got.Error != "connect ECONNREFUSED 127.0.0.1:1" {
		t.Errorf("got %s", dump(got))
	}
}

// An answer without success is not taken for a failed (or a working)
// connection.
func TestTestConnection_answerWithoutSuccess(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"latencyMs":3}`))
	c, _ := newTestClient(t, f.URL)
	if _, err := c.TestConnection(context.Background(), "e1", "d1"); err == nil || !strings.Contains(err.Error(), `no "success"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestTestConnection_refusals(t *testing.T) {
	for name, tc := range map[string]struct {
		status int
		body   string
		is     func(error) bool
	}{
		"viewer":   {403, `{"code":"FORBIDDEN_ROLE","message":"This action requires operator or admin role"}`, IsForbiddenRole},
		"scope":    {403, `{"code":"FORBIDDEN_SCOPE","message":"Token is not scoped to this environment"}`, IsForbiddenScope},
		"notFound": {404, `{"code":"NOT_FOUND","message":"Database not found"}`, IsNotFound},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, reply(tc.status, tc.body))
			c, _ := newTestClient(t, f.URL)
			if _, err := c.TestConnection(context.Background(), "e1", "d1"); !tc.is(err) {
				t.Fatalf("err = %v", err)
			}
			if n := f.count(); n != 1 {
				t.Errorf("%d requests; a refusal is not retried", n)
			}
		})
	}
	c, _ := newTestClient(t, "http://127.0.0.1:1")
	if _, err := c.TestConnection(context.Background(), "", "d1"); err == nil {
		t.Error("an empty environment id must be refused before any request")
	}
}
