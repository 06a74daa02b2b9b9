package client

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNew_validatesEndpoint(t *testing.T) {
	tests := []struct {
		endpoint string
		want     string // "" means New must fail
	}{
		{"https://deploy.example.com", "https://deploy.example.com"},
		{"https://deploy.example.com/", "https://deploy.example.com"},
		{" http://127.0.0.1:3000// ", "http://127.0.0.1:3000"},
		{"https://example.com/platform/", "https://example.com/platform"},
		{"", ""},
		{"deploy.example.com", ""},
		{"/api", ""},
		{"ftp://deploy.example.com", ""},
		{"https://", ""},
		{"https://deploy.example.com/?x=1", ""},
		{"https://deploy.example.com/#frag", ""},
		{"://bad", ""},
		{"https://deploy.example.com:99999", ""},
		{"https://deploy.example.com:0", ""},
		{"https://:443", ""},
	}
	for _, tt := range tests {
		c, err := New(Config{Endpoint: tt.endpoint, Token: "t"})
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("New(%q) accepted an invalid endpoint", tt.endpoint)
		case tt.want != "" && err != nil:
			t.Errorf("New(%q): %v", tt.endpoint, err)
		case tt.want != "" && c.Endpoint() != tt.want:
			t.Errorf("New(%q).Endpoint() = %q, want %q", tt.endpoint, c.Endpoint(), tt.want)
		}
	}
}

func TestNew_requiresToken(t *testing.T) {
	if _, err := New(Config{Endpoint: "https://x.example"}); err == nil {
		t.Fatal("empty token accepted")
	}
}

func TestNew_rejectsNegativeDurations(t *testing.T) {
	if _, err := New(Config{Endpoint: "https://x.example", Token: "t", RequestTimeout: -time.Second}); err == nil {
		t.Fatal("negative timeout accepted")
	}
}

func TestNew_defaults(t *testing.T) {
	c, err := New(Config{Endpoint: "https://x.example", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if c.requestTimeout != 30*time.Second || c.maxRetries != 8 || c.minBackoff != 500*time.Millisecond ||
		c.maxBackoff != 30*time.Second || c.userAgent != "terraform-provider-platform" || c.http == nil {
		t.Errorf("defaults: %+v", c)
	}
	noRetry, _ := New(Config{Endpoint: "https://x.example", Token: "t", MaxRetries: -1})
	if noRetry.maxRetries != 0 {
		t.Errorf("MaxRetries -1 must disable retries, got %d", noRetry.maxRetries)
	}
	inverted, _ := New(Config{Endpoint: "https://x.example", Token: "t", MinBackoff: time.Second, MaxBackoff: time.Millisecond})
	if inverted.maxBackoff != time.Second {
		t.Errorf("MaxBackoff below MinBackoff must be raised, got %s", inverted.maxBackoff)
	}
}

func TestNew_usesGivenHTTPClient(t *testing.T) {
	var used atomic.Bool
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Store(true)
		return http.DefaultTransport.RoundTrip(r)
	})}
	f := newFakeAPI(t, reply(200, `{"environments":[]}`))
	c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.HTTPClient = hc })
	if _, err := c.ListEnvironments(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !used.Load() {
		t.Error("Config.HTTPClient was not used")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestHeaders_everyRequest(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, 200, `{"database":{"id":"d1"}}`)
		case http.MethodDelete:
			writeJSON(w, 200, `{"success":true}`)
		default:
			writeJSON(w, 200, `{"database":{"id":"d1"}}`)
		}
	})
	c, _ := newTestClient(t, f.URL)
	ctx := context.Background()
	mustOK(t, c.DeleteDatabase(ctx, "d1"))
	_, err := c.GetDatabase(ctx, "d1")
	mustOK(t, err)
	_, err = c.UpdateDatabase(ctx, "d1", DatabaseInput{Name: ptr("n")})
	mustOK(t, err)

	for _, r := range f.requests() {
		if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
			t.Errorf("%s: Authorization = %q", r.Method, got)
		}
		if got := r.Header.Get("User-Agent"); got != testUA {
			t.Errorf("%s: User-Agent = %q", r.Method, got)
		}
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("%s: Accept = %q", r.Method, got)
		}
		wantCT := ""
		if r.HasBody {
			wantCT = "application/json"
		}
		if got := r.Header.Get("Content-Type"); got != wantCT {
			t.Errorf("%s: Content-Type = %q, want %q (only with a body)", r.Method, got, wantCT)
		}
		if got := r.Header.Get("Idempotency-Key"); got != "" {
			t.Errorf("%s: unexpected Idempotency-Key %q", r.Method, got)
		}
	}
}

func TestEndpointPathPrefix(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"environments":[]}`))
	c, _ := newTestClient(t, f.URL+"/platform/")
	if _, err := c.ListEnvironments(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := f.only(t).Path; got != "/platform/api/environments" {
		t.Errorf("path = %q", got)
	}
}

func TestConnectionReuse(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		// A body larger than any internal buffer: reuse needs it drained.
		writeJSON(w, 200, `{"environments":[{"id":"e1","name":"`+strings.Repeat("x", 64<<10)+`"}]}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, srv.URL)
	for range 5 {
		if _, err := c.ListEnvironments(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := conns.Load(); got != 1 {
		t.Errorf("5 sequential requests opened %d connections, want 1", got)
	}
}

func TestRateLimitRecorded(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		w.Header().Set("X-Ratelimit-Limit", "100")
		w.Header().Set("X-Ratelimit-Remaining", "42")
		w.Header().Set("X-Ratelimit-Reset", "17")
		writeJSON(w, 200, `{"environments":[]}`)
	})
	c, _ := newTestClient(t, f.URL)
	if c.RateLimit().Known {
		t.Fatal("rate limit known before any request")
	}
	if _, err := c.ListEnvironments(context.Background()); err != nil {
		t.Fatal(err)
	}
	rl := c.RateLimit()
	if !rl.Known || rl.Limit != 100 || rl.Remaining != 42 || rl.Reset != 17*time.Second || rl.ObservedAt.IsZero() {
		t.Errorf("rate limit = %+v", rl)
	}
	if !rl.ResetAt().Equal(rl.ObservedAt.Add(17 * time.Second)) {
		t.Errorf("ResetAt = %s", rl.ResetAt())
	}
}

func TestEmptyIDsRefusedWithoutRequest(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{}`))
	c, _ := newTestClient(t, f.URL)
	ctx := context.Background()
	errs := []error{
		func() error { _, err := c.GetDatabase(ctx, ""); return err }(),
		func() error { _, err := c.UpdateDatabase(ctx, "", DatabaseInput{}); return err }(),
		c.DeleteDatabase(ctx, ""),
		func() error { _, err := c.CreateDatabase(ctx, "", DatabaseInput{}); return err }(),
		func() error { _, err := c.ListDatabases(ctx, "", 1, 0); return err }(),
		func() error { _, err := c.GetEnvironment(ctx, ""); return err }(),
		func() error { _, err := c.GetSchedule(ctx, ""); return err }(),
		func() error { _, err := c.PutSchedule(ctx, "", ScheduleInput{}); return err }(),
		c.DeleteSchedule(ctx, ""),
	}
	for i, err := range errs {
		if err == nil {
			t.Errorf("call %d accepted an empty id", i)
		}
	}
	if n := f.count(); n != 0 {
		t.Errorf("%d requests sent for empty ids", n)
	}
}

func TestSuccessBodyProblems(t *testing.T) {
	tests := map[string]string{
		"empty":       "",
		"not json":    "<html>ok</html>",
		"no database": `{"success":true}`,
		"wrong type":  `{"database":{"port":"5432"}}`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, reply(200, body))
			c, _ := newTestClient(t, f.URL)
			_, err := c.GetDatabase(context.Background(), "d1")
			if err == nil {
				t.Fatal("want an error")
			}
			if !strings.Contains(err.Error(), "GET /api/databases/d1") {
				t.Errorf("error does not name the request: %v", err)
			}
			if f.count() != 1 {
				t.Errorf("a bad 2xx body must not be retried, got %d requests", f.count())
			}
		})
	}
}

// The platform answers 200 with its web UI's page outside /api, so an
// endpoint with a path prefix gets HTML: the error says what to fix.
func TestHTMLAnswerNamesTheEndpoint(t *testing.T) {
	f := newFakeAPI(t, reply(200, "<!doctype html>\n<html><body>BridgePort</body></html>"))
	c, _ := newTestClient(t, f.URL)
	_, err := c.GetDatabase(context.Background(), "d1")
	if err == nil || !strings.Contains(err.Error(), "answered with an HTML page, not the platform's API") ||
		!strings.Contains(err.Error(), "base URL, without /api") {
		t.Fatalf("want the HTML-page error, got %v", err)
	}
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
