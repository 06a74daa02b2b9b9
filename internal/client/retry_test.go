package client

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// failThenOK answers the first len(statuses) requests with those statuses
// (and retry-after, when set), then 200 with okBody.
func failThenOK(retryAfter string, okBody string, statuses ...int) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, n int) {
		if n <= len(statuses) {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			writeJSON(w, statuses[n-1], `{"code":"X","message":"failing on purpose"}`)
			return
		}
		writeJSON(w, 200, okBody)
	}
}

func TestRetry_429HonoursRetryAfterExactly(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "7")
			writeJSON(w, 429, `{"code":"RATE_LIMITED","message":"Rate limit exceeded. Try again in 7 seconds."}`)
		case 2:
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, `{"code":"RATE_LIMITED","message":"Rate limit exceeded. Try again in 1 seconds."}`)
		default:
			writeJSON(w, 200, `{"database":{"id":"d1"}}`)
		}
	})
	c, w := newTestClient(t, f.URL)
	_, err := c.GetDatabase(context.Background(), "d1")
	mustOK(t, err)
	if got, want := w.all(), []time.Duration{7 * time.Second, time.Second}; !reflect.DeepEqual(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
	if f.count() != 3 {
		t.Errorf("requests = %d", f.count())
	}
}

func TestRetry_429RetriedForEveryMethod(t *testing.T) {
	f := newFakeAPI(t, failThenOK("2", `{}`, 429))
	c, w := newTestClient(t, f.URL)
	// A POST without Idempotency-Key: the limiter refuses before any handler runs.
	err := c.do(context.Background(), call{method: http.MethodPost, path: "/api/environments", body: map[string]string{"name": "x"}, asks: true}, nil)
	mustOK(t, err)
	reqs := f.requests()
	if len(reqs) != 2 || reqs[0].Body != reqs[1].Body || reqs[1].Body != `{"name":"x"}` {
		t.Errorf("requests = %+v", reqs)
	}
	if got := w.all(); !reflect.DeepEqual(got, []time.Duration{2 * time.Second}) {
		t.Errorf("waits = %v", got)
	}
}

func TestRetry_withoutRetryAfterBacksOff(t *testing.T) {
	f := newFakeAPI(t, failThenOK("", `{"environments":[]}`, 429, 503, 503))
	c, w := newTestClient(t, f.URL)
	_, err := c.ListEnvironments(context.Background())
	mustOK(t, err)
	got := w.all()
	if len(got) != 3 {
		t.Fatalf("waits = %v", got)
	}
	for _, d := range got {
		if d < c.minBackoff || d > c.maxBackoff {
			t.Errorf("wait %s outside [%s, %s]", d, c.minBackoff, c.maxBackoff)
		}
	}
}

func TestRetry_waitBeyondDeadlineReturnsAtOnce(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "60")
		writeJSON(w, 429, `{"code":"RATE_LIMITED","message":"Rate limit exceeded. Try again in 60 seconds.","hint":"Retry after 60 seconds."}`)
	})
	c, w := newTestClient(t, f.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.GetDatabase(ctx, "d1")
	if !IsRateLimited(err) {
		t.Fatalf("want the 429 itself, got %v", err)
	}
	if e, _ := AsAPIError(err); e.RetryAfter != 60*time.Second {
		t.Errorf("RetryAfter = %s", e.RetryAfter)
	}
	if len(w.all()) != 0 || f.count() != 1 {
		t.Errorf("slept %v, %d requests; want no sleep and 1 request", w.all(), f.count())
	}
}

func TestRetry_backoffBeyondDeadlineReturnsAtOnce(t *testing.T) {
	f := newFakeAPI(t, reply(503, `{"code":"SERVICE_UNAVAILABLE","message":"Service Unavailable"}`))
	c, w := newTestClient(t, f.URL, func(cfg *Config) { cfg.MinBackoff, cfg.MaxBackoff = time.Minute, time.Minute })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.GetDatabase(ctx, "d1"); !IsServerError(err) {
		t.Fatalf("want the 503, got %v", err)
	}
	if len(w.all()) != 0 || f.count() != 1 {
		t.Errorf("slept %v, %d requests", w.all(), f.count())
	}
}

func TestRetry_503ForReplayableMethods(t *testing.T) {
	ctx := context.Background()
	tests := map[string]func(*Client) error{
		"GET": func(c *Client) error { _, err := c.GetDatabase(ctx, "d1"); return err },
		"PATCH": func(c *Client) error {
			_, err := c.UpdateDatabase(ctx, "d1", DatabaseInput{Name: ptr("n")})
			return err
		},
		"DELETE": func(c *Client) error { return c.DeleteDatabase(ctx, "d1") },
		"PUT": func(c *Client) error {
			_, err := c.PutSchedule(ctx, "d1", ScheduleInput{CronExpression: "0 2 * * *"})
			return err
		},
	}
	for method, run := range tests {
		t.Run(method, func(t *testing.T) {
			f := newFakeAPI(t, failThenOK("1", `{"database":{"id":"d1"},"schedule":{"id":"s1"},"success":true}`, 503))
			c, w := newTestClient(t, f.URL)
			mustOK(t, run(c))
			reqs := f.requests()
			if len(reqs) != 2 || reqs[0].Method != method || reqs[0].Body != reqs[1].Body {
				t.Errorf("requests = %+v", reqs)
			}
			if got := w.all(); !reflect.DeepEqual(got, []time.Duration{time.Second}) {
				t.Errorf("waits = %v, want [1s]", got)
			}
		})
	}
}

func TestRetry_postWithoutKeyNotRetried(t *testing.T) {
	for name, fail := range map[string]func(*testing.T, http.ResponseWriter){
		"503": func(_ *testing.T, w http.ResponseWriter) {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 503, `{"code":"SERVICE_UNAVAILABLE","message":"Service Unavailable"}`)
		},
		"connection dropped": hangUp,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) { fail(t, w) })
			c, w := newTestClient(t, f.URL)
			err := c.do(context.Background(), call{method: http.MethodPost, path: "/api/environments", body: map[string]string{"name": "x"}, asks: true}, nil)
			if err == nil {
				t.Fatal("want an error")
			}
			if f.count() != 1 || len(w.all()) != 0 {
				t.Errorf("%d requests, waits %v: a POST without Idempotency-Key must not be resent", f.count(), w.all())
			}
		})
	}
}

func TestRetry_createKeepsItsKeyAcrossAttempts(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 503, `{"code":"SERVICE_UNAVAILABLE","message":"Service Unavailable"}`)
		case 2:
			hangUp(t, w)
		default:
			writeJSON(w, 200, `{"database":{"id":"d1"}}`)
		}
	})
	c, _ := newTestClient(t, f.URL)
	in := DatabaseInput{Name: ptr("orders"), Type: ptr("postgres")}
	_, err := c.CreateDatabase(context.Background(), "e1", in)
	mustOK(t, err)
	_, err = c.CreateDatabase(context.Background(), "e1", in)
	mustOK(t, err)
	reqs := f.requests()
	if len(reqs) != 4 {
		t.Fatalf("requests = %d, want 4", len(reqs))
	}
	first := reqs[0].Header.Get("Idempotency-Key")
	for i := 1; i < 3; i++ {
		if got := reqs[i].Header.Get("Idempotency-Key"); got != first {
			t.Errorf("attempt %d used key %q, first used %q", i+1, got, first)
		}
		if reqs[i].Body != reqs[0].Body {
			t.Errorf("attempt %d body differs", i+1)
		}
	}
	if reqs[3].Header.Get("Idempotency-Key") == first {
		t.Error("second CreateDatabase call reused the first call's key")
	}
}

func TestRetry_connectionDroppedRetriedForGET(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			hangUp(t, w)
			return
		}
		writeJSON(w, 200, `{"database":{"id":"d1"}}`)
	})
	c, w := newTestClient(t, f.URL)
	db, err := c.GetDatabase(context.Background(), "d1")
	mustOK(t, err)
	if db.ID != "d1" || f.count() != 2 || len(w.all()) != 1 {
		t.Errorf("db %v, %d requests, waits %v", db, f.count(), w.all())
	}
}

func TestRetry_connectionErrorsExhausted(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) { hangUp(t, w) })
	c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.GetDatabase(context.Background(), "d1")
	if err == nil {
		t.Fatal("want an error")
	}
	if _, ok := AsAPIError(err); ok {
		t.Errorf("a connection failure is not an APIError: %v", err)
	}
	if !strings.Contains(err.Error(), "GET "+f.URL+"/api/databases/d1") || !strings.Contains(err.Error(), "after 3 attempt(s)") {
		t.Errorf("error = %v", err)
	}
	if f.count() != 3 {
		t.Errorf("requests = %d", f.count())
	}
}

func TestRetry_otherStatusesNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 422, 500, 502} {
		f := newFakeAPI(t, reply(status, `{"code":"X","message":"no"}`))
		c, w := newTestClient(t, f.URL)
		_, err := c.GetDatabase(context.Background(), "d1")
		if e, ok := AsAPIError(err); !ok || e.Status != status {
			t.Errorf("%d: got %v", status, err)
		}
		if f.count() != 1 || len(w.all()) != 0 {
			t.Errorf("%d was retried: %d requests", status, f.count())
		}
	}
}

func TestRetry_maxRetriesBound(t *testing.T) {
	f := newFakeAPI(t, reply(503, `{"code":"SERVICE_UNAVAILABLE","message":"Service Unavailable","requestId":"req-9"}`))
	c, w := newTestClient(t, f.URL, func(cfg *Config) { cfg.MaxRetries = 3 })
	_, err := c.GetDatabase(context.Background(), "d1")
	e, ok := AsAPIError(err)
	if !ok || e.Status != 503 || e.Attempts != 4 {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Errorf("error = %q", err.Error())
	}
	if f.count() != 4 || len(w.all()) != 3 {
		t.Errorf("%d requests, %d waits; want 4 and 3", f.count(), len(w.all()))
	}
}

func TestBackoff_exponentialWithCap(t *testing.T) {
	c, _ := newTestClient(t, "http://x.example", func(cfg *Config) {
		cfg.MinBackoff, cfg.MaxBackoff = 100*time.Millisecond, time.Second
	})
	c.jitter = func(n time.Duration) time.Duration { return n - 1 } // the top of each range
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if got := c.backoff(i + 1); got != w*time.Millisecond {
			t.Errorf("attempt %d: ceiling %s, want %s", i+1, got, w*time.Millisecond)
		}
	}
	if got := c.backoff(1000); got != time.Second {
		t.Errorf("attempt 1000: %s (overflow?)", got)
	}
	c.jitter = func(time.Duration) time.Duration { return 0 }
	if got := c.backoff(5); got != 100*time.Millisecond {
		t.Errorf("bottom of range = %s", got)
	}
	c.jitter = randomJitter
	for attempt := 1; attempt < 50; attempt++ {
		if d := c.backoff(attempt); d < 100*time.Millisecond || d > time.Second {
			t.Errorf("attempt %d: %s out of bounds", attempt, d)
		}
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		d  time.Duration
		ok bool
	}{
		"58":                            {58 * time.Second, true},
		" 1 ":                           {time.Second, true},
		"0":                             {0, true},
		"-3":                            {0, true},
		"Thu, 26 Nov 2026 12:00:10 GMT": {10 * time.Second, true},
		"Thu, 26 Nov 2026 11:00:00 GMT": {0, true},
		"soon":                          {0, false},
		"":                              {0, false},
	}
	for v, want := range tests {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		d, ok := retryAfter(h, now)
		if d != want.d || ok != want.ok {
			t.Errorf("%q: got %s %v, want %s %v", v, d, ok, want.d, want.ok)
		}
	}
}

func TestRetry_cancelWhileWaiting(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, 429, `{"code":"RATE_LIMITED","message":"Rate limit exceeded. Try again in 30 seconds."}`)
	})
	c, _ := newTestClient(t, f.URL)
	c.sleep = sleepContext // really wait, so cancellation has something to cut short
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.GetDatabase(ctx, "d1")
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("returned after %s", took)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("want context.Canceled, got %v", err)
	}
	if !strings.Contains(err.Error(), "RATE_LIMITED") {
		t.Errorf("error should say what it was waiting for: %v", err)
	}
	if f.count() != 1 {
		t.Errorf("requests = %d", f.count())
	}
}

func TestRetry_cancelDuringRequestReachesSocket(t *testing.T) {
	serverSawCancel := make(chan struct{})
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-r.Context().Done():
			close(serverSawCancel)
		case <-time.After(10 * time.Second):
		}
	})
	c, w := newTestClient(t, f.URL)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.GetDatabase(ctx, "d1")
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("returned after %s", took)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("want context.Canceled, got %v", err)
	}
	select {
	case <-serverSawCancel:
	case <-time.After(5 * time.Second):
		t.Error("the server never saw the connection close")
	}
	if f.count() != 1 || len(w.all()) != 0 {
		t.Errorf("%d requests, waits %v after cancellation", f.count(), w.all())
	}
}

func TestRetry_deadlineDuringRequest(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	c, _ := newTestClient(t, f.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.GetDatabase(ctx, "d1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("want context.DeadlineExceeded, got %v", err)
	}
}

func TestRetry_perAttemptTimeout(t *testing.T) {
	hang := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			hang(w, r)
			return
		}
		writeJSON(w, 200, `{"database":{"id":"d1"}}`)
	})
	c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.RequestTimeout = 50 * time.Millisecond })
	_, err := c.GetDatabase(context.Background(), "d1")
	mustOK(t, err)
	if f.count() != 2 {
		t.Errorf("requests = %d", f.count())
	}

	always := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) { hang(w, r) })
	c2, _ := newTestClient(t, always.URL, func(cfg *Config) { cfg.RequestTimeout = 50 * time.Millisecond; cfg.MaxRetries = 1 })
	_, err = c2.GetDatabase(context.Background(), "d1")
	if err == nil || !strings.Contains(err.Error(), "no response within 50ms") {
		t.Fatalf("got %v", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Error("a per-attempt timeout must not look like the caller's deadline")
	}
}

func TestRetry_untrustedCertificateNotRetried(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"environments":[]}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the expected handshake failure
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c, w := newTestClient(t, srv.URL)
	_, err := c.ListEnvironments(context.Background())
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("want a certificate error, got %v", err)
	}
	if len(w.all()) != 0 {
		t.Errorf("a certificate error was retried: waits %v", w.all())
	}
}

// legacyRateLimit answers as BridgePort 2.x's limiter does: a 500 whose
// envelope says nothing, with the limiter's headers.
func legacyRateLimit(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "3")
	w.Header().Set("X-Ratelimit-Limit", "100")
	w.Header().Set("X-Ratelimit-Remaining", "0")
	w.Header().Set("X-Ratelimit-Reset", "3")
	writeJSON(w, 500, `{"code":"INTERNAL","message":"Internal Server Error","requestId":"req-1"}`)
}

func TestRetry_legacyRateLimit500IsTheRateLimit(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			legacyRateLimit(w)
			return
		}
		writeJSON(w, 200, `{"database":{"id":"d1"}}`)
	})
	c, w := newTestClient(t, f.URL)
	got := recordWrites(c)
	// A create: a POST whose first answer is the limit is sent again, after
	// the wait the platform asked for, and the limit is no write.
	_, err := c.CreateDatabase(context.Background(), "e1", DatabaseInput{Name: ptr("orders"), Type: ptr("postgres")})
	mustOK(t, err)
	// (The pacer may add a wait for the window the headers announced.)
	if waits := w.all(); f.count() != 2 || len(waits) == 0 || waits[0] != 3*time.Second {
		t.Errorf("%d requests, waits %v; want the create sent again after 3s", f.count(), waits)
	}
	if len(got()) != 1 {
		t.Errorf("reported %+v, want the one create that went through", got())
	}
}

func TestRetry_legacyRateLimitExhaustedIsRateLimited(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) { legacyRateLimit(w) })
	c, _ := newTestClient(t, f.URL)
	got := recordWrites(c)
	err := c.DeleteSchedule(context.Background(), "d1")
	if !IsRateLimited(err) || IsServerError(err) {
		t.Fatalf("err = %v; want a rate-limit error, not a server error", err)
	}
	if !strings.Contains(err.Error(), "rate limit") {
		t.Errorf("error %q does not say it is the rate limit", err)
	}
	if len(got()) != 0 {
		t.Errorf("reported %+v; a request the limiter refused changed nothing", got())
	}
}

// A handler's own 500 is not the rate limit, even with a retry-after.
func TestRetry_plain500IsNotTheRateLimit(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "3")
		w.Header().Set("X-Ratelimit-Remaining", "42")
		writeJSON(w, 500, `{"code":"INTERNAL","message":"Internal Server Error"}`)
	})
	c, _ := newTestClient(t, f.URL)
	_, err := c.CreateDatabase(context.Background(), "e1", DatabaseInput{Name: ptr("orders"), Type: ptr("postgres")})
	if IsRateLimited(err) || !IsServerError(err) || f.count() != 1 {
		t.Fatalf("err = %v after %d requests; want one request and a server error", err, f.count())
	}
}
