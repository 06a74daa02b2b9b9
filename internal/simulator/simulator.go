// Package simulator is an in-memory simulator of the platform API (the
// BridgePort API) that behaves like the real server as recorded in the API
// contract: auth and roles, environment-scoped tokens, zod-style validation
// details, the error envelope, the per-IP rate limit, Idempotency-Key
// replay, fault injection and the server's quirks.
package simulator

import (
	"encoding/pem"
	"net/http/httptest"
	"sync/atomic"
	"time"
)

// Role is a token's role.
type Role string

// The three roles of the platform.
const (
	RoleViewer   Role = "viewer"
	RoleOperator Role = "operator"
	RoleAdmin    Role = "admin"
)

// Token is an API token the simulator accepts.
type Token struct {
	Value string
	Role  Role
	// Environments scopes the token to these environments (names; ids work
	// too). nil or empty means all environments.
	Environments []string
	// ServiceAccount names the service account that owns the token (one
	// made up from the token's number when empty). A service account owns
	// a token unless User, Email or Name says a user does, because that is
	// how the platform's automation tokens are owned and so what a
	// provider run meets: /api/auth/me reports "sa:<id>",
	// "<name>@service-account.local" and serviceAccountId, and the backups
	// it starts or pins record no user (triggeredById, triggeredBy and
	// pinnedById null). Tokens naming the same account share its id.
	ServiceAccount string
	// User makes a user own the token (a personal token): /api/auth/me
	// reports that user and the backups it starts or pins record them.
	// Email and Name are the user's (made up from the token's number when
	// empty); setting either implies User. AddToken, and so New, panics on
	// a token that names both a service account and a user.
	User  bool
	Email string
	Name  string
}

// ownedByUser: a personal token rather than a service account's.
func (t Token) ownedByUser() bool { return t.User || t.Email != "" || t.Name != "" }

// Faults configures injected failures on /api requests.
type Faults struct {
	Unavailable float64       // fraction of /api requests answered as storage contention: 503 + retry-after: 1 (v2.3.0: 500)
	DropBefore  float64       // fraction of connections closed before the handler runs
	DropAfter   float64       // fraction closed after the handler ran (write applied), response never sent
	Latency     time.Duration // added to every /api request
	// LatencyAfter delays the response after the handler ran, as a server
	// that commits and then stalls does: a client that gives up meanwhile
	// never learns that its write was applied.
	LatencyAfter time.Duration
	// DropAfterFirstPOSTs closes the connection after the handler ran for
	// the first n POST requests (not counted in DropAfter's draw), so a
	// test can rely on lost create responses happening.
	DropAfterFirstPOSTs int
	// FailRoute answers requests to one route ("DELETE /api/backups/{id}",
	// as Requests() names it) with a 500 before the handler runs: the
	// first FailAfter of them go through, the next FailTimes fail.
	FailRoute string
	FailAfter int
	FailTimes int
}

// Options configures a Simulator.
type Options struct {
	Tokens       []Token
	Environments []string      // environment names created at start (in order)
	RateLimit    int           // requests per window per client IP; 0 = off
	RateWindow   time.Duration // 0 = 60s
	Faults       Faults
	Seed         int64            // 0 = random; otherwise faults and ids are reproducible
	Now          func() time.Time // optional clock
	// DialTimeout bounds the TCP dial of a database's host by
	// test-connection and by backups of postgres databases (0 = 3s; the
	// platform's drivers wait 10s).
	DialTimeout time.Duration
	// DumpAnyHost lets backups of postgres and mysql databases complete
	// without reaching their host, as the simulator did before it followed
	// the platform there, for suites whose databases live on made-up hosts
	// (the acceptance harness sets it). By default a postgres backup dials
	// the host as pg_dump would and, like the platform, fails in its dump
	// step when nothing answers there, and a mysql backup fails as on the
	// platform, whose host has no mysqldump. Test-connection always dials.
	DumpAnyHost bool
	// Release is the platform release to act as: ReleaseLatest (the zero
	// value) or Release2_3_0, which lacks what 3.0.0 added and answers its
	// rate limit and storage contention with a 500 (see release.go). New
	// panics on any other value; ParseRelease checks a name first.
	Release Release
}

// Simulator is the platform API as an http.Handler; safe for concurrent use.
type Simulator struct {
	now      func() time.Time
	ids      *idGen
	store    *store
	auth     *authStore
	limiter  *rateLimiter
	idem     *idempotencyStore
	faults   *faultInjector
	counters *counters
	reqSeq   atomic.Uint64
	routes   []*route
	// dialTimeout and dumpAnyHost are Options' DialTimeout and DumpAnyHost.
	dialTimeout time.Duration
	dumpAnyHost atomic.Bool
	// release is Options.Release's traits.
	release releaseTraits
}

// New builds a simulator with the given tokens and environments.
func New(opts Options) *Simulator {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	clock := func() time.Time { return now().UTC().Truncate(time.Millisecond) }
	seed := uint64(opts.Seed)
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	s := &Simulator{
		release:  traitsOf(opts.Release),
		now:      clock,
		ids:      newIDGen(seed, clock),
		store:    newStore(),
		auth:     newAuthStore(),
		limiter:  newRateLimiter(clock),
		idem:     newIdempotencyStore(clock),
		faults:   newFaultInjector(seed),
		counters: newCounters(),
	}
	s.store.clock = clock
	s.dialTimeout = opts.DialTimeout
	s.dumpAnyHost.Store(opts.DumpAnyHost)
	s.routes = s.routeTable()
	s.limiter.set(opts.RateLimit, opts.RateWindow)
	s.faults.set(opts.Faults)
	for _, t := range opts.Tokens {
		s.AddToken(t)
	}
	for _, name := range opts.Environments {
		s.CreateEnvironment(name)
	}
	return s
}

// Start serves the simulator on a new local HTTP/1.1 test server (so
// dropped connections can be hijacked) and returns its URL and a stop func.
func (s *Simulator) Start() (url string, stop func()) {
	srv := httptest.NewServer(s)
	return srv.URL, srv.Close
}

// StartTLS is Start over https, with a certificate from a fresh test CA;
// caPEM is that certificate, for clients to trust.
func (s *Simulator) StartTLS() (url, caPEM string, stop func()) {
	srv := httptest.NewTLSServer(s)
	caPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	return srv.URL, caPEM, srv.Close
}

// Release is the platform release the simulator acts as.
func (s *Simulator) Release() Release { return s.release.name }

// SetDumpAnyHost changes Options.DumpAnyHost for backups started from now
// on.
func (s *Simulator) SetDumpAnyHost(on bool) { s.dumpAnyHost.Store(on) }

// SetFaults replaces the fault configuration at runtime.
func (s *Simulator) SetFaults(f Faults) { s.faults.set(f) }

// FaultStats reports how many faults have been injected so far.
func (s *Simulator) FaultStats() FaultStats { return s.faults.snapshot() }

// SetRateLimit changes the limit (0 = off) and window (0 = 60s) at runtime
// and starts every client on a fresh window.
func (s *Simulator) SetRateLimit(limit int, window time.Duration) { s.limiter.set(limit, window) }

// AddToken accepts a token (replacing one with the same value).
func (s *Simulator) AddToken(t Token) { s.auth.add(t, s.ids.next()) }

// RevokeToken makes a token unknown: 401 from then on.
func (s *Simulator) RevokeToken(value string) { s.auth.revoke(value) }

// Requests counts requests by "METHOD /route-pattern", for example
// "GET /api/databases/{id}", and "GET /health" and "GET /openapi.json" by
// their path; other unmatched paths count as "METHOD (unmatched)".
func (s *Simulator) Requests() map[string]int { return s.counters.byRoute() }

// StatusCounts counts responses by HTTP status (dropped connections excluded).
func (s *Simulator) StatusCounts() map[int]int { return s.counters.byStatus() }

// TotalRequests is the number of requests that reached the simulator.
func (s *Simulator) TotalRequests() int { return s.counters.totalCount() }

// ResetRequests zeroes the request, status and fault counters.
func (s *Simulator) ResetRequests() {
	s.counters.reset()
	s.faults.resetStats()
}
