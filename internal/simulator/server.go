package simulator

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// request is one API call on its way through the pipeline.
type request struct {
	http    *http.Request
	id      string
	route   *route
	params  map[string]string
	raw     []byte
	body    any
	hasBody bool
	who     *principal
	idem    *idemReservation
}

// reply is a fully built response; handlers never write to the connection,
// so a response can be thrown away after the write was applied (DropAfter).
type reply struct {
	status int
	body   []byte
	header http.Header
}

func ok(v any) reply { return reply{status: http.StatusOK, body: marshal(v)} }

func (q *request) fail(e *APIError) reply { return errorReply(e, q.id) }

// done is the platform's answer to a delete: {"success":true}, or the
// error the store refused it with.
func (q *request) done(err error) reply {
	if err == nil {
		return ok(map[string]bool{"success": true})
	}
	var e *APIError
	if !errors.As(err, &e) {
		e = errInternal()
	}
	return q.fail(e)
}

func errorReply(e *APIError, requestID string) reply {
	return reply{status: e.Status, body: marshal(e.envelope(requestID))}
}

// maxBody is generous; the real server's limit is 1 MiB.
const maxBody = 1 << 20

// ServeHTTP serves the platform API.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := &request{http: r, id: s.nextRequestID()}
	q.route, q.params = s.match(r.Method, r.URL.Path)
	s.counters.request(q.countKey())
	switch {
	case r.URL.Path == "/health":
		s.write(w, s.health(q))
	case strings.HasPrefix(r.URL.Path, "/api/"):
		s.serveAPI(w, q)
	default:
		s.serveOutsideAPI(w, q)
	}
}

// serveOutsideAPI answers /openapi.json, and every other path the
// platform's web UI would serve with the simulator's JSON 404. v2.3.0's
// rate limit covers these paths too; the newest build exempts them.
func (s *Simulator) serveOutsideAPI(w http.ResponseWriter, q *request) {
	if s.release.limitsOutsideAPI && !s.underLimit(w, q) {
		return
	}
	if q.http.URL.Path == "/openapi.json" {
		s.write(w, s.openAPI(q))
		return
	}
	s.write(w, q.fail(errRouteNotFound()))
}

// limits says whether the rate limit covers an /api/ request: one a route
// serves, or GET and HEAD on any path. On the platform, of both releases,
// the web UI's catch-all route carries the limit for GET and HEAD, and any
// other method on a path no route serves reaches the 404 handler, which
// the limit does not cover (make sim-diff-ratelimit compares it).
func (s *Simulator) limits(q *request) bool {
	m := q.http.Method
	return q.route != nil || m == http.MethodGet || m == http.MethodHead
}

// underLimit counts the request against its client's rate limit; over
// the limit it answers it and reports false.
func (s *Simulator) underLimit(w http.ResponseWriter, q *request) bool {
	n := s.limiter.take(clientIP(q.http), w.Header())
	if n == 0 {
		return true
	}
	s.write(w, q.fail(s.errRateLimited(n)))
	return false
}

// nextRequestID renders a per-process counter the way Fastify does
// ("req-" + base36), which is where the contract's "req-z" comes from.
func (s *Simulator) nextRequestID() string {
	return "req-" + strconv.FormatUint(s.reqSeq.Add(1), 36)
}

func (q *request) countKey() string {
	if p := q.http.URL.Path; p == "/health" || p == "/openapi.json" {
		return q.http.Method + " " + p
	}
	if q.route == nil {
		return q.http.Method + " (unmatched)"
	}
	return q.route.key()
}

// simulatorVersion is what the simulator's /health reports as its build. The
// platform reports its build stamp there (a git hash, not a semver), so
// clients may show it but must never parse it.
const simulatorVersion = "simulator"

// health copies the platform's body; the agent and CLI versions read
// "unknown" there unless the platform was built with them bundled.
func (s *Simulator) health(q *request) reply {
	if q.http.Method != http.MethodGet && q.http.Method != http.MethodHead {
		return q.fail(errRouteNotFound())
	}
	return ok(map[string]string{"status": "ok", "timestamp": jsTime(s.now()), "version": simulatorVersion,
		"bundledAgentVersion": "unknown", "cliVersion": "unknown"})
}

// serveAPI is the order of the real server's hooks: latency, the rate limit
// (before auth, so a bad token over the limit gets 429), injected faults,
// then routing, body parsing, Idempotency-Key and finally auth + handler.
func (s *Simulator) serveAPI(w http.ResponseWriter, q *request) {
	before, after := s.faults.latency()
	if !sleep(q.http.Context(), before) || (s.limits(q) && !s.underLimit(w, q)) {
		return
	}
	fault := s.faults.decide(q.http.Method)
	switch fault {
	case faultUnavailable:
		s.write(w, q.fail(s.errContention(w.Header())))
		return
	case faultDropBefore:
		dropConnection(w)
		return
	}
	if s.faults.failRoute(q.countKey()) {
		s.write(w, q.fail(errInternal()))
		return
	}
	rep := s.dispatch(q)
	if !sleep(q.http.Context(), after) {
		return // the write stays applied; the client never hears of it
	}
	if fault == faultDropAfter {
		dropConnection(w)
		return
	}
	s.write(w, rep)
}

// errRouteNotFound is the platform's answer to an unknown route or method
// under /api/: its own 404 handler's "Not found", put in the envelope like
// every other error (Fastify's default "Route GET:/x not found" never
// reaches a client).
func errRouteNotFound() *APIError { return errNotFound("Not found") }

func (s *Simulator) dispatch(q *request) reply {
	if q.route == nil {
		return q.fail(errRouteNotFound())
	}
	if e := q.readBody(); e != nil {
		return q.fail(e)
	}
	if rep, done := s.idem.begin(q); done {
		return rep
	}
	rep := s.authorizeAndHandle(q)
	s.idem.finish(q, rep)
	return rep
}

// readBody parses JSON before auth runs, like Fastify's content parser:
// malformed JSON is a 500 (the contract's observed answer) even for a
// request that would fail auth.
func (q *request) readBody() *APIError {
	raw, err := io.ReadAll(io.LimitReader(q.http.Body, maxBody+1))
	if err != nil {
		return errInternal()
	}
	if len(raw) > maxBody {
		return &APIError{Status: http.StatusRequestEntityTooLarge, Code: api.CodeValidation, Message: "Request body is too large"}
	}
	q.raw = raw
	q.body, q.hasBody, err = decodeBody(raw)
	if err != nil {
		return errInternal()
	}
	return nil
}

func (s *Simulator) authorizeAndHandle(q *request) reply {
	who, e := s.authenticate(q.http.Header.Get("Authorization"))
	if e == nil {
		e = checkScope(who, q)
	}
	if e == nil {
		e = checkRole(who, q)
	}
	if e != nil {
		return q.fail(e)
	}
	q.who = who
	return q.route.handle(s, q)
}

func (s *Simulator) write(w http.ResponseWriter, rep reply) {
	h := w.Header()
	for k, v := range rep.header {
		h[k] = v
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
	s.counters.response(rep.status)
}
