package client

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

const (
	secretUser = "pg-admin-user-xyz"
	secretPass = "hunter2-very-secret"
	secretSSH  = "AAAAB3NzaC1yc2EAAAADAQABAAABAQ"
)

// leakyAPI behaves like a badly configured proxy/server that echoes
// everything back, so the test can only pass if the client redacts.
func leakyAPI(t *testing.T) *fakeAPI {
	return newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case r.Method == http.MethodPost && n == 1:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(503)
			_, _ = io.WriteString(w, "upstream echo: "+r.Header.Get("Authorization"))
		case r.Method == http.MethodPost:
			writeJSON(w, 200, `{"database":{"id":"d1","name":"orders-pg","hasCredentials":true,"username":"`+secretUser+
				`","password":"`+secretPass+`","token":"`+testToken+`"}}`)
		case r.Method == http.MethodPatch:
			w.WriteHeader(500)
			_, _ = io.WriteString(w, "<html>echo "+r.Header.Get("Authorization")+" "+secretUser+" "+secretPass+"</html>")
		default:
			writeJSON(w, 200, `{"environments":[{"id":"e1","name":"staging","sshPrivateKey":"-----BEGIN KEY-----`+secretSSH+`"}]}`)
		}
	})
}

func TestLogs_neverContainSecrets(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	f := leakyAPI(t)
	c, _ := newTestClient(t, f.URL)
	in := DatabaseInput{Name: ptr("orders-pg"), Type: ptr("postgres"), Username: ptr(secretUser), Password: ptr(secretPass)}

	_, createErr := c.CreateDatabase(ctx, "e1", in)
	mustOK(t, createErr)
	_, patchErr := c.UpdateDatabase(ctx, "d1", in)
	if !IsServerError(patchErr) {
		t.Fatalf("want the 500, got %v", patchErr)
	}
	_, listErr := c.ListEnvironments(ctx)
	mustOK(t, listErr)

	logs := buf.String()
	for _, want := range []string{
		`"@message":"platform API request"`, `"@message":"platform API response"`,
		`"@message":"platform API request body"`, `"@message":"platform API response body"`,
		`orders-pg`, `"@level":"warn"`, `"status":500`,
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s; the test would prove nothing:\n%s", want, logs)
		}
	}
	for _, secret := range []string{testToken, secretUser, secretPass, secretSSH, "Bearer bport"} {
		if strings.Contains(logs, secret) {
			t.Errorf("secret %q leaked into the logs:\n%s", secret, logs)
		}
		if strings.Contains(patchErr.Error(), secret) {
			t.Errorf("secret %q leaked into the error %q", secret, patchErr.Error())
		}
	}
	if t.Failed() {
		return
	}
	if !strings.Contains(patchErr.Error(), "Internal Server Error: <html>echo") {
		t.Errorf("error lost the body excerpt: %v", patchErr)
	}
}

func TestLogs_rateLimitWarning(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "58")
			writeJSON(w, 429, `{"code":"RATE_LIMITED","message":"Rate limit exceeded. Try again in 58 seconds.","requestId":"req-7"}`)
			return
		}
		writeJSON(w, 200, `{"database":{"id":"d1"}}`)
	})
	c, _ := newTestClient(t, f.URL)
	_, err := c.GetDatabase(ctx, "d1")
	mustOK(t, err)

	entries, err := tflogtest.MultilineJSONDecode(&buf)
	mustOK(t, err)
	warn := findEntry(entries, "warn", "rate limited by the platform API; waiting 58s before retrying")
	if warn == nil {
		t.Fatalf("no rate-limit warning in %v", entries)
	}
	want := map[string]any{"method": "GET", "path": "/api/databases/d1", "status": float64(429), "attempt": float64(1), "wait": "58s"}
	for k, v := range want {
		if warn[k] != v {
			t.Errorf("warning field %s = %#v, want %#v", k, warn[k], v)
		}
	}
	resp := findEntry(entries, "debug", "platform API response")
	if resp == nil || resp["status"] != float64(429) || resp["request_id"] != "req-7" || resp["duration_ms"] == nil {
		t.Errorf("response debug entry = %v", resp)
	}
}

func TestLogs_connectionRetryWarning(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			hangUp(t, w)
			return
		}
		writeJSON(w, 200, `{"environments":[]}`)
	})
	c, _ := newTestClient(t, f.URL)
	_, err := c.ListEnvironments(ctx)
	mustOK(t, err)
	entries, err := tflogtest.MultilineJSONDecode(&buf)
	mustOK(t, err)
	for _, e := range entries {
		if e["@level"] == "warn" {
			if e["error"] == nil || e["attempt"] != float64(1) || e["wait"] == nil || e["method"] != "GET" {
				t.Errorf("warning = %v", e)
			}
			return
		}
	}
	t.Errorf("no retry warning in %v", entries)
}

func TestRedactBody(t *testing.T) {
	got := redactBody([]byte(`{"name":"n","username":"u","password":"p","nested":[{"apiToken":"t","hasCredentials":true}],"Password":"P"}`))
	want := `{"Password":"***","name":"n","nested":[{"apiToken":"***","hasCredentials":true}],"password":"***","username":"***"}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := redactBody([]byte("not json")); got != "not json" {
		t.Errorf("non-JSON body = %q", got)
	}
	big := redactBody(bytes.Repeat([]byte("x"), maxLoggedBody+10))
	if len(big) > maxLoggedBody+64 || !strings.HasSuffix(big, "bytes in all)") {
		t.Errorf("big body not truncated: %d bytes", len(big))
	}
	if got := redactBody([]byte(`{"port":5432.5}`)); got != `{"port":5432.5}` {
		t.Errorf("numbers must survive: %s", got)
	}
}

func findEntry(entries []map[string]any, level, msg string) map[string]any {
	for _, e := range entries {
		if e["@level"] == level && e["@message"] == msg {
			return e
		}
	}
	return nil
}
