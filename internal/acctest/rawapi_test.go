package acctest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The harness shares a BridgePort 2.x's limit with the provider under test:
// its rate-limit answer, a 500 with retry-after and x-ratelimit-remaining:
// 0, is waited out and the call sent again; a handler's own 500 is an error.
func TestRawAPIWaitsOutThe2xRateLimit(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		switch {
		case r.URL.Path == "/broken":
			w.WriteHeader(http.StatusInternalServerError)
		case calls == 1:
			w.Header().Set("Retry-After", "1")
			w.Header().Set("X-Ratelimit-Remaining", "0")
			w.WriteHeader(http.StatusInternalServerError)
		default:
			_, _ = w.Write([]byte(`{"environment":{"id":"e1"}}`))
		}
	}))
	defer srv.Close()
	r := &rawAPI{endpoint: srv.URL, token: "t", http: srv.Client()}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out struct {
		Environment struct{ ID string } `json:"environment"`
	}
	if err := r.do(ctx, "POST", "/api/environments", map[string]string{"name": "x"}, &out); err != nil || out.Environment.ID != "e1" {
		t.Fatalf("after the limit: %v, %+v", err, out)
	}
	if calls != 2 {
		t.Fatalf("%d calls, want the limited one and its resend", calls)
	}
	if err := r.do(ctx, "GET", "/broken", nil, nil); !isStatus(err, http.StatusInternalServerError) || calls != 3 {
		t.Fatalf("a handler's 500: %v after %d calls, want the error at once", err, calls)
	}
}
