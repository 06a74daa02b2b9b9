package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	adminTok      = "bport_pat_test_admin"
	operatorTok   = "bport_pat_test_operator"
	viewerTok     = "bport_pat_test_viewer"
	scopedTok     = "bport_pat_test_scoped"      // operator, environment "main" only
	scopedViewTok = "bport_pat_test_scoped_view" // viewer, environment "main" only
)

// harness is a simulator served over real HTTP/1.1, with two environments
// ("main" and "other") and one token per role.
type harness struct {
	t      testing.TB
	sim    *Simulator
	url    string
	client *http.Client
	env    string // id of "main"
	other  string // id of "other"
}

func newHarness(t testing.TB, mutate ...func(*Options)) *harness {
	t.Helper()
	opts := Options{
		Tokens: []Token{
			{Value: adminTok, Role: RoleAdmin},
			{Value: operatorTok, Role: RoleOperator},
			{Value: viewerTok, Role: RoleViewer},
			{Value: scopedTok, Role: RoleOperator, Environments: []string{"main"}},
			{Value: scopedViewTok, Role: RoleViewer, Environments: []string{"main"}},
		},
		Environments: []string{"main", "other"},
		Seed:         1,
		// Most tests' databases live on made-up hosts; the tests of
		// dialling (reach_test.go) turn this off.
		DumpAnyHost: true,
	}
	for _, m := range mutate {
		m(&opts)
	}
	sim := New(opts)
	url, stop := sim.Start()
	t.Cleanup(stop)
	tr := &http.Transport{DisableKeepAlives: true} // a dropped connection must surface, never be retried
	t.Cleanup(tr.CloseIdleConnections)
	return &harness{t: t, sim: sim, url: url, client: &http.Client{Transport: tr, Timeout: 10 * time.Second},
		env: sim.EnvironmentID("main"), other: sim.EnvironmentID("other")}
}

// result is a decoded response.
type result struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
	err    error // transport error (dropped connection)
}

// call sends a request; body is a raw JSON string, or any value to marshal,
// or nil for none. hdr are "Name: value" pairs.
func (h *harness) call(method, path, token string, body any, hdr ...string) result {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.url+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, kv := range hdr {
		k, v, _ := strings.Cut(kv, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return result{err: err}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	res := result{status: resp.StatusCode, header: resp.Header, raw: raw}
	_ = json.Unmarshal(raw, &res.body)
	return res
}

func (h *harness) mustCall(method, path, token string, body any, hdr ...string) result {
	h.t.Helper()
	res := h.call(method, path, token, body, hdr...)
	if res.err != nil {
		h.t.Fatalf("%s %s: %v", method, path, res.err)
	}
	return res
}

// createDB creates a database in "main" with the operator token and
// returns its id.
func (h *harness) createDB(body string) string {
	h.t.Helper()
	res := h.mustCall("POST", "/api/environments/"+h.env+"/databases", operatorTok, body)
	if res.status != 200 {
		h.t.Fatalf("create %s: %d %s", body, res.status, res.raw)
	}
	return res.str("database", "id")
}

// at walks a decoded body: map keys and (as strings) array indexes.
func (r result) at(path ...string) any {
	var cur any = r.body
	for _, p := range path {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

func (r result) str(path ...string) string {
	s, _ := r.at(path...).(string)
	return s
}

func (r result) has(path ...string) bool {
	last := path[len(path)-1]
	parent, ok := r.at(path[:len(path)-1]...).(map[string]any)
	if !ok {
		return false
	}
	_, ok = parent[last]
	return ok
}

// detailPaths lists details[].path joined with ".".
func (r result) detailPaths() []string {
	var out []string
	ds, _ := r.body["details"].([]any)
	for _, d := range ds {
		var parts []string
		for _, p := range d.(map[string]any)["path"].([]any) {
			parts = append(parts, p.(string))
		}
		out = append(out, strings.Join(parts, "."))
	}
	return out
}

// expectError checks status, code, and (when given) the message.
func (r result) expectError(t testing.TB, status int, code, message string) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("transport error: %v", r.err)
	}
	if r.status != status || r.str("code") != code {
		t.Fatalf("got %d %s, want %d %s: %s", r.status, r.str("code"), status, code, r.raw)
	}
	if message != "" && r.str("message") != message {
		t.Fatalf("message = %q, want %q", r.str("message"), message)
	}
	if !strings.HasPrefix(r.str("requestId"), "req-") {
		t.Fatalf("requestId = %q: %s", r.str("requestId"), r.raw)
	}
}

func (r result) expectOK(t testing.TB) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("transport error: %v", r.err)
	}
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
}

// expectFields compares body values (JSON-decoded: numbers are float64).
func (r result) expectFields(t testing.TB, want map[string]any) {
	t.Helper()
	for path, w := range want {
		got := r.at(strings.Split(path, ".")...)
		if w == nil {
			if !r.has(strings.Split(path, ".")...) || got != nil {
				t.Errorf("%s = %#v, want null", path, got)
			}
			continue
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v, want %#v", path, got, w)
		}
	}
}

// fakeClock is a settable clock for rate-limit windows and timestamps.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 26, 16, 48, 57, 366e6, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestRequest(method, path, body, key string) (*http.Request, error) {
	r, err := http.NewRequest(method, "http://sim"+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Authorization", "Bearer "+operatorTok)
	r.Header.Set("Idempotency-Key", key)
	return r, nil
}
