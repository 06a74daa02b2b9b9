package simdiff

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// stockStandIn is a stand-in platform at the stock limit whose minute
// passes when the scenario waits for it.
func stockStandIn(t *testing.T, release simulator.Release, rewrites ...rewrite) Target {
	t.Helper()
	clock := &offsetClock{}
	target := standInWith(t, simulator.Options{RateLimit: stockLimit, RateWindow: stockWindow, Release: release,
		Now: clock.now}, rewrites...)
	target.now, target.sleep = clock.now, clock.advance
	return target
}

// TestStockLimitAgainstItself runs the stock-limit scenario against two
// simulators of each release: it must run through, spend the window and
// find no difference.
func TestStockLimitAgainstItself(t *testing.T) {
	for _, release := range []simulator.Release{simulator.ReleaseLatest, simulator.Release2_3_0} {
		t.Run(release.String(), func(t *testing.T) {
			res, err := runWith(context.Background(), stockStandIn(t, release), []string{stockLimitScenario}, t.TempDir(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if bad := unaccepted(res); len(bad) > 0 {
				for _, d := range bad {
					t.Errorf("%s at %s: %s vs %s", d.Step, d.Path, show(d.Platform), show(d.Simulator))
				}
			}
			var steps []string
			for _, e := range res.Platform {
				steps = append(steps, strings.TrimPrefix(e.Step, stockLimitScenario+"/"))
				if e.Err != "" {
					t.Errorf("%s: %s", e.Step, e.Err)
				}
			}
			t.Logf("steps: %s", strings.Join(steps, "; "))
			var limited Exchange
			for _, e := range res.Platform {
				if e.Step == stockLimitScenario+"/over the limit" {
					limited = e
				}
			}
			window, _ := limited.Headers["retry-after + seconds since the window opened"].(string)
			if limited.Headers["x-ratelimit-remaining"] != "0" || !strings.HasPrefix(window, "the 60 s window") {
				t.Errorf("the limited answer: %+v", limited)
			}
		})
	}
}

// TestStockLimitRefusesARaisedLimit: against a platform at a raised limit
// the scenario would never see the limit, and says so before it starts.
func TestStockLimitRefusesARaisedLimit(t *testing.T) {
	_, err := runWith(context.Background(), standIn(t, simulator.ReleaseLatest), []string{stockLimitScenario}, t.TempDir(), nil)
	if err == nil || !strings.Contains(err.Error(), "PLATFORM_RATE_LIMIT=stock") {
		t.Fatalf("err = %v", err)
	}
}

// TestWindowBy: retry-after is the rest of the window, rounded up.
func TestWindowBy(t *testing.T) {
	for _, tc := range []struct {
		retryAfter int
		since      time.Duration
		agrees     bool
	}{
		{60, 0, true}, {59, 1500 * time.Millisecond, true}, {59, 1900 * time.Millisecond, true},
		{60, 1500 * time.Millisecond, false}, {58, 1500 * time.Millisecond, false}, {2, 1500 * time.Millisecond, false},
	} {
		got := windowBy(tc.retryAfter, tc.since, 60)
		if strings.HasPrefix(got, "the 60 s window") != tc.agrees {
			t.Errorf("retry-after %d after %s: %s", tc.retryAfter, tc.since, got)
		}
	}
}
