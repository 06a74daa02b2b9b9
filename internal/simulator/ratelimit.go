package simulator

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

const defaultRateWindow = 60 * time.Second

// rateLimiter is the real server's fixed window per client IP over all of
// /api/*, shared by every token and by unauthenticated calls. A client's
// window starts with its first request and lasts `window`.
type rateLimiter struct {
	mu      sync.Mutex
	limit   int
	window  time.Duration
	clients map[string]*rateWindow
	now     func() time.Time
}

type rateWindow struct {
	end   time.Time
	count int
}

func newRateLimiter(now func() time.Time) *rateLimiter {
	return &rateLimiter{now: now, clients: map[string]*rateWindow{}}
}

func (l *rateLimiter) set(limit int, window time.Duration) {
	if window <= 0 {
		window = defaultRateWindow
	}
	l.mu.Lock()
	l.limit, l.window = limit, window
	l.clients = map[string]*rateWindow{}
	l.mu.Unlock()
}

// take counts one request from ip and sets the x-ratelimit-* headers;
// over the limit it also sets retry-after and reports the seconds to wait
// (0: the request may go on).
func (l *rateLimiter) take(ip string, h http.Header) (retryAfter int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.limit <= 0 {
		return 0
	}
	now := l.now()
	w := l.clients[ip]
	if w == nil || !now.Before(w.end) {
		l.sweep(now)
		w = &rateWindow{end: now.Add(l.window)}
		l.clients[ip] = w
	}
	w.count++
	reset := secondsUntil(now, w.end)
	h.Set("X-Ratelimit-Limit", strconv.Itoa(l.limit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(max(0, l.limit-w.count)))
	h.Set("X-Ratelimit-Reset", strconv.Itoa(reset))
	if w.count <= l.limit {
		return 0
	}
	h.Set("Retry-After", strconv.Itoa(reset))
	return reset
}

// errRateLimited is the answer over the limit. Both releases build the same
// RATE_LIMITED body, but v2.3.0's error handler did not recognise it (it
// carries no status) and answered a bare 500; the headers stay.
func (s *Simulator) errRateLimited(retryAfter int) *APIError {
	if !s.release.rateLimited429 {
		return errInternal()
	}
	n := strconv.Itoa(retryAfter)
	return &APIError{
		Status:  http.StatusTooManyRequests,
		Code:    api.CodeRateLimited,
		Message: "Rate limit exceeded. Try again in " + n + " seconds.",
		Hint:    "Retry after " + n + " seconds.",
	}
}

// sweep forgets expired windows once the table grows, keeping memory flat.
func (l *rateLimiter) sweep(now time.Time) {
	forgetExpired(l.clients, 1024, now, func(w *rateWindow) time.Time { return w.end })
}

// forgetExpired drops a table's expired entries once it holds size or
// more, so a long run with many clients or keys keeps its memory flat.
func forgetExpired[V any](table map[string]V, size int, now time.Time, end func(V) time.Time) {
	if len(table) < size {
		return
	}
	for k, v := range table {
		if !now.Before(end(v)) {
			delete(table, k)
		}
	}
}

// secondsUntil rounds up, so a client told to wait N seconds is never early.
func secondsUntil(now, end time.Time) int {
	return max(1, int(math.Ceil(end.Sub(now).Seconds())))
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
