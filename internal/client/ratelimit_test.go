package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

func rateHeaders(limit, remaining, reset int) http.Header {
	h := http.Header{}
	h.Set("X-Ratelimit-Limit", strconv.Itoa(limit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-Ratelimit-Reset", strconv.Itoa(reset))
	return h
}

// mustPass reserves a request that the budget must allow.
func mustPass(t *testing.T, tr *rateLimitTracker, now time.Time) {
	t.Helper()
	if wait, _, _ := tr.reserve(now, time.Time{}); wait != 0 {
		t.Fatalf("reserve at %s waited %s, want 0", now.Format(time.StampMilli), wait)
	}
}

func TestRateLimitTrackerSpendsBudgetThenWaitsForWindowEnd(t *testing.T) {
	var tr rateLimitTracker
	t0 := time.Unix(1000, 0)

	mustPass(t, &tr, t0) // nothing known yet: not paced
	tr.observe(rateHeaders(3, 2, 10), t0)
	tr.done()
	mustPass(t, &tr, t0)
	mustPass(t, &tr, t0)
	wait, end, logIt := tr.reserve(t0, time.Time{})
	if wait != 10*time.Second || !end.Equal(t0.Add(10*time.Second)) || !logIt {
		t.Fatalf("with the budget spent: wait=%s end=%s log=%t, want 10s to the window end, logged", wait, end, logIt)
	}
	if _, _, logIt := tr.reserve(t0.Add(time.Second), time.Time{}); logIt {
		t.Fatal("a second request waiting for the same window logged again")
	}
	// Having slept until the end, the window is over even if the clock lags.
	if wait, _, _ := tr.reserve(t0, end); wait != 0 {
		t.Fatalf("after sleeping until the window end: wait=%s, want 0", wait)
	}
}

func TestRateLimitTrackerTightensWindowEndWithinOneWindow(t *testing.T) {
	var tr rateLimitTracker
	t0 := time.Unix(1000, 0)
	mustPass(t, &tr, t0)
	tr.observe(rateHeaders(2, 1, 10), t0) // end within (t0+9s, t0+10s]
	tr.done()
	mustPass(t, &tr, t0.Add(300*time.Millisecond))
	// The same window seen later: reset rounded up from 9.7s → 10s would
	// imply t0+10.3s; a later answer saying 9 narrows the end to t0+9.6s.
	tr.observe(rateHeaders(2, 0, 9), t0.Add(600*time.Millisecond))
	tr.done()
	wait, _, _ := tr.reserve(t0.Add(time.Second), time.Time{})
	if want := 8600 * time.Millisecond; wait != want {
		t.Fatalf("wait = %s, want %s (the tightest end seen)", wait, want)
	}
}

func TestRateLimitTrackerCountsRequestsInFlightIntoANewWindow(t *testing.T) {
	var tr rateLimitTracker
	t0 := time.Unix(1000, 0)
	mustPass(t, &tr, t0)
	tr.observe(rateHeaders(10, 9, 5), t0)
	tr.done()
	for range 4 {
		mustPass(t, &tr, t0)
	}
	// One answer arrives from a window this process did not expect (the
	// server reset early, say); three others are still unanswered and may
	// not be counted yet.
	tr.observe(rateHeaders(10, 9, 5), t0.Add(20*time.Second))
	tr.done()
	later := t0.Add(20 * time.Second)
	for range 6 {
		mustPass(t, &tr, later)
	}
	if wait, _, _ := tr.reserve(later, time.Time{}); wait == 0 {
		t.Fatal("budget = remaining, ignoring the three requests still in flight")
	}
}

func TestRateLimitTrackerIgnoresLateAnswersFromThePreviousWindow(t *testing.T) {
	var tr rateLimitTracker
	t0 := time.Unix(1000, 0)
	mustPass(t, &tr, t0)
	tr.observe(rateHeaders(2, 1, 2), t0)
	tr.done()
	mustPass(t, &tr, t0)                                            // the last of the budget
	mustPass(t, &tr, t0.Add(2*time.Second))                         // window over: a new one is assumed
	tr.observe(rateHeaders(2, 0, 1), t0.Add(1500*time.Millisecond)) // the old window's late answer
	tr.done()
	mustPass(t, &tr, t0.Add(2*time.Second)) // still the new window's second request
}

func TestRateLimitTrackerWithoutHeadersDoesNotPace(t *testing.T) {
	var tr rateLimitTracker
	for range 1000 {
		mustPass(t, &tr, time.Unix(1000, 0))
		tr.observe(http.Header{}, time.Unix(1000, 0))
		tr.done()
	}
}

// simulatorTransport serves requests with sim's handler in memory, as if
// from one client address: inside a synctest bubble nothing then waits on
// the network, so the bubble's clock moves only when every goroutine waits
// on a timer.
func simulatorTransport(sim *simulator.Simulator) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		in := r.Clone(r.Context())
		in.RemoteAddr = "192.0.2.1:40000"
		in.RequestURI = r.URL.RequestURI()
		if in.Body == nil {
			in.Body = http.NoBody
		}
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, in)
		return rec.Result(), nil
	})
}

// TestPacingAgainstSimulator sends more requests than one window allows, in
// parallel, against the simulator's fixed window: none may be refused, and
// the run takes as long as the windows it needs and no longer. It runs in a
// synctest bubble, where the client's and the simulator's clocks are the
// bubble's fake one: the durations are exact, whatever the machine's load.
func TestPacingAgainstSimulator(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const (
			limit    = 5
			window   = 2 * time.Second
			requests = 12 // ceil(12/5) = 3 windows: two full waits
		)
		sim := simulator.New(simulator.Options{
			Tokens:       []simulator.Token{{Value: testToken, Role: simulator.RoleOperator}},
			Environments: []string{"pace"},
			RateLimit:    limit,
			RateWindow:   window,
		})
		c, err := New(Config{Endpoint: "http://platform.test", Token: testToken,
			HTTPClient: &http.Client{Transport: simulatorTransport(sim)}})
		if err != nil {
			t.Fatal(err)
		}
		envID := sim.EnvironmentID("pace")

		start := time.Now()
		var wg sync.WaitGroup
		sem := make(chan struct{}, 4)
		for range requests {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				if _, err := c.ListDatabases(context.Background(), envID, 1, 0); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		took := time.Since(start)

		if n := sim.StatusCounts()[http.StatusTooManyRequests]; n != 0 {
			t.Errorf("the simulator answered 429 %d times; pacing should avoid every one", n)
		}
		if got := sim.TotalRequests(); got != requests {
			t.Errorf("simulator saw %d requests, want %d", got, requests)
		}
		// Requests take no time in the bubble, so the run is exactly the two
		// windows it has to wait for: the budget of each window is sent at
		// once, and the next request goes at the window's end, not later.
		if took != 2*window {
			t.Errorf("took %s, want exactly %s (two windows)", took, 2*window)
		}
	})
}
