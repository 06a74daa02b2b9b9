package simdiff

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Roles name the tokens a scenario calls with; "" sends no token.
const (
	Admin    = "admin"
	Operator = "operator"
	Viewer   = "viewer"
	Scoped   = "scoped"
)

// Target is one API under test: where it is and its tokens by role.
type Target struct {
	Name        string // "platform" or "simulator", for messages
	URL         string
	Tokens      map[string]string
	ScopedEnvID string
	// Client sends the requests; nil means http.DefaultClient.
	Client *http.Client
	// Release is the platform release the target is, as 2.3.0; "" for the
	// newest build.
	Release string
	// NoCollector says the target runs no monitoring collector: a
	// simulator, also one standing in for the platform in tests.
	NoCollector bool
	// pacer keeps the target's calls within its rate limit.
	pacer *pacer
	// setWindow, now and sleep are the simulator's: its rate-limit window
	// for one scenario, and its clock (see Target.clock); nil for the
	// platform.
	setWindow func(time.Duration)
	now       func() time.Time
	sleep     func(time.Duration)
}

// Exchange is one recorded answer: the step it answers, the request that
// was sent and what came back (the status, the decoded body, and the
// headers the step asked to see).
type Exchange struct {
	Step    string
	Request string
	Status  int
	Body    any
	Headers map[string]any
	Err     string // a transport error, or a scenario that could not go on
}

// side runs the scenarios against one Target and keeps their transcript.
type side struct {
	t        Target
	ctx      context.Context
	run      string
	scenario string
	workDir  string // for files the platform reads on this host
	log      []Exchange
}

// answer is a decoded response a scenario reads ids from.
type answer struct {
	status int
	body   any
	header http.Header
}

// at walks the body by keys and array indexes; nil when absent.
func (a *answer) at(path ...any) any {
	cur := a.body
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil
			}
			cur = m[k]
		case int:
			l, ok := cur.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			cur = l[k]
		}
	}
	return cur
}

func (a *answer) str(path ...any) string {
	s, _ := a.at(path...).(string)
	return s
}

// option changes one call.
type option func(*callOpts)

type callOpts struct {
	headers   map[string]string
	record    []string // response headers to record
	noRecord  bool
	rawBody   string
	sendBody  bool
	presenceh []string // response headers recorded as present/absent only
	unpaced   bool
}

// header sends a request header.
func header(k, v string) option {
	return func(o *callOpts) {
		if o.headers == nil {
			o.headers = map[string]string{}
		}
		o.headers[k] = v
	}
}

// recordHeaders adds these response headers' values to the exchange.
func recordHeaders(names ...string) option {
	return func(o *callOpts) { o.record = append(o.record, names...) }
}

// recordPresence adds whether these response headers were sent.
func recordPresence(names ...string) option {
	return func(o *callOpts) { o.presenceh = append(o.presenceh, names...) }
}

// raw sends body as it is (malformed JSON, say).
func raw(body string) option { return func(o *callOpts) { o.rawBody, o.sendBody = body, true } }

// unpaced sends the call at once, past the pacer: a scenario that is
// about the rate limit wants the limit's answers.
func unpaced() option { return func(o *callOpts) { o.unpaced = true } }

// quiet makes a call that is not part of the comparison (polling).
func quiet() option { return func(o *callOpts) { o.noRecord = true } }

// call sends one request as role and records the answer under step
// (prefixed with the scenario's name). body is marshalled unless nil.
func (s *side) call(step, role, method, path string, body any, opts ...option) *answer {
	var o callOpts
	for _, f := range opts {
		f(&o)
	}
	var rd io.Reader
	switch {
	case o.sendBody:
		rd = strings.NewReader(o.rawBody)
	case body != nil:
		b, err := json.Marshal(body)
		if err != nil {
			panic(err) // scenario bodies are literals
		}
		rd = bytes.NewReader(b)
	}
	ex := Exchange{Step: s.scenario + "/" + step, Request: method + " " + path + " as " + orNone(role)}
	ctx, cancel := context.WithTimeout(s.ctx, time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(s.t.URL, "/")+path, rd)
	if err != nil {
		panic(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+s.t.Tokens[role])
	}
	for k, v := range o.headers {
		req.Header.Set(k, v)
	}
	c := s.t.Client
	if c == nil {
		c = http.DefaultClient
	}
	var resp *http.Response
	if o.unpaced {
		resp, err = c.Do(req)
	} else {
		resp, err = s.t.pacer.do(c, req)
	}
	a := &answer{}
	if err != nil {
		ex.Err = err.Error()
	} else {
		func() {
			defer resp.Body.Close()
			data, _ := io.ReadAll(resp.Body)
			a.status, a.header = resp.StatusCode, resp.Header
			if len(data) > 0 && json.Unmarshal(data, &a.body) != nil {
				a.body = "<not JSON: " + shorten(string(data)) + ">"
			}
		}()
		ex.Status, ex.Body = a.status, a.body
		for _, h := range o.record {
			ex.header(h, resp.Header.Get(h))
		}
		for _, h := range o.presenceh {
			ex.header(h, resp.Header.Get(h) != "")
		}
	}
	if !o.noRecord {
		s.log = append(s.log, ex)
	}
	return a
}

func (e *Exchange) header(name string, v any) {
	if e.Headers == nil {
		e.Headers = map[string]any{}
	}
	e.Headers[strings.ToLower(name)] = v
}

// note records that a scenario could not go on (an id it needed was not
// there), so the comparison shows where one side stopped.
func (s *side) note(step, format string, args ...any) {
	s.log = append(s.log, Exchange{Step: s.scenario + "/" + step, Err: fmt.Sprintf(format, args...)})
}

func orNone(role string) string {
	if role == "" {
		return "no token"
	}
	return role
}

func shorten(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
