package client

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
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

// RateLimit returns the last rate-limit state seen, for diagnostics.
func (c *Client) RateLimit() RateLimit { return c.rate.snapshot() }

// budgetPoll is how long a request waits when this process has used up the
// budget of a window whose end no response has told it yet.
const budgetPoll = 50 * time.Millisecond

// rateLimitTracker is the one place rate-limit state lives, and the pacer:
// it keeps a budget of requests left in the server's window and holds
// requests back once it is spent until the window ends. With a fixed
// window, sending the budget at once and then waiting for the reset is as
// fast as the limit allows, and never earns a 429 (whose retry-after would
// cost as much). Without x-ratelimit-* headers nothing is paced.
type rateLimitTracker struct {
	mu   sync.Mutex
	last RateLimit

	pacing bool // a response carried limit, remaining and reset
	// budget is what this process may still send in the current window.
	budget int
	// windowEnd is the earliest end the responses imply (reset is rounded
	// up to whole seconds, so each is a bound); zero once this process
	// assumed a new window whose first answer has not arrived yet.
	windowEnd time.Time
	// pastEnd is the end of the window before an assumed one: answers to
	// requests sent in it may still arrive and must not count for the new.
	pastEnd time.Time
	// inflight are requests sent and not yet answered.
	inflight int
	// loggedEnd is the window whose wait was last logged (once per window,
	// not once per parallel request).
	loggedEnd time.Time
}

// pace blocks until a request may be sent without exceeding the rate limit,
// then counts it as in flight; every call is paired with c.rate.done().
func (c *Client) pace(ctx context.Context) error {
	var waitedFor time.Time
	for {
		wait, end, logIt := c.rate.reserve(c.now(), waitedFor)
		if wait <= 0 {
			return nil
		}
		if logIt {
			snap := c.rate.snapshot()
			tflog.Info(ctx, fmt.Sprintf("platform rate limit of %d requests per window used up; waiting %s for the window to reset",
				snap.Limit, formatWait(wait)), map[string]any{"limit": snap.Limit, "wait": formatWait(wait)})
		}
		if err := c.sleep(ctx, wait); err != nil {
			return err
		}
		waitedFor = end
	}
}

// reserve takes one request from the budget (wait 0) or says how long to
// wait and for which window end. waitedFor is the end the caller has just
// slept until: that window is over whatever the clock says.
func (t *rateLimitTracker) reserve(now, waitedFor time.Time) (wait time.Duration, end time.Time, logIt bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pacing && !t.windowEnd.IsZero() && (!now.Before(t.windowEnd) || t.windowEnd.Equal(waitedFor)) {
		t.pastEnd, t.windowEnd, t.budget = t.windowEnd, time.Time{}, t.last.Limit
	}
	if !t.pacing || t.budget > 0 {
		t.budget--
		t.inflight++
		return 0, time.Time{}, false
	}
	if t.windowEnd.IsZero() {
		return budgetPoll, time.Time{}, false
	}
	logIt = !t.loggedEnd.Equal(t.windowEnd)
	t.loggedEnd = t.windowEnd
	return t.windowEnd.Sub(now), t.windowEnd, logIt
}

// done ends a request that reserve let through.
func (t *rateLimitTracker) done() {
	t.mu.Lock()
	t.inflight--
	t.mu.Unlock()
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
	if okLimit && okRemaining && okReset && limit > 0 {
		t.adjustBudget(remaining, now.Add(next.Reset))
	}
}

// adjustBudget folds one response into the budget. Responses of one window
// imply ends less than a second apart (reset is rounded up); an end a
// second or more later is a new window.
func (t *rateLimitTracker) adjustBudget(remaining int, end time.Time) {
	// Requests still in flight besides this one: the server may not have
	// counted them yet.
	others := max(t.inflight-1, 0)
	switch {
	case !t.pacing:
		t.pacing, t.windowEnd, t.budget = true, end, remaining-others
	case t.windowEnd.IsZero():
		if end.Before(t.pastEnd.Add(time.Second)) {
			return // a late answer from the window before
		}
		// The window this process assumed has its first answer.
		t.windowEnd, t.budget = end, min(t.budget, remaining)
	case !end.Before(t.windowEnd.Add(time.Second)):
		t.windowEnd, t.budget = end, remaining-others
	default:
		// The same window; another client on this IP may have used some.
		t.windowEnd, t.budget = minTime(t.windowEnd, end), min(t.budget, remaining)
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
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
