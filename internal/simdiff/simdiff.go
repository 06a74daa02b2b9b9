// Package simdiff is the live differential between the simulator and a
// real platform: it sends the same scripted requests to both, masks what
// is bound to differ between any two servers (ids, times, request ids,
// latencies) and compares status and body. Every remaining difference
// must be one CONTRACT.md accepts (its table "The differential's accepted
// differences"), or the run fails.
package simdiff

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/acctest/accenv"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// EnvironmentPrefix starts the name of every environment the
// differential creates, on both sides.
const EnvironmentPrefix = "simdiff-"

// ErrNoPlatform is Run's answer when no platform is configured.
var ErrNoPlatform = errors.New("the differential needs a running platform: set " + accenv.Endpoint + " and the " +
	"PLATFORM_ACC_*_TOKEN variables (scripts/platform.sh prints them)")

// PlatformFromEnv reads the platform's endpoint and tokens; every one is
// required, since every role's answers are compared. PLATFORM_ACC_RELEASE
// names its release when it is not the newest build.
func PlatformFromEnv() (Target, error) {
	t := Target{Name: "platform", URL: os.Getenv(accenv.Endpoint), ScopedEnvID: os.Getenv(accenv.ScopedEnvID),
		Tokens: map[string]string{Admin: os.Getenv(accenv.AdminToken), Operator: os.Getenv(accenv.OperatorToken),
			Viewer: os.Getenv(accenv.ViewerToken), Scoped: os.Getenv(accenv.ScopedToken)},
		Release: os.Getenv(accenv.Release)}
	if t.URL == "" {
		return t, ErrNoPlatform
	}
	if _, err := simulator.ParseRelease(t.Release); err != nil {
		return t, fmt.Errorf("%s: %w", accenv.Release, err)
	}
	var missing []string
	for name, v := range map[string]string{accenv.AdminToken: t.Tokens[Admin], accenv.OperatorToken: t.Tokens[Operator],
		accenv.ViewerToken: t.Tokens[Viewer], accenv.ScopedToken: t.Tokens[Scoped], accenv.ScopedEnvID: t.ScopedEnvID} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return t, fmt.Errorf("%s is set but not %s", accenv.Endpoint, strings.Join(missing, ", "))
	}
	return t, nil
}

// Result is a finished run.
type Result struct {
	Platform, Simulator []Exchange
	Differences         []Difference
	Accepted            []*Accepted
	// Stale are the accepted rows this run should have shown and did not.
	Stale []*Accepted
	// Waited is how long the platform's rate limit held the script back;
	// LimitHits how many answers were the limit all the same (sent again).
	Waited    time.Duration
	LimitHits int
}

// Run compares a fresh in-process simulator, acting as the platform's
// release, with the platform, scenario by scenario (all when only is
// empty).
func Run(ctx context.Context, platform Target, only []string, workDir string) (*Result, error) {
	accepted, err := AcceptedDifferences(platform.Release)
	if err != nil {
		return nil, err
	}
	return runWith(ctx, platform, only, workDir, accepted)
}

// runWith is Run with the accepted rows given (tests give their own).
func runWith(ctx context.Context, platform Target, only []string, workDir string, accepted []*Accepted) (*Result, error) {
	if err := checkRowsNameScenarios(accepted); err != nil {
		return nil, err
	}
	selected, err := selectScenarios(only)
	if err != nil {
		return nil, err
	}
	platform.pacer = newPacer()
	sim, err := mirror(ctx, platform)
	if err != nil {
		return nil, err
	}
	url, stop := sim.sim.Start()
	defer stop()
	simTarget := Target{Name: "simulator", URL: url, Tokens: platform.Tokens, ScopedEnvID: sim.scopedEnvID,
		Release: platform.Release, NoCollector: true, pacer: newPacer(), now: sim.clock.now, sleep: sim.clock.advance,
		setWindow: func(d time.Duration) {
			if d == 0 {
				d = mirrorWindow
			}
			sim.sim.SetRateLimit(sim.limit, d)
		}}
	if slices.ContainsFunc(selected, func(sc scenario) bool { return sc.name == stockLimitScenario }) && sim.limit != stockLimit {
		return nil, fmt.Errorf("the %s scenario needs a platform at the stock limit of %d requests a minute, and "+
			"this one allows %d: start it with PLATFORM_RATE_LIMIT=stock (scripts/platform.sh --stock-limit)",
			stockLimitScenario, stockLimit, sim.limit)
	}

	run := strconv.FormatInt(time.Now().Unix()%1_000_000, 36)
	var res Result
	var ran []string
	for _, sc := range selected {
		res.Platform = append(res.Platform, runScenario(ctx, platform, run, sc, workDir)...)
		res.Simulator = append(res.Simulator, runScenario(ctx, simTarget, run, sc, workDir)...)
		ran = append(ran, sc.name)
	}
	cleanup(ctx, platform, run)
	res.Waited, res.LimitHits = platform.pacer.Waited()
	res.Accepted = accepted
	res.Differences = Compare(res.Platform, res.Simulator, accepted)
	res.Stale = Stale(accepted, ran)
	return &res, nil
}

// selectScenarios picks the named scenarios in their running order, or
// the default ones when none is named.
func selectScenarios(only []string) ([]scenario, error) {
	if len(only) == 0 {
		return scenarios, nil
	}
	var out []scenario
	for _, sc := range allScenarios() {
		if slices.Contains(only, sc.name) {
			out = append(out, sc)
		}
	}
	for _, name := range only {
		if !slices.ContainsFunc(out, func(sc scenario) bool { return sc.name == name }) {
			return nil, fmt.Errorf("no scenario %q (the scenarios: %s)", name, strings.Join(scenarioNames(), ", "))
		}
	}
	return out, nil
}

func runScenario(ctx context.Context, t Target, run string, sc scenario, workDir string) (log []Exchange) {
	s := &side{t: t, ctx: ctx, run: run, scenario: sc.name, workDir: workDir}
	defer func() {
		if r := recover(); r != nil {
			s.note("panic", "the scenario stopped: %v", r)
		}
		log = s.log
	}()
	sc.run(s)
	return s.log
}

// cleanup deletes what a scenario that stopped early left on the
// platform: every environment of this run.
func cleanup(ctx context.Context, t Target, run string) {
	s := &side{t: t, ctx: ctx, scenario: "cleanup"}
	a := s.call("list", Admin, "GET", "/api/environments", nil, quiet())
	envs, _ := a.at("environments").([]any)
	for i := range envs {
		if strings.HasPrefix(a.str("environments", i, "name"), EnvironmentPrefix+run+"-") {
			s.call("delete", Admin, "DELETE", "/api/environments/"+a.str("environments", i, "id"), nil, quiet())
		}
	}
}

// mirrored is the simulator made to look like the platform's set-up.
type mirrored struct {
	sim         *simulator.Simulator
	scopedEnvID string
	limit       int // the platform's rate limit, which the simulator has too
	clock       *offsetClock
}

// offsetClock is the simulator's clock: the time plus however long the
// scenarios waited on its side (see Target.pause).
type offsetClock struct{ ahead atomic.Int64 }

func (c *offsetClock) now() time.Time { return time.Now().Add(time.Duration(c.ahead.Load())) }

func (c *offsetClock) advance(d time.Duration) { c.ahead.Add(int64(d)) }

// mirrorWindow is the simulator's rate-limit window. The platform's is a
// minute, but only the limit and the presence of the headers are compared,
// and a short window spares the script minutes of waiting on the simulator
// side against a platform at the stock limit.
const mirrorWindow = 2 * time.Second

// mirror builds a simulator whose tokens match the platform's: the same
// values and roles, owned like them (a user with the same email and name,
// or a service account with the same name), the scoped token scoped to an
// environment of the same name, the platform's rate limit, and its
// release.
func mirror(ctx context.Context, p Target) (*mirrored, error) {
	s := &side{t: p, ctx: ctx, scenario: "setup"}
	release, err := simulator.ParseRelease(p.Release)
	if err != nil {
		return nil, err
	}
	clock := &offsetClock{}
	opts := simulator.Options{RateWindow: mirrorWindow, Release: release, Now: clock.now}
	scopedName := ""
	for _, role := range []string{Admin, Operator, Viewer, Scoped} {
		a := s.call("me", role, "GET", "/api/auth/me", nil, quiet())
		if a.status != http.StatusOK {
			return nil, fmt.Errorf("the platform's %s token: GET /api/auth/me answered %d %v", role, a.status, a.body)
		}
		tok := simulator.Token{Value: p.Tokens[role], Role: simulator.Role(a.str("role"))}
		if a.str("user", "serviceAccountId") != "" {
			tok.ServiceAccount = a.str("user", "name")
		} else {
			tok.Email, tok.Name = a.str("user", "email"), a.str("user", "name")
		}
		if role == Scoped {
			env := s.call("env", Admin, "GET", "/api/environments/"+p.ScopedEnvID, nil, quiet())
			scopedName = env.str("environment", "name")
			if scopedName == "" {
				return nil, fmt.Errorf("the scoped environment %s: %d %v", p.ScopedEnvID, env.status, env.body)
			}
			tok.Environments = []string{scopedName}
		}
		if role == Admin {
			limit, err := strconv.Atoi(a.header.Get("x-ratelimit-limit"))
			if err != nil {
				return nil, fmt.Errorf("the platform sent no x-ratelimit-limit: %w", err)
			}
			opts.RateLimit = limit
		}
		opts.Tokens = append(opts.Tokens, tok)
	}
	if n := databasesOn(s); n != 0 {
		return nil, fmt.Errorf("the platform already holds %d databases (the database types' _count.databases), "+
			"which the simulator's counts would not match: run the differential on a platform that holds none "+
			"(scripts/platform.sh --fresh)", n)
	}
	opts.Environments = []string{scopedName}
	sim := simulator.New(opts)
	return &mirrored{sim: sim, scopedEnvID: sim.EnvironmentID(scopedName), limit: opts.RateLimit, clock: clock}, nil
}

// databasesOn counts the databases of every environment, as the database
// types count them.
func databasesOn(s *side) int {
	a := s.call("types", Admin, "GET", "/api/settings/database-types", nil, quiet())
	types, _ := a.at("databaseTypes").([]any)
	n := 0
	for i := range types {
		c, _ := a.at("databaseTypes", i, "_count", "databases").(float64)
		n += int(c)
	}
	return n
}

// Summary prints the totals.
func (r *Result) Summary(w io.Writer) {
	bad, ok := 0, 0
	for _, d := range r.Differences {
		if d.Accepted == nil {
			bad++
		} else {
			ok++
		}
	}
	fmt.Fprintf(w, "%d exchanges compared, %d differences accepted by CONTRACT.md, %d not; %d of its %d rows stale\n",
		len(r.Platform), ok, bad, len(r.Stale), len(r.Accepted))
	if r.Waited > 0 || r.LimitHits > 0 {
		fmt.Fprintf(w, "the platform's rate limit held the script back %s (%d answers were the limit and were sent again)\n",
			r.Waited.Round(time.Second), r.LimitHits)
	}
}
