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
	req, payload, err := c.newRequest(ctx, &cl)
	if err != nil {
		return err
	}
	ctx = c.logContext(ctx, cl.secrets)
	for attempt := 1; ; attempt++ {
		resp, sendErr := c.send(ctx, req, payload, &cl, attempt)
		if sendErr == nil && (resp.ok() || resp.status == cl.answerStatus) {
			return decodeBody(&cl, resp.body, out)
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("%s %s: %w", cl.method, cl.target(), ctxErr)
		}
		failure := c.failure(&cl, resp, sendErr, attempt)
		wait, retry := c.retryWait(&cl, resp, sendErr, attempt)
		if !retry || attempt > c.maxRetries {
			return failure
		}
		if c.pastDeadline(ctx, wait) {
			c.logDeadlineGiveUp(ctx, &cl, attempt, wait)
			return failure
		}
		c.logRetry(ctx, &cl, resp, sendErr, attempt, wait)
		if err := c.sleep(ctx, wait); err != nil {
			// Only the context error is wrapped: callers must read this as
			// cancelled or timed out, not as the failure being retried.
			return fmt.Errorf("%s %s: %w (while waiting to retry after: %v)",
				cl.method, cl.target(), err, failure) //nolint:errorlint // one %w on purpose
		}
	}
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
	actx, cancel := context.WithTimeout(ctx, c.requestTimeout)
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
		err = c.attemptError(ctx, actx, err)
		c.logTransportError(ctx, cl, err, attempt, time.Since(start))
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readBody(resp.Body)
	if err != nil {
		cl.noAnswer(&wrote)
		err = c.attemptError(ctx, actx, err)
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
func (c *Client) attemptError(ctx, actx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(actx.Err(), context.DeadlineExceeded) {
		return attemptTimeoutError{timeout: c.requestTimeout}
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}

// failure is the error returned when the call stops after this attempt.
func (c *Client) failure(cl *call, resp *response, err error, attempt int) error {
	if err != nil {
		return fmt.Errorf("%s %s%s: no usable response after %d attempt(s): %w",
			cl.method, c.endpoint, cl.target(), attempt, err)
	}
	apiErr := parseAPIError(resp.status, resp.body, append([]string{c.token}, cl.secrets...))
	apiErr.Method, apiErr.Path, apiErr.Attempts = cl.method, cl.target(), attempt
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
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("%s %s: empty response body", cl.method, cl.target())
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
