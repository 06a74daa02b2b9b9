package simdiff

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// pacer keeps one target's calls within its rate limit, so that every
// recorded answer is the handler's, not the limit's: a platform whose limit
// cannot be raised (BridgePort 2.x: 100 requests a minute per address) gets
// the script in windows. Once an answer says the window is spent
// (x-ratelimit-remaining: 0), the next call waits for x-ratelimit-reset;
// an answer that is the rate limit all the same (another client on this
// address used the window) is waited out as retry-after says and the call
// sent again. A nil pacer sends at once.
type pacer struct {
	mu        sync.Mutex
	readyAt   time.Time // no call before this
	sleep     func(time.Duration)
	now       func() time.Time
	waited    time.Duration
	limitHits int
}

func newPacer() *pacer { return &pacer{sleep: time.Sleep, now: time.Now} }

// maxLimitRetries bounds the resends of one call answered by the limit.
const maxLimitRetries = 5

// do sends req through c, waiting first if the window is spent.
func (p *pacer) do(c *http.Client, req *http.Request) (*http.Response, error) {
	if p == nil {
		return c.Do(req)
	}
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		_ = req.Body.Close()
	}
	for attempt := 0; ; attempt++ {
		p.wait()
		if req.Body != nil {
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		resp, err := c.Do(req)
		if err != nil {
			return resp, err
		}
		p.observe(resp.Header)
		if !client.RateLimitAnswer(resp.StatusCode, resp.Header) || attempt == maxLimitRetries {
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		p.mu.Lock()
		p.limitHits++
		p.readyAt = p.now().Add(seconds(resp.Header.Get("Retry-After"), time.Second))
		p.mu.Unlock()
	}
}

func (p *pacer) wait() {
	p.mu.Lock()
	d := p.readyAt.Sub(p.now())
	if d > 0 {
		p.waited += d
	}
	p.mu.Unlock()
	if d > 0 {
		p.sleep(d)
	}
}

// observe reads the window from an answer's x-ratelimit-* headers.
func (p *pacer) observe(h http.Header) {
	if strings.TrimSpace(h.Get("X-Ratelimit-Remaining")) != "0" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	// The reset is in whole seconds, rounded up: past it the window is new.
	p.readyAt = p.now().Add(seconds(h.Get("X-Ratelimit-Reset"), time.Second))
}

// Waited is how long the pacer held calls back, and how many answers were
// the rate limit all the same.
func (p *pacer) Waited() (time.Duration, int) {
	if p == nil {
		return 0, 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.waited, p.limitHits
}

// seconds parses a header of whole seconds, plus a margin for the rounding
// of the server's clock; def when it is absent or not a number.
func seconds(v string, def time.Duration) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return def
	}
	return time.Duration(n)*time.Second + 250*time.Millisecond
}
