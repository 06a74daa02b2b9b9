package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// maxResponseBytes bounds a response body held in memory; a list of
// thousands of databases is a few MiB.
const maxResponseBytes = 64 << 20

// call is one logical API operation; all its attempts share it.
type call struct {
	method string
	path   string // escaped, below the endpoint: /api/databases/abc
	query  url.Values
	body   any // nil: no body
	// idempotencyKey is sent as Idempotency-Key and makes a POST replayable.
	idempotencyKey string
	// secrets are request values kept out of logs and errors.
	secrets []string
	// unanswered, when set, becomes true once an attempt reached the wire
	// and no answer to it was read: the platform may have acted on it.
	unanswered *atomic.Bool
	// answerStatus is a non-2xx status whose body is an answer to decode,
	// not an error (the backup-policy PUT's envelope-less 409).
	answerStatus int
	// timeout, when set, bounds each attempt below Config.RequestTimeout
	// (the start-up check wants several short attempts, not one long one).
	timeout time.Duration
	// write is what a call other than a GET changes, reported to OnWrite
	// when it may have changed it. Every such call names it, or sets
	// asks: a POST that only asks (a preview, a connection test).
	write *Write
	asks  bool
}

// attemptTimeout is how long one attempt of cl may take.
func (cl *call) attemptTimeout(requestTimeout time.Duration) time.Duration {
	if cl.timeout > 0 {
		return min(cl.timeout, requestTimeout)
	}
	return requestTimeout
}

// target is the path and query, as logged and as put in errors.
func (cl *call) target() string {
	if len(cl.query) == 0 {
		return cl.path
	}
	return cl.path + "?" + cl.query.Encode()
}

// replayable: sending the call twice cannot create two objects. The
// contract allows retrying GET, PUT, PATCH and DELETE, and a POST only with
// an Idempotency-Key (the server then replays the first answer).
func (cl *call) replayable() bool {
	return cl.method != http.MethodPost || cl.idempotencyKey != ""
}

// response is a fully read HTTP response.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) ok() bool { return r.status >= 200 && r.status <= 299 }

// do runs cl with retries and decodes a 2xx body into out (unless out is
// nil). Any 2xx is success: the platform answers 200 where 201 would be usual.
func (c *Client) do(ctx context.Context, cl call, out any) error {
	if cl.method != http.MethodGet && cl.write == nil && !cl.asks {
		return fmt.Errorf("%s %s: the call does not say what it writes; this is a bug in the provider", cl.method, cl.path)
	}
	req, payload, err := c.newRequest(ctx, &cl)
	if err != nil {
		return err
	}
	ctx, cancel := c.bound(ctx)
	defer cancel()
	ctx = c.logContext(ctx, cl.secrets)
	changed := false // some attempt may have changed the platform
	if cl.write != nil {
		// Once the call is over, whatever its outcome: a read that starts
		// after it must not be answered from a list older than it.
		defer func() {
			if changed {
				c.wrote(ctx, *cl.write)
			}
		}()
	}
	start := c.now()
	var last error // what the latest finished attempt failed with
	for attempt := 1; ; attempt++ {
		resp, sendErr := c.send(ctx, req, payload, &cl, attempt)
		if sendErr == nil && isRedirect(resp.status) {
			return c.redirected(&cl, resp)
		}
		changed = changed || mayHaveChanged(resp, sendErr)
		if sendErr == nil && (resp.ok() || resp.status == cl.answerStatus) {
			return decodeBody(&cl, resp.body, out)
		}
		failure := c.failure(&cl, resp, sendErr, attempt, c.now().Sub(start))
		if ctx.Err() != nil {
			if !errors.Is(sendErr, ctx.Err()) {
				last = attemptFailure(resp, sendErr, failure)
			}
			return c.stopped(ctx, &cl, start, attempt, last)
		}
		last = attemptFailure(resp, sendErr, failure)
		wait, retry := c.retryWait(&cl, resp, sendErr, attempt)
		if !retry || attempt > c.maxRetries {
			return failure
		}
		if c.pastDeadline(ctx, wait) {
			c.logDeadlineGiveUp(ctx, &cl, attempt, wait)
			return failure
		}
		c.logRetry(ctx, &cl, resp, sendErr, attempt, wait)
		if c.sleep(ctx, wait) != nil {
			return c.stopped(ctx, &cl, start, attempt, last)
		}
	}
}

// bound gives a call whose caller set no deadline the client's
// OperationTimeout, so no call can retry a silent platform for ever.
func (c *Client) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.operationTimeout)
}

// attemptFailure is what one attempt failed with, as quoted in a
// stoppedError: the API error, or the connection error without the method
// and URL the stoppedError already names.
func attemptFailure(resp *response, sendErr, failure error) error {
	if resp != nil {
		return failure
	}
	return sendErr
}

// stopped is the error of a call whose context ended.
func (c *Client) stopped(ctx context.Context, cl *call, start time.Time, attempts int, last error) error {
	return &stoppedError{
		request: cl.method + " " + c.endpoint + cl.target(), cause: ctx.Err(),
		elapsed: c.now().Sub(start), attempts: attempts, last: last,
	}
}

// stoppedError is a call whose context ended (its deadline passed or it was
// cancelled) before the platform gave a usable answer. It says what was
// sent, for how long and how often, and what the attempts failed with. Only
// the context's error is wrapped: callers must read it as timed out or
// cancelled, not as the failure that was being retried.
type stoppedError struct {
	request  string // method and URL
	cause    error
	elapsed  time.Duration
	attempts int
	last     error // nil when the context ended the first attempt
}

func (e *stoppedError) Error() string {
	verb := "timed out"
	if errors.Is(e.cause, context.Canceled) {
		verb = "cancelled"
	}
	msg := fmt.Sprintf("%s: %s after %s and %d attempt(s)", e.request, verb, formatElapsed(e.elapsed), e.attempts)
	if e.last != nil {
		msg += fmt.Sprintf(" (last failure: %v)", e.last)
	}
	return msg + ": " + e.cause.Error()
}

func (e *stoppedError) Unwrap() error { return e.cause }

// formatElapsed rounds a time spent for an error message: "14.9s", "250ms".
func formatElapsed(d time.Duration) string {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// newRequest builds the request every attempt clones, and the JSON body
// encoded once so each attempt sends identical bytes.
func (c *Client) newRequest(ctx context.Context, cl *call) (*http.Request, []byte, error) {
	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return nil, nil, fmt.Errorf("%s %s: encoding request body: %w", cl.method, cl.path, err)
		}
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, c.endpoint+cl.target(), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		// Only with a body: Fastify-style servers answer 400 to a bodiless
		// DELETE that claims to be JSON.
		req.Header.Set("Content-Type", "application/json")
	}
	if cl.idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", cl.idempotencyKey)
	}
	return req, payload, nil
}

// send makes one attempt under its own timeout and reads the whole body,
// so the connection goes back to the pool.
func (c *Client) send(ctx context.Context, base *http.Request, payload []byte, cl *call, attempt int) (*response, error) {
	if err := c.pace(ctx); err != nil {
		return nil, err
	}
	defer c.rate.done()
	// A child context never outlives its parent, so an attempt also ends
	// at the call's deadline; cancelling it closes the connection, which
	// is what cuts off a server that accepted it and never answers.
	timeout := cl.attemptTimeout(c.requestTimeout)
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req := base.Clone(actx)
	if payload != nil {
		req.Body = io.NopCloser(bytes.NewReader(payload))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(payload)), nil }
		req.ContentLength = int64(len(payload))
	}
	c.logRequest(ctx, cl, payload, attempt)
	var wrote atomic.Bool
	if cl.unanswered != nil {
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }}))
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		cl.noAnswer(&wrote)
		err = attemptError(ctx, actx, err, timeout)
		c.logTransportError(ctx, cl, err, attempt, time.Since(start))
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readBody(resp.Body)
	if err != nil {
		cl.noAnswer(&wrote)
		err = attemptError(ctx, actx, err, timeout)
		c.logTransportError(ctx, cl, err, attempt, time.Since(start))
		return nil, err
	}
	c.rate.observe(resp.Header, c.now())
	r := &response{status: resp.StatusCode, header: resp.Header, body: body}
	c.logResponse(ctx, cl, r, attempt, time.Since(start))
	return r, nil
}

// noAnswer records an attempt that left but whose answer was lost.
func (cl *call) noAnswer(wrote *atomic.Bool) {
	if cl.unanswered != nil && wrote.Load() {
		cl.unanswered.Store(true)
	}
}

func readBody(body io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(body, maxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxResponseBytes {
		return nil, errResponseTooLarge
	}
	return b, nil
}

// attemptError names what went wrong in one attempt: the caller's context,
// the per-attempt timeout, or the connection (url.Error's own text repeats
// method and URL, which the final error already carries).
func attemptError(ctx, actx context.Context, err error, timeout time.Duration) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(actx.Err(), context.DeadlineExceeded) {
		return attemptTimeoutError{timeout: timeout}
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}

// failure is the error returned when the call stops after this attempt.
func (c *Client) failure(cl *call, resp *response, err error, attempt int, elapsed time.Duration) error {
	if err != nil {
		var retried string
		if attempt > 1 {
			retried = " (retried for " + formatElapsed(elapsed) + ")"
		}
		return fmt.Errorf("%s %s%s: no usable response after %d attempt(s): %w%s",
			cl.method, c.endpoint, cl.target(), attempt, err, retried)
	}
	apiErr := parseAPIError(resp.status, resp.body, append([]string{c.token}, cl.secrets...))
	apiErr.Method, apiErr.Path, apiErr.Attempts = cl.method, cl.target(), attempt
	apiErr.RateLimited = rateLimited(resp)
	apiErr.RouteMissing = resp.status == http.StatusNotFound && apiErr.Message == api.RouteNotFoundMessage
	if d, ok := retryAfter(resp.header, c.now()); ok {
		apiErr.RetryAfter = d
	}
	return apiErr
}

// decodeBody unwraps a success body; every endpoint wraps its object
// ({"database":{...}}), so an empty body is a broken answer.
func decodeBody(cl *call, body []byte, out any) error {
	if out == nil {
		return nil
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return fmt.Errorf("%s %s: empty response body", cl.method, cl.target())
	}
	if trimmed[0] == '<' {
		// The platform serves its web UI's page, with 200, for every path
		// outside its API: an endpoint with a path prefix lands there.
		return fmt.Errorf("%s %s: the endpoint answered with an HTML page, not the platform's API: "+
			"set the endpoint to the platform's base URL, without /api or a path of its web UI", cl.method, cl.target())
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s %s: decoding response: %w", cl.method, cl.target(), err)
	}
	return nil
}

// missingObject reports a 2xx body without the object it should wrap.
func missingObject(cl *call, key string) error {
	return fmt.Errorf("%s %s: response has no %q", cl.method, cl.target(), key)
}

// isRedirect: a 3xx answer that would send the client elsewhere.
func isRedirect(status int) bool {
	return status >= 300 && status <= 399 && status != http.StatusNotModified
}

// redirectError is an endpoint that answered with a redirect, which the
// client never follows: the request's token would go to wherever it points.
type redirectError struct {
	request  string // method and URL
	status   int
	location string
}

func (e *redirectError) Error() string {
	to := "without a Location"
	if e.location != "" {
		to = "to " + e.location
	}
	return fmt.Sprintf("%s: the endpoint redirected (%d) %s; the provider follows no redirect, so that the token is never "+
		"sent elsewhere: set the endpoint to the platform's own base URL (the scheme, host and port it answers on)",
		e.request, e.status, to)
}

func (c *Client) redirected(cl *call, resp *response) error {
	return &redirectError{request: cl.method + " " + c.endpoint + cl.target(), status: resp.status,
		location: resp.header.Get("Location")}
}
