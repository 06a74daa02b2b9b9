package provider_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// manyDatabases is n platform_database resources named <prefix>-00…, with
// the host taken from var.host so an update touches all of them.
func manyDatabases(envID, prefix string, n int) string {
	return fmt.Sprintf(`
variable "host" {
  type    = string
  default = "h1.example.test"
}

resource "platform_database" "db" {
  count          = %d
  environment_id = %q
  name           = format("%s-%%02d", count.index)
  type           = "postgres"
  host           = var.host
}
`, n, envID, prefix)
}

// expectPlatformMatchesState proves the platform holds exactly the
// databases in state, with the expected names: no duplicate, no orphan.
func expectPlatformMatchesState(t *testing.T, w *cliWorkspace, p *platformacc.Platform, envID, prefix string, n int, host string) {
	t.Helper()
	inState := w.stateDatabases()
	onPlatform := p.State.Databases(envID)
	if len(onPlatform) != n || len(inState) != n {
		t.Fatalf("platform holds %d databases and state %d, want %d each", len(onPlatform), len(inState), n)
	}
	seen := map[string]bool{}
	for _, db := range onPlatform {
		if seen[db.Name] {
			t.Errorf("duplicate database %q on the platform", db.Name)
		}
		seen[db.Name] = true
		if inState[db.ID] != db.Name {
			t.Errorf("platform database %s (%q) is not in state as such (state has %q)", db.ID, db.Name, inState[db.ID])
		}
		if host != "" && (db.Host == nil || *db.Host != host) {
			t.Errorf("database %q has host %v, want %q", db.Name, db.Host, host)
		}
	}
	for i := 0; i < n; i++ {
		if name := fmt.Sprintf("%s-%02d", prefix, i); !seen[name] {
			t.Errorf("database %q missing on the platform", name)
		}
	}
}

// 20 % of requests answered 503 and 5 % of connections dropped after the
// write (plus the first three creates' responses lost for certain): 50
// databases are created, updated and destroyed with no error, the platform
// ends up holding exactly what state says, and the next plan is empty.
func TestAccReliability_faultsCreateUpdateDestroy(t *testing.T) {
	t.Parallel()
	platformacc.RequireSimulator(t, "fault injection")
	seed := time.Now().UnixNano()
	t.Logf("simulator fault seed %d", seed)
	p := platformacc.NewPlatformWith(t, simulator.Options{Seed: seed})
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	w := newCLIWorkspace(t, ownProcess)
	w.platformEnv(p.URL, platformacc.OperatorToken)
	w.writeConfig(manyDatabases(envID, "rel", 50))
	p.Sim.SetFaults(simulator.Faults{Unavailable: 0.2, DropBefore: 0.02, DropAfter: 0.05, DropAfterFirstPOSTs: 3})

	w.apply()
	expectPlatformMatchesState(t, w, p, envID, "rel", 50, "h1.example.test")
	w.expectEmptyPlan()

	w.apply("-var", "host=h2.example.test")
	expectPlatformMatchesState(t, w, p, envID, "rel", 50, "h2.example.test")
	w.expectEmptyPlan("-var", "host=h2.example.test")

	w.mustRun("destroy", "-auto-approve", "-input=false", "-parallelism=10", "-var", "host=h2.example.test")
	if left := p.Sim.Databases(envID); len(left) != 0 {
		t.Errorf("%d databases left after destroy, first %q", len(left), left[0].Name)
	}
	stats := p.Sim.FaultStats()
	t.Logf("faults injected: %+v; requests: %v", stats, p.Sim.Requests())
	if stats.Unavailable == 0 || stats.DroppedAfter < 3 {
		t.Errorf("the faults this test is about were not injected: %+v", stats)
	}
}

// The real default limit (100 requests per window) with a 4-second window
// so the test is quick: 150 creates wait out retry-after instead of
// failing, and each wait is logged at INFO/WARN so a slow apply explains
// itself. Another client on the same host (the limit is per IP) uses up
// the window just before the apply's first request, so that request is
// limited however fast or slow the machine is.
func TestAccReliability_rateLimit(t *testing.T) {
	t.Parallel()
	testRateLimit(t, simulator.ReleaseLatest, http.StatusTooManyRequests)
}

// BridgePort 2.x answers its rate limit with a 500 that carries the
// limiter's headers: the provider paces and retries it like a 429.
func TestAccReliability_rateLimitOn2_3_0(t *testing.T) {
	t.Parallel()
	testRateLimit(t, simulator.Release2_3_0, http.StatusInternalServerError)
}

// testRateLimit applies 150 databases against a limit of 100 per window
// that another client has used up, on a platform of release, which
// answers the limit with status.
func testRateLimit(t *testing.T, release simulator.Release, status int) {
	platformacc.RequireSimulator(t, "a short rate-limit window and another client using it up")
	p := platformacc.NewPlatformWith(t, simulator.Options{RateLimit: 100, RateWindow: 4 * time.Second, Release: release})
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	w := newCLIWorkspace(t, ownProcess)
	w.platformEnv(p.URL, platformacc.OperatorToken)
	w.providerLogs("INFO")
	w.writeConfig(manyDatabases(envID, "rl", 150))

	var once sync.Once
	p.OnRequest(func(r *http.Request) { once.Do(func() { useUpRateLimit(p, r.RemoteAddr) }) })
	started := time.Now()
	w.apply()
	elapsed := time.Since(started)
	if n := len(p.Sim.Databases(envID)); n != 150 {
		t.Fatalf("platform holds %d databases, want 150", n)
	}
	logs := w.logs()
	// Any wait for the rate limit, whether after a 429 or paced ahead of
	// one, says so at INFO or WARN.
	waits := regexp.MustCompile(`(?m)^.*\[(INFO|WARN)\].*(?i:rate limit).*(?i:wait).*$`).FindAllString(logs, -1)
	if len(waits) == 0 {
		t.Fatalf("150 requests against a limit of 100 logged no rate-limit wait (statuses %v); provider log:\n%s", p.Sim.StatusCounts(), tail(logs, 40))
	}
	// Exactly one line per rate-limit answer: no silent retry, no log storm.
	retries := strings.Count(logs, "rate limited by the platform API; waiting")
	if got := p.Sim.StatusCounts()[status]; retries != got || got == 0 {
		t.Errorf("%d rate-limit retry log lines for %d answers of %d", retries, got, status)
	}
	// Paced waits are logged once per window the provider waited for, not
	// once per request held back (ten of them wait at a time).
	paced := strings.Count(logs, "requests per window used up; waiting")
	if windows := int(elapsed/(4*time.Second)) + 2; paced > windows {
		t.Errorf("%d pacing wait log lines in %s of 4-second windows; want at most one per window (%d)", paced, elapsed.Round(time.Second), windows)
	}
	t.Logf("%d rate-limit waits logged, %d answers of %d, requests %v", len(waits), p.Sim.StatusCounts()[status], status, p.Sim.Requests())
}

// SIGINT in the middle of creating 30 databases, while the platform is slow
// to answer after it applied each write: state stays consistent with the
// platform, and a second apply converges without duplicates.
func TestAccReliability_interrupt(t *testing.T) {
	t.Parallel()
	platformacc.RequireSimulator(t, "fault injection: a platform slow to answer after each write")
	p := platformacc.NewPlatform(t)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	w := newCLIWorkspace(t, ownProcess)
	w.platformEnv(p.URL, platformacc.OperatorToken)
	w.providerLogs("WARN")
	w.writeConfig(manyDatabases(envID, "int", 30))
	p.Sim.SetFaults(simulator.Faults{LatencyAfter: 500 * time.Millisecond})

	apply := w.start("apply", "-auto-approve", "-input=false", "-parallelism=10")
	deadline := time.Now().Add(2 * time.Minute)
	for len(p.Sim.Databases(envID)) < 12 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	apply.interrupt()
	res := apply.wait()
	if res.code == 0 {
		t.Fatalf("the interrupted apply reported success:\n%s", res)
	}
	created := len(p.Sim.Databases(envID))
	if created == 0 || created == 30 {
		t.Fatalf("the interrupt did not land mid-apply: %d of 30 databases created", created)
	}
	expectPlatformMatchesStateSubset(t, w, p, envID)
	t.Logf("interrupted after %d of 30 creates; %d in-flight creates settled", created,
		strings.Count(w.logs(), "replaying its Idempotency-Key"))

	p.Sim.SetFaults(simulator.Faults{})
	w.apply()
	expectPlatformMatchesState(t, w, p, envID, "int", 30, "h1.example.test")
	w.expectEmptyPlan()
}

// expectPlatformMatchesStateSubset: after an interrupted apply, every
// database on the platform is in state and vice versa.
func expectPlatformMatchesStateSubset(t *testing.T, w *cliWorkspace, p *platformacc.Platform, envID string) {
	t.Helper()
	inState := w.stateDatabases()
	var orphans []string
	for _, db := range p.State.Databases(envID) {
		if inState[db.ID] != db.Name {
			orphans = append(orphans, db.Name)
		}
		delete(inState, db.ID)
	}
	sort.Strings(orphans)
	if len(orphans) > 0 {
		t.Errorf("databases on the platform that state does not know: %v", orphans)
	}
	if len(inState) > 0 {
		t.Errorf("databases in state that the platform does not have: %v", inState)
	}
}

// useUpRateLimit spends the window's 100 requests as a client at addr.
func useUpRateLimit(p *platformacc.Platform, addr string) {
	for i := 0; i < 100; i++ {
		req := httptest.NewRequest(http.MethodGet, "/api/environments", nil)
		req.RemoteAddr = addr
		p.Sim.ServeHTTP(httptest.NewRecorder(), req)
	}
}

func tail(s string, lines int) string {
	parts := strings.Split(s, "\n")
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return strings.Join(parts, "\n")
}
