package simdiff

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fakeClock is the pacer's clock: sleeping moves it.
type fakeClock struct {
	now   time.Time
	slept []time.Duration
}

func (c *fakeClock) pacer() *pacer {
	return &pacer{now: func() time.Time { return c.now }, sleep: func(d time.Duration) {
		c.slept = append(c.slept, d)
		c.now = c.now.Add(d)
	}}
}

// A window spent (remaining 0) holds the next call until its reset; a
// v2.3.0 rate-limit answer (500 with retry-after and remaining 0) is not
// recorded but waited out and sent again, body and all.
func TestPacer(t *testing.T) {
	var bodies []string
	answers := []func(w http.ResponseWriter){
		func(w http.ResponseWriter) { // the window's last request
			w.Header().Set("X-Ratelimit-Remaining", "0")
			w.Header().Set("X-Ratelimit-Reset", "7")
			w.WriteHeader(http.StatusOK)
		},
		func(w http.ResponseWriter) { // another client spent the new window
			w.Header().Set("X-Ratelimit-Remaining", "0")
			w.Header().Set("X-Ratelimit-Reset", "3")
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusInternalServerError)
		},
		func(w http.ResponseWriter) {
			w.Header().Set("X-Ratelimit-Remaining", "99")
			w.WriteHeader(http.StatusCreated)
		},
		func(w http.ResponseWriter) { w.WriteHeader(http.StatusInternalServerError) }, // the handler's own 500
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		answers[len(bodies)-1](w)
	}))
	defer srv.Close()
	clock := &fakeClock{now: time.Unix(0, 0)}
	p := clock.pacer()
	send := func(body string) int {
		req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(body))
		resp, err := p.do(srv.Client(), req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := send("one"); got != http.StatusOK || len(clock.slept) != 0 {
		t.Fatalf("first call: %d, slept %v", got, clock.slept)
	}
	if got := send("two"); got != http.StatusCreated {
		t.Fatalf("second call answered %d, want the 201 after the limit's 500", got)
	}
	want := []time.Duration{7250 * time.Millisecond, 3250 * time.Millisecond}
	if len(clock.slept) != 2 || clock.slept[0] != want[0] || clock.slept[1] != want[1] {
		t.Fatalf("slept %v, want %v", clock.slept, want)
	}
	if strings.Join(bodies, ",") != "one,two,two" {
		t.Fatalf("bodies sent %q", bodies)
	}
	if got := send("three"); got != http.StatusInternalServerError || len(clock.slept) != 2 {
		t.Fatalf("a handler's 500: %d, slept %v (not the limit: no wait, no resend)", got, clock.slept)
	}
	if waited, hits := p.Waited(); waited != want[0]+want[1] || hits != 1 {
		t.Fatalf("Waited() = %v, %d", waited, hits)
	}
}
