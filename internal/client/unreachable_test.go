package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// A platform that cannot be reached must fail an operation within its
// bound, saying what was tried. These tests use a port nobody listens on
// and a listener that accepts connections and never answers (a black-holing
// firewall, a hung proxy). They assert attempts and error text, never how
// long anything took; guard bounds each test's own run.

// closedPort returns an address on which connections are refused.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// silentListener accepts connections, reads whatever arrives and never
// writes a byte. It counts connections and those the client closed.
type silentListener struct {
	net.Listener
	mu     sync.Mutex
	opened int
	closed chan struct{} // one value per connection the client closed
}

func newSilentListener(t *testing.T) *silentListener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &silentListener{Listener: l, closed: make(chan struct{}, 100)}
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.opened++
			s.mu.Unlock()
			go func() {
				_, _ = io.Copy(io.Discard, conn) // returns once the client hangs up
				_ = conn.Close()
				s.closed <- struct{}{}
			}()
		}
	}()
	return s
}

func (s *silentListener) URL() string { return "http://" + s.Addr().String() }

func (s *silentListener) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opened
}

// waitClosed fails unless the client hung up n connections: a silent
// server is only cut off when the client closes the socket.
func (s *silentListener) waitClosed(t *testing.T, n int) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for i := 0; i < n; i++ {
		select {
		case <-s.closed:
		case <-timeout:
			t.Fatalf("the client closed %d of %d connections to the silent server", i, n)
		}
	}
}

// guard runs f and fails the test if it does not return within a generous
// bound, so a regression fails instead of hanging the suite.
func guard(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the operation did not stop within a minute")
	}
}

// fakeClock is the client's clock and sleep: sleeping advances it at once.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func useFakeClock(c *Client) *fakeClock {
	f := &fakeClock{t: time.Now()}
	c.now, c.sleep = f.now, f.sleep
	return f
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	f.slept = append(f.slept, d)
	return ctx.Err()
}

func (f *fakeClock) waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.slept...)
}

// With the default backoff (jitter pinned to the top of each range) the
// refused start-up check waits 0.5s, 1s, 2s and 4s; the next wait of 8s
// would end past the 15s bound, so it stops after five attempts, having
// logged each retry at WARN.
func TestCheckToken_refusedGivesUpWithinTheStartupBound(t *testing.T) {
	addr := closedPort(t)
	c, _ := newTestClient(t, "http://"+addr, func(cfg *Config) {
		cfg.MinBackoff, cfg.MaxBackoff, cfg.MaxRetries = 0, 0, 0 // the defaults
	})
	clock := useFakeClock(c)
	c.jitter = func(n time.Duration) time.Duration { return n - 1 }
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)

	var err error
	guard(t, func() { _, err = c.CheckToken(ctx, DefaultStartupTimeout) })

	want := fmt.Sprintf("GET http://%s/api/auth/me: no usable response after 5 attempt(s): dial tcp %s: connect: connection refused (retried for 7.5s)", addr, addr)
	if err == nil || err.Error() != want {
		t.Fatalf("error\n got %v\nwant %s", err, want)
	}
	if got := clock.waits(); !reflect.DeepEqual(got, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}) {
		t.Errorf("waits = %v", got)
	}
	entries, decodeErr := tflogtest.MultilineJSONDecode(&logs)
	if decodeErr != nil {
		t.Fatal(decodeErr)
	}
	var retried []any
	for _, e := range entries {
		if e["@level"] == "warn" && strings.Contains(e["@message"].(string), "connection refused") {
			retried = append(retried, e["attempt"])
		}
	}
	if !reflect.DeepEqual(retried, []any{1.0, 2.0, 3.0, 4.0}) {
		t.Errorf("WARN retry logs for attempts %v, want 1 to 4", retried)
	}
}

// Against a server that never answers each attempt of the start-up check
// gets a third of the bound; with a 2s backoff a second attempt would end
// past the 3s bound, so one attempt is all there is time for.
func TestCheckToken_silentServerCutOffAfterAThirdOfTheBound(t *testing.T) {
	s := newSilentListener(t)
	c, w := newTestClient(t, s.URL(), func(cfg *Config) { cfg.MinBackoff, cfg.MaxBackoff = 2*time.Second, 2*time.Second })

	var err error
	guard(t, func() { _, err = c.CheckToken(context.Background(), 3*time.Second) })

	want := "GET " + s.URL() + "/api/auth/me: no usable response after 1 attempt(s): no response within 1s"
	if err == nil || err.Error() != want {
		t.Fatalf("error\n got %v\nwant %s", err, want)
	}
	if len(w.all()) != 0 || s.connections() != 1 {
		t.Errorf("waits %v, %d connections; want no wait and one attempt", w.all(), s.connections())
	}
	s.waitClosed(t, 1)
}

// The rate limit proves the platform is there: its retry-after is waited
// out even beyond the start-up bound, once; BridgePort 2.x's 500 answer to
// it as a 429.
func TestCheckToken_rateLimitedWaitsOutRetryAfterOnce(t *testing.T) {
	for name, limited := range map[string]func(http.ResponseWriter){
		"429": func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "40")
			writeJSON(w, 429, `{"code":"RATE_LIMITED","message":"Rate limit exceeded. Try again in 40 seconds."}`)
		},
		"2.x 500": func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "40")
			w.Header().Set("X-Ratelimit-Remaining", "0")
			writeJSON(w, 500, `{"code":"INTERNAL","message":"Internal Server Error"}`)
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				if n == 1 {
					limited(w)
					return
				}
				writeJSON(w, 200, `{"user":{"id":"u1","role":"operator"}}`)
			})
			c, w := newTestClient(t, f.URL)
			me, err := c.CheckToken(context.Background(), DefaultStartupTimeout)
			mustOK(t, err)
			if me.Role != "operator" || f.count() != 2 {
				t.Errorf("role %q after %d requests", me.Role, f.count())
			}
			if got := w.all(); !reflect.DeepEqual(got, []time.Duration{40 * time.Second}) {
				t.Errorf("waits = %v, want [40s]", got)
			}
		})
	}
}

// Each attempt against a silent server ends at its own timeout and closes
// the connection; the operation stops after its retries.
func TestUnreachable_silentServerEachAttemptCutOff(t *testing.T) {
	s := newSilentListener(t)
	c, w := newTestClient(t, s.URL(), func(cfg *Config) { cfg.RequestTimeout, cfg.MaxRetries = 50*time.Millisecond, 2 })

	var err error
	guard(t, func() { _, err = c.GetDatabase(context.Background(), "d1") })

	if err == nil || !strings.HasPrefix(err.Error(), "GET "+s.URL()+"/api/databases/d1: no usable response after 3 attempt(s): no response within 50ms (retried for ") {
		t.Fatalf("error = %v", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Error("per-attempt timeouts must not look like the operation's deadline")
	}
	if len(w.all()) != 2 || s.connections() != 3 {
		t.Errorf("waits %v, %d connections; want 2 waits and 3 attempts", w.all(), s.connections())
	}
	s.waitClosed(t, 3)
}

// An attempt never outlives the operation: with an hour per attempt and a
// short deadline, the deadline ends the attempt, closes the connection and
// names the operation, the endpoint and the attempts.
func TestUnreachable_attemptEndsAtTheOperationDeadline(t *testing.T) {
	s := newSilentListener(t)
	c, w := newTestClient(t, s.URL(), func(cfg *Config) { cfg.RequestTimeout = time.Hour })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()

	var err error
	guard(t, func() { _, err = c.GetDatabase(ctx, "d1") })

	assertTimedOut(t, err, "GET "+s.URL()+"/api/databases/d1: timed out after ", " and 1 attempt(s): context deadline exceeded")
	if len(w.all()) != 0 || s.connections() != 1 {
		t.Errorf("waits %v, %d connections", w.all(), s.connections())
	}
	s.waitClosed(t, 1)
}

// A call whose caller set no deadline (a refresh, a data source, a batched
// list) is bounded by OperationTimeout all the same.
func TestUnreachable_noCallerDeadlineStillBounded(t *testing.T) {
	s := newSilentListener(t)
	c, _ := newTestClient(t, s.URL(), func(cfg *Config) {
		cfg.RequestTimeout, cfg.OperationTimeout = time.Hour, 100*time.Millisecond
	})

	var err error
	guard(t, func() { _, err = c.ListEnvironments(context.Background()) })

	assertTimedOut(t, err, "GET "+s.URL()+"/api/environments: timed out after ", " and 1 attempt(s): context deadline exceeded")
	s.waitClosed(t, 1)
}

// Cancelled during a wait, the error quotes what was being retried.
func TestUnreachable_cancelWhileWaitingQuotesTheLastFailure(t *testing.T) {
	addr := closedPort(t)
	c, _ := newTestClient(t, "http://"+addr)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.sleep = func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }

	_, err := c.GetDatabase(ctx, "d1")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want the context's error, got %v", err)
	}
	want := fmt.Sprintf("GET http://%s/api/databases/d1: cancelled after ", addr)
	if !strings.HasPrefix(err.Error(), want) ||
		!strings.HasSuffix(err.Error(), fmt.Sprintf(" and 1 attempt(s) (last failure: dial tcp %s: connect: connection refused): context canceled", addr)) {
		t.Errorf("error = %v", err)
	}
}

func assertTimedOut(t *testing.T, err error, prefix, suffix string) {
	t.Helper()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the operation's deadline, got %v", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, prefix) || !strings.HasSuffix(msg, suffix) {
		t.Errorf("error = %q, want %q…%q", msg, prefix, suffix)
	}
}
