package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// maxErrorExcerpt bounds how much of a non-JSON error body (a proxy's HTML
// page, say) ends up in an error message.
const maxErrorExcerpt = 256

// APIError is a non-2xx answer from the platform. Every field but Status
// comes from the server's error envelope, or is derived from the raw body
// when the body is not that envelope (a proxy error page, an empty body).
type APIError struct {
	Status    int
	Code      string // one of the api.Code… constants, e.g. api.CodeForbiddenScope
	Message   string
	Field     string // sometimes set, e.g. "Idempotency-Key" or a read-only field
	Hint      string
	RequestID string
	// Details lists body validation failures, one per bad field; the
	// envelope then has no Field.
	Details []ErrorDetail

	Method string // the request that failed
	Path   string
	// RetryAfter is the server's retry-after, when it sent one (429, 503).
	RetryAfter time.Duration
	// Attempts is how many times the request was sent before giving up.
	Attempts int
	// RouteMissing: a 404 for a path the platform has no route for (its
	// catch-all answer, api.RouteNotFoundMessage), not for an object.
	RouteMissing bool
	// RateLimited: the answer is the platform's rate limit, a 429 or, from
	// BridgePort 2.x, a 500 with the limiter's headers (see rateLimited).
	RateLimited bool
}

// ErrorDetail is one entry of a validation error's details array.
type ErrorDetail struct {
	// Path is the JSON path of the bad field, e.g. ["pgDumpOptions","clean"].
	// Array indices arrive as numbers and are kept as their decimal text.
	Path    []string `json:"path"`
	Code    string   `json:"code"`
	Message string   `json:"message"`
}

// UnmarshalJSON decodes path entries of any JSON type into strings (the
// API's validator emits numbers for array indices).
func (d *ErrorDetail) UnmarshalJSON(data []byte) error {
	var raw struct {
		Path    json.RawMessage `json:"path"`
		Code    string          `json:"code"`
		Message string          `json:"message"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*d = ErrorDetail{Path: decodePath(raw.Path), Code: raw.Code, Message: raw.Message}
	return nil
}

func decodePath(raw json.RawMessage) []string {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		var single string
		if json.Unmarshal(raw, &single) == nil && single != "" {
			return []string{single}
		}
		return nil
	}
	out := make([]string, 0, len(items))
	for _, item := range items {
		var s string
		if json.Unmarshal(item, &s) != nil {
			s = strings.TrimSpace(string(item))
		}
		out = append(out, s)
	}
	return out
}

// Error is one line: request, status, code, message, details, field, hint,
// request id and attempts, so a user can quote it to the platform's admins.
func (e *APIError) Error() string {
	var b strings.Builder
	if e.Method != "" {
		fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	}
	fmt.Fprintf(&b, "%d", e.Status)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	for _, d := range e.Details {
		fmt.Fprintf(&b, "; %s: %s", strings.Join(d.Path, "."), d.Message)
	}
	var extra []string
	if e.Field != "" {
		extra = append(extra, "field "+e.Field)
	}
	if e.Hint != "" {
		extra = append(extra, "hint: "+e.Hint)
	}
	if e.RequestID != "" {
		extra = append(extra, "request id "+e.RequestID)
	}
	if e.RateLimited && e.Status != http.StatusTooManyRequests {
		extra = append(extra, "the platform's rate limit")
	}
	if e.Attempts > 1 {
		extra = append(extra, fmt.Sprintf("gave up after %d attempts", e.Attempts))
	}
	if len(extra) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(extra, "; "))
	}
	return b.String()
}

// errorEnvelope is the body of every non-2xx answer.
type errorEnvelope struct {
	Code      string          `json:"code"`
	Message   string          `json:"message"`
	Field     string          `json:"field"`
	Hint      string          `json:"hint"`
	RequestID string          `json:"requestId"`
	Details   json.RawMessage `json:"details"`
}

// parseAPIError builds the error for a non-2xx response. secrets are
// scrubbed from a raw body excerpt, in case something in between echoes the
// request back.
func parseAPIError(status int, body []byte, secrets []string) *APIError {
	e := &APIError{Status: status}
	var env errorEnvelope
	if json.Unmarshal(body, &env) == nil && (env.Code != "" || env.Message != "") {
		// A server (or proxy) that echoes the request back must not carry
		// the token or a password into an error message.
		e.Code, e.Message, e.Field, e.Hint, e.RequestID = scrub(env.Code, secrets), scrub(env.Message, secrets),
			scrub(env.Field, secrets), scrub(env.Hint, secrets), scrub(env.RequestID, secrets)
		// Details are best effort: an odd entry must not hide the message.
		_ = json.Unmarshal(env.Details, &e.Details)
		for i := range e.Details {
			e.Details[i].Message = scrub(e.Details[i].Message, secrets)
			e.Details[i].Code = scrub(e.Details[i].Code, secrets)
			for j, step := range e.Details[i].Path {
				e.Details[i].Path[j] = scrub(step, secrets)
			}
		}
		return e
	}
	e.Message = statusText(status)
	if excerpt := bodyExcerpt(body, secrets); excerpt != "" {
		e.Message += ": " + excerpt
	}
	return e
}

func statusText(status int) string {
	if t := http.StatusText(status); t != "" {
		return t
	}
	return fmt.Sprintf("HTTP %d", status)
}

// bodyExcerpt is the start of body on one line, without secrets.
func bodyExcerpt(body []byte, secrets []string) string {
	text := strings.Join(strings.Fields(string(body)), " ")
	text = scrub(text, secrets)
	if len(text) <= maxErrorExcerpt {
		return text
	}
	cut := maxErrorExcerpt
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + "…"
}

// scrub replaces every secret in s by ***.
func scrub(s string, secrets []string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "***")
		}
	}
	return s
}

// AsAPIError finds an *APIError anywhere in err's chain.
func AsAPIError(err error) (*APIError, bool) {
	var e *APIError
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

func hasStatus(err error, match func(int) bool) bool {
	e, ok := AsAPIError(err)
	return ok && match(e.Status)
}

func statusIs(code int) func(int) bool { return func(s int) bool { return s == code } }

// IsNotFound: 404. Note PATCH answers 500, not 404, for an unknown id.
func IsNotFound(err error) bool {
	e, ok := AsAPIError(err)
	return ok && e.Status == http.StatusNotFound && !e.RouteMissing
}

// IsConflict: 409, a duplicate name on create (or a reused Idempotency-Key,
// which this client never sends).
func IsConflict(err error) bool { return hasStatus(err, statusIs(http.StatusConflict)) }

// IsUnauthorized: 401, the token is missing, malformed, unknown or expired.
func IsUnauthorized(err error) bool { return hasStatus(err, statusIs(http.StatusUnauthorized)) }

// IsForbidden: 403, either api.CodeForbiddenRole (a viewer writing) or
// api.CodeForbiddenScope (an environment-scoped token); IsForbiddenRole and
// IsForbiddenScope tell them apart.
func IsForbidden(err error) bool { return hasStatus(err, statusIs(http.StatusForbidden)) }

// hasCode: the platform's error envelope carried code. Only the platform
// sends codes, so a proxy's 403 or 422 never matches.
func hasCode(err error, code string) bool {
	e, ok := AsAPIError(err)
	return ok && e.Code == code
}

// IsForbiddenRole: the token's role may not do this (a viewer writing).
func IsForbiddenRole(err error) bool { return hasCode(err, api.CodeForbiddenRole) }

// IsForbiddenScope: an environment-scoped token outside its environments,
// or on a route reserved for all-environments tokens (every
// /api/databases/{id} route). No retry helps; the token must change.
func IsForbiddenScope(err error) bool { return hasCode(err, api.CodeForbiddenScope) }

// IsReadOnlyField: a PATCH named a field the server manages itself; the
// whole request was refused and APIError.Field names the first one.
func IsReadOnlyField(err error) bool { return hasCode(err, api.CodeReadonlyField) }

// IsRateLimited: still rate limited after the retries the context
// allowed. A 429 whatever its body, because a proxy in front of the
// platform may limit too, without the platform's envelope; or BridgePort
// 2.x's rate-limit 500.
func IsRateLimited(err error) bool {
	e, ok := AsAPIError(err)
	return ok && (e.Status == http.StatusTooManyRequests || e.RateLimited)
}

// IsServerError: any 5xx but the rate limit. The platform also answers 500
// for several client mistakes (unknown envId/serverId/databaseTypeId,
// rename onto a taken name).
func IsServerError(err error) bool {
	e, ok := AsAPIError(err)
	return ok && e.Status >= 500 && e.Status <= 599 && !e.RateLimited
}

// IsValidation: the request was rejected as invalid, 400
// (api.CodeValidation, including "Cannot delete database with existing
// backups") or 422 (api.CodeReadonlyField).
func IsValidation(err error) bool {
	return hasStatus(err, func(s int) bool { return s == http.StatusBadRequest || s == http.StatusUnprocessableEntity })
}
