package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// errResponseTooLarge is not retried: the next answer would be as large.
var errResponseTooLarge = fmt.Errorf("response body larger than %d MiB", maxResponseBytes>>20)

// attemptTimeoutError is one attempt exceeding its timeout (see
// call.attemptTimeout) while the caller's context is still alive. It
// deliberately does not wrap context.DeadlineExceeded, which callers read
// as "the operation timed out".
type attemptTimeoutError struct{ timeout time.Duration }

func (e attemptTimeoutError) Error() string {
	return "no response within " + formatWait(e.timeout)
}

// retryWait reports whether a failed attempt may be sent again and how long
// to wait first. Exactly one of resp and err is set.
func (c *Client) retryWait(cl *call, resp *response, err error, attempt int) (time.Duration, bool) {
	switch {
	case err != nil:
		// The request may have reached the server before the connection
		// broke, so only a replayable call is sent again.
		return c.backoff(attempt), cl.replayable() && retryableTransportError(err)
	case rateLimited(resp):
		// The rate limit is checked before the handler runs, so even a POST
		// without Idempotency-Key did nothing and can be resent.
		return c.serverWait(resp, attempt), true
	case resp.status == http.StatusServiceUnavailable:
		// Transient SQLite contention; the contract does not promise the
		// handler did nothing, so a POST needs its Idempotency-Key.
		return c.serverWait(resp, attempt), cl.replayable()
	}
	return 0, false
}

func rateLimited(resp *response) bool { return RateLimitAnswer(resp.status, resp.header) }

// RateLimitAnswer says whether an answer is the platform's rate limit: a
// 429, or a 500 that carries retry-after and x-ratelimit-remaining: 0,
// which is how BridgePort 2.x answers (its limiter builds an answer its
// error handler does not recognise). A 500 of the handler itself has
// neither. The one rule, for the test harness and the differential too.
func RateLimitAnswer(status int, header http.Header) bool {
	switch status {
	case http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError:
		return header.Get("Retry-After") != "" && strings.TrimSpace(header.Get("X-Ratelimit-Remaining")) == "0"
	}
	return false
}

// serverWait honours retry-after exactly (waiting less only earns another
// 429 from a fixed-window limiter) and falls back to backoff without it.
func (c *Client) serverWait(resp *response, attempt int) time.Duration {
	if d, ok := retryAfter(resp.header, c.now()); ok {
		return d
	}
	return c.backoff(attempt)
}

// retryAfter parses retry-after as seconds (what the platform sends) or as
// an HTTP date (what RFC 9110 also allows).
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		// Clamped before multiplying: a huge value would overflow into a
		// negative or arbitrary wait.
		return time.Duration(min(max(secs, 0), int64(maxRetryAfter/time.Second))) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), maxRetryAfter), true
	}
	return 0, false
}

// maxRetryAfter caps what a server may ask for (the platform asks for at
// most 60s); the operation's deadline still decides whether to wait at all.
const maxRetryAfter = time.Hour

// backoff is exponential with full jitter: a random wait between
// MinBackoff and MinBackoff·2^(attempt-1), capped at MaxBackoff, so many
// parallel Terraform operations do not retry in lockstep.
func (c *Client) backoff(attempt int) time.Duration {
	ceiling := c.minBackoff
	for i := 1; i < attempt && ceiling < c.maxBackoff; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, c.maxBackoff)
	return c.minBackoff + c.jitter(ceiling-c.minBackoff+1)
}

// pastDeadline: a wait that would end at or after the context's deadline
// only turns a clear error into a timeout, so the caller gets the error now.
func (c *Client) pastDeadline(ctx context.Context, wait time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && !c.now().Add(wait).Before(deadline)
}

// retryableTransportError is false for failures that another attempt
// cannot fix: an untrusted certificate, an unknown host name, a huge body.
func retryableTransportError(err error) bool {
	var dns *net.DNSError
	switch {
	case errors.Is(err, errResponseTooLarge), IsCertificateError(err):
		return false
	case errors.As(err, &dns):
		return !dns.IsNotFound
	}
	return true
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func randomJitter(n time.Duration) time.Duration {
	if n <= 0 {
		return 0
	}
	return rand.N(n) //nolint:gosec // G404: jitter spreads retries; it needs no unpredictability
}
