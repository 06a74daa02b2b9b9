package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

const (
	testToken = "bport_pat_TESTTOKEN0123456789"
	testUA    = "terraform-provider-platform/1.2.3 terraform/1.9.0"
)

// seen is one request as the test server received it.
type seen struct {
	Method  string
	Path    string // escaped path
	Query   string
	Header  http.Header
	Body    string
	HasBody bool
}

// fakeAPI is an httptest server that records every request and answers
// with handler, which gets the 1-based number of the request.
type fakeAPI struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []seen
	handler func(w http.ResponseWriter, r *http.Request, n int)
}

func newFakeAPI(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, n int)) *fakeAPI {
	t.Helper()
	f := &fakeAPI{handler: handler}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, seen{
		Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: string(body), HasBody: len(body) > 0,
	})
	n := len(f.reqs)
	f.mu.Unlock()
	f.handler(w, r, n)
}

func (f *fakeAPI) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.reqs...)
}

func (f *fakeAPI) count() int { return len(f.requests()) }

func (f *fakeAPI) only(t *testing.T) seen {
	t.Helper()
	reqs := f.requests()
	if len(reqs) != 1 {
		t.Fatalf("want exactly 1 request, got %d: %+v", len(reqs), reqs)
	}
	return reqs[0]
}

// waits records the sleeps the client asked for without spending them.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// newTestClient talks to srv with tiny backoffs and recorded sleeps.
func newTestClient(t *testing.T, endpoint string, tweak ...func(*Config)) (*Client, *waits) {
	t.Helper()
	cfg := Config{
		Endpoint: endpoint, Token: testToken, UserAgent: testUA,
		MinBackoff: time.Millisecond, MaxBackoff: 8 * time.Millisecond, MaxRetries: 3,
	}
	for _, f := range tweak {
		f(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	w := &waits{}
	c.sleep = w.sleep
	return c, w
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if s, ok := v.(string); ok {
		_, _ = io.WriteString(w, s)
		return
	}
	_ = json.NewEncoder(w).Encode(v)
}

// reply answers every request with the same status and body.
func reply(status int, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, status, body) }
}

// hangUp drops the connection without answering, after reading the request.
func hangUp(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("response writer cannot hijack")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_ = conn.Close()
}

func ptr[T any](v T) *T { return &v }
