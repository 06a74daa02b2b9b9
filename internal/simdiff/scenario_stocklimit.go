package simdiff

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The platform's stock rate limit (CONTRACT.md, "Rate limiting"): the
// stock-limit scenario needs a platform that runs with it, and gives the
// simulator the same window for its run.
const (
	stockLimit  = 100
	stockWindow = time.Minute
)

// stockLimitScenario is run only on request (-only stockLimit, make
// sim-diff-ratelimit): it spends a whole window of the platform's stock
// limit, so it waits up to a minute for a fresh window and another for
// that window to end.
const stockLimitScenario = "stockLimit"

// windowMargin is added to every wait for a window to end: the headers
// count whole seconds, rounded up, and the two clocks are not one.
const windowMargin = 300 * time.Millisecond

const noSuchDatabase = "cnosuchdatabase0000000000"

// scenarioStockLimit spends one window of the stock limit and compares
// what the limit answers: the headers of the window's first answer (which
// tell its length), that x-ratelimit-remaining counts down to 0, the
// limited answer (status, body, headers) for a valid token, a bad one and
// a POST, that /health and an unrouted write stay outside the limit, that
// retry-after and x-ratelimit-reset agree with the window's length, and
// that the window ends when retry-after said. Calls skip the pacer, which
// would wait the limit out. On the simulator's side the waits move its
// clock instead of sleeping.
func scenarioStockLimit(s *side) {
	s.t.useWindow(stockWindow)
	defer s.t.useWindow(0)
	// A database no one has: the answer holds nothing of the instance.
	me := func(step string, opts ...option) (*answer, time.Time) {
		sent := s.t.clock()
		return s.call(step, Viewer, "GET", dbPath(noSuchDatabase), nil, append(opts, unpaced())...), sent
	}
	probe, _ := me("probe", quiet())
	s.t.pause(seconds(probe.header.Get("X-Ratelimit-Reset"), 0) + windowMargin)

	first, opened := me("first answer of a window", recordHeaders("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"))
	window, _ := strconv.Atoi(first.header.Get("X-Ratelimit-Reset"))
	s.spendWindow(first)

	limited, sent := me("over the limit", recordHeaders("x-ratelimit-limit", "x-ratelimit-remaining"))
	retryAfter := s.limitedAnswer(limited, sent.Sub(opened), window)
	s.maskRetryAfter(s.call("over the limit, unknown token", "", "GET", "/api/auth/me", nil, unpaced(),
		header("Authorization", "Bearer bport_pat_no_such_token"), recordHeaders("x-ratelimit-remaining")))
	s.maskRetryAfter(s.call("over the limit, POST", Admin, "POST", "/api/environments", map[string]any{"name": s.envName()},
		unpaced(), recordHeaders("x-ratelimit-remaining")))
	s.call("health over the limit", "", "GET", "/health", nil, unpaced(),
		recordPresence("x-ratelimit-limit", "x-ratelimit-remaining", "retry-after"))
	s.call("unrouted write over the limit", Operator, "PUT", "/api/no-such-route", nil, unpaced(),
		recordPresence("x-ratelimit-limit", "x-ratelimit-remaining", "retry-after"))

	s.t.pause(sent.Add(time.Duration(retryAfter)*time.Second + windowMargin).Sub(s.t.clock()))
	me("after retry-after", recordHeaders("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"))
}

// spendWindow sends requests (not recorded one by one) until the window
// is spent, and records how x-ratelimit-remaining went.
func (s *side) spendWindow(first *answer) {
	remaining, _ := strconv.Atoi(first.header.Get("X-Ratelimit-Remaining"))
	sent, byOne := 0, true
	for remaining > 0 && sent < 2*stockLimit {
		a := s.call("spend", Viewer, "GET", dbPath(noSuchDatabase), nil, unpaced(), quiet())
		sent++
		next, err := strconv.Atoi(a.header.Get("X-Ratelimit-Remaining"))
		if err != nil || a.status != http.StatusNotFound {
			s.note("spend", "answer %d of the window: %d, x-ratelimit-remaining %q", sent, a.status, a.header.Get("X-Ratelimit-Remaining"))
			return
		}
		byOne = byOne && next == remaining-1
		remaining = next
	}
	s.log = append(s.log, Exchange{Step: s.scenario + "/spend the window", Request: "GET " + dbPath(noSuchDatabase) + " as viewer, until x-ratelimit-remaining is 0",
		Body: map[string]any{"answers after the first": float64(sent), "remaining fell by one each time": byOne, "remaining at the end": float64(remaining)}})
}

// limitedAnswer adds to the limited answer's record what its seconds say:
// whether retry-after and x-ratelimit-reset agree, and whether retry-after
// plus the time since the window opened is the window's length. It
// returns retry-after.
func (s *side) limitedAnswer(a *answer, sinceOpened time.Duration, window int) int {
	ex := &s.log[len(s.log)-1]
	retryAfter, err := strconv.Atoi(a.header.Get("Retry-After"))
	if err != nil {
		ex.header("retry-after", a.header.Get("Retry-After"))
		return 0
	}
	if reset := a.header.Get("X-Ratelimit-Reset"); reset == strconv.Itoa(retryAfter) {
		ex.header("retry-after", "the same as x-ratelimit-reset")
	} else {
		ex.header("retry-after", fmt.Sprintf("%d, x-ratelimit-reset %q", retryAfter, reset))
	}
	ex.header("retry-after + seconds since the window opened", windowBy(retryAfter, sinceOpened, window))
	s.maskRetryAfter(a)
	return retryAfter
}

// windowBy says whether retry-after, sent sinceOpened after the window's
// first answer, is the rest of a window of the given seconds: rounded up
// to whole seconds, retry-after plus the time since is the window's length
// or up to a second more.
func windowBy(retryAfter int, sinceOpened time.Duration, window int) string {
	w := float64(retryAfter) + sinceOpened.Seconds()
	if w >= float64(window)-windowMargin.Seconds() && w < float64(window)+1+windowMargin.Seconds() {
		return fmt.Sprintf("the %d s window of the first answer's x-ratelimit-reset", window)
	}
	return fmt.Sprintf("%.1f s (retry-after %d, %.1f s after the window opened), not the first answer's %d s",
		w, retryAfter, sinceOpened.Seconds(), window)
}

// maskRetryAfter replaces the retry-after seconds of the last answer, a
// in its body's texts ("Try again in 58 seconds."), which depend on when
// the request came; any other number there stays and is compared.
func (s *side) maskRetryAfter(a *answer) {
	n := strings.TrimSpace(a.header.Get("Retry-After"))
	m, ok := s.log[len(s.log)-1].Body.(map[string]any)
	if !ok || n == "" {
		return
	}
	seconds := regexp.MustCompile(`\b` + regexp.QuoteMeta(n) + `\b`)
	for _, k := range []string{"message", "hint"} {
		if text, ok := m[k].(string); ok {
			m[k] = seconds.ReplaceAllString(text, "<retry-after>")
		}
	}
}

// useWindow gives the simulator the platform's window for one scenario
// (0: the differential's own short one); the platform's is what it is.
func (t Target) useWindow(d time.Duration) {
	if t.setWindow != nil {
		t.setWindow(d)
	}
}

// clock and pause are the target's time: the simulator's moves on when a
// scenario waits for it, so a minute's window costs it no minute.
func (t Target) clock() time.Time {
	if t.now != nil {
		return t.now()
	}
	return time.Now()
}

func (t Target) pause(d time.Duration) {
	if d <= 0 {
		return
	}
	if t.sleep != nil {
		t.sleep(d)
		return
	}
	time.Sleep(d)
}
