package client

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RateLimit is the platform's rate-limit window as of the last response
// that carried x-ratelimit-* headers. The platform allows 100 requests per
// minute per client IP in one fixed window shared by every token, so
// another process on the same host consumes the same budget.
type RateLimit struct {
	// Known is false until a response carried the headers.
	Known bool
	// Limit is x-ratelimit-limit (requests per window).
	Limit int
	// Remaining is x-ratelimit-remaining.
	Remaining int
	// Reset is x-ratelimit-reset: time left in the window when observed.
	Reset time.Duration
	// ObservedAt is when that response arrived.
	ObservedAt time.Time
}

// ResetAt is when the window was due to reset.
func (r RateLimit) ResetAt() time.Time { return r.ObservedAt.Add(r.Reset) }

// RateLimit returns the last rate-limit state seen, for diagnostics and for
// a future pacer.
func (c *Client) RateLimit() RateLimit { return c.rate.snapshot() }

// rateLimitTracker is the one place rate-limit state lives. A pacer that
// spreads requests over the window would be a wait(ctx) method here,
// called from Client.send before each attempt.
type rateLimitTracker struct {
	mu   sync.Mutex
	last RateLimit
}

func (t *rateLimitTracker) observe(h http.Header, now time.Time) {
	limit, okLimit := headerInt(h, "X-Ratelimit-Limit")
	remaining, okRemaining := headerInt(h, "X-Ratelimit-Remaining")
	reset, okReset := headerInt(h, "X-Ratelimit-Reset")
	if !okLimit && !okRemaining && !okReset {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	next := RateLimit{Known: true, ObservedAt: now, Limit: t.last.Limit, Remaining: t.last.Remaining, Reset: t.last.Reset}
	if okLimit {
		next.Limit = limit
	}
	if okRemaining {
		next.Remaining = remaining
	}
	if okReset {
		next.Reset = time.Duration(reset) * time.Second
	}
	t.last = next
}

func (t *rateLimitTracker) snapshot() RateLimit {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last
}

func headerInt(h http.Header, key string) (int, bool) {
	v := strings.TrimSpace(h.Get(key))
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}
