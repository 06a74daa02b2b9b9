package simulator

import (
	"strconv"
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	clock := newFakeClock()
	h := newHarness(t, func(o *Options) { o.RateLimit = 3; o.Now = clock.Now })

	for i := 1; i <= 3; i++ {
		res := h.mustCall("GET", "/api/environments", viewerTok, nil)
		res.expectOK(t)
		want := map[string]string{"X-Ratelimit-Limit": "3", "X-Ratelimit-Remaining": strconv.Itoa(3 - i), "X-Ratelimit-Reset": "60"}
		for k, v := range want {
			if got := res.header.Get(k); got != v {
				t.Errorf("request %d: %s = %q, want %q", i, k, got, v)
			}
		}
	}
	t.Run("health is never limited", func(t *testing.T) {
		res := h.mustCall("GET", "/health", "", nil)
		res.expectOK(t)
		if res.header.Get("X-Ratelimit-Limit") != "" {
			t.Error("health carries rate-limit headers")
		}
	})
	clock.Advance(2500 * time.Millisecond)
	cases := []struct {
		name, token, method, path string
	}{
		{"over the limit", viewerTok, "GET", "/api/environments"},
		{"checked before auth: bad token gets 429", "bad-token", "GET", "/api/environments"},
		{"unauthenticated gets 429", "", "GET", "/api/auth/me"},
		{"POST limited the same", operatorTok, "POST", "/api/environments/" + h.env + "/databases"},
		{"unknown routes count too", viewerTok, "GET", "/api/nope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.mustCall(tc.method, tc.path, tc.token, nil)
			res.expectError(t, 429, "RATE_LIMITED", "Rate limit exceeded. Try again in 58 seconds.")
			if res.str("hint") != "Retry after 58 seconds." {
				t.Errorf("hint = %q", res.str("hint"))
			}
			for k, v := range map[string]string{"Retry-After": "58", "X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "58", "X-Ratelimit-Limit": "3"} {
				if got := res.header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
	t.Run("window reset", func(t *testing.T) {
		clock.Advance(58 * time.Second)
		res := h.mustCall("GET", "/api/environments", viewerTok, nil)
		res.expectOK(t)
		if res.header.Get("X-Ratelimit-Remaining") != "2" || res.header.Get("X-Ratelimit-Reset") != "60" {
			t.Errorf("headers after reset: %v", res.header)
		}
	})
}

// TestRateLimitShortWindow: with a 1-second window, retry-after is the
// ceiling of what is left of the window, at least 1, and the window ends at
// its end to the millisecond (on a fake clock, so no real second passes).
func TestRateLimitShortWindow(t *testing.T) {
	clock := newFakeClock()
	h := newHarness(t, func(o *Options) { o.RateLimit = 1; o.RateWindow = time.Second; o.Now = clock.Now })
	h.mustCall("GET", "/api/environments", viewerTok, nil).expectOK(t)
	for _, step := range []time.Duration{0, 300 * time.Millisecond, 699 * time.Millisecond} {
		clock.Advance(step) // 1000, 700, then 1 millisecond left of the window
		res := h.mustCall("GET", "/api/environments", viewerTok, nil)
		res.expectError(t, 429, "RATE_LIMITED", "Rate limit exceeded. Try again in 1 seconds.")
		if got := res.header.Get("Retry-After"); got != "1" {
			t.Fatalf("retry-after %q, want 1", got)
		}
	}
	clock.Advance(time.Millisecond) // the window's end: a new window
	res := h.mustCall("GET", "/api/environments", viewerTok, nil)
	res.expectOK(t)
	if res.header.Get("X-Ratelimit-Remaining") != "0" || res.header.Get("X-Ratelimit-Reset") != "1" {
		t.Errorf("headers of the new window's first request: %v", res.header)
	}
}

func TestSetRateLimitAtRuntime(t *testing.T) {
	h := newHarness(t)
	res := h.mustCall("GET", "/api/environments", viewerTok, nil)
	if res.header.Get("X-Ratelimit-Limit") != "" {
		t.Fatal("rate limit headers while off")
	}
	h.sim.SetRateLimit(1, 0)
	h.mustCall("GET", "/api/environments", viewerTok, nil).expectOK(t)
	h.mustCall("GET", "/api/environments", viewerTok, nil).expectError(t, 429, "RATE_LIMITED", "")
	h.sim.SetRateLimit(0, 0)
	h.mustCall("GET", "/api/environments", viewerTok, nil).expectOK(t)
}

func TestRateLimitIsPerClientIP(t *testing.T) {
	l := newRateLimiter(newFakeClock().Now)
	l.set(1, time.Minute)
	hdr := make(map[string][]string)
	if l.take("10.0.0.1", hdr) != 0 || l.take("10.0.0.2", hdr) != 0 {
		t.Fatal("first request of each IP limited")
	}
	if l.take("10.0.0.1", hdr) == 0 {
		t.Fatal("second request of the same IP allowed")
	}
}
