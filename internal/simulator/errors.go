package simulator

import (
	"fmt"
	"net/http"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// APIError is one non-2xx answer in the contract's error envelope. The Go
// helpers (PatchDatabase, DeleteDatabase, ...) return it too, so a test can
// assert the same status and code a client would have seen.
type APIError struct {
	Status  int
	Code    string
	Message string
	Field   string
	Hint    string
	Details []Issue
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
}

// Issue is one entry of a validation error's `details` array, shaped like
// the zod v4 issues the real server forwards verbatim.
type Issue struct {
	Origin    string   `json:"origin,omitempty"`
	Expected  string   `json:"expected,omitempty"`
	Format    string   `json:"format,omitempty"`
	Code      string   `json:"code"`
	Values    []string `json:"values,omitempty"`
	Minimum   *float64 `json:"minimum,omitempty"`
	Maximum   *float64 `json:"maximum,omitempty"`
	Inclusive *bool    `json:"inclusive,omitempty"`
	Note      string   `json:"note,omitempty"`
	Path      []string `json:"path"`
	Message   string   `json:"message"`
}

// envelope is the wire form of an APIError.
type envelope struct {
	Code      string  `json:"code"`
	Message   string  `json:"message"`
	Field     string  `json:"field,omitempty"`
	Hint      string  `json:"hint,omitempty"`
	RequestID string  `json:"requestId,omitempty"`
	Details   []Issue `json:"details,omitempty"`
}

// internalMessage is all a 5xx ever says: the real server hides internal
// messages (Prisma errors, SQLite contention) behind it.
const internalMessage = "Internal Server Error"

func errInternal() *APIError {
	return &APIError{Status: 500, Code: api.CodeInternal, Message: internalMessage}
}

func errUnavailable() *APIError {
	return &APIError{Status: 503, Code: api.CodeServiceUnavailable, Message: internalMessage}
}

// errContention is the answer to storage contention (Faults.Unavailable):
// a 503 with retry-after: 1 on the newest build, which retries and then
// reports it as such; v2.3.0 has no such answer, its storage error is a
// bare 500.
func (s *Simulator) errContention(h http.Header) *APIError {
	if !s.release.contention503 {
		return errInternal()
	}
	h.Set("Retry-After", "1")
	return errUnavailable()
}

func errUnauthorized() *APIError {
	return &APIError{Status: 401, Code: api.CodeUnauthorized, Message: "Unauthorized"}
}

func errNotFound(message string) *APIError {
	return &APIError{Status: 404, Code: api.CodeNotFound, Message: message}
}

func errConflict(message string) *APIError {
	return &APIError{Status: 409, Code: api.CodeConflict, Message: message}
}

func errBadRequest(message string) *APIError {
	return &APIError{Status: 400, Code: api.CodeValidation, Message: message}
}

// errInvalidInput is the body-validation answer: no `field`, one `details`
// entry per bad field instead.
func errInvalidInput(details []Issue) *APIError {
	return &APIError{Status: 400, Code: api.CodeValidation, Message: "Invalid input", Details: details}
}

func errForbiddenScope(message string) *APIError {
	return &APIError{Status: 403, Code: api.CodeForbiddenScope, Message: message}
}

func errForbiddenRole() *APIError {
	return &APIError{Status: 403, Code: api.CodeForbiddenRole, Message: "This action requires operator or admin role"}
}

// errForbiddenAdmin is an admin-only route refusing an operator (or viewer
// whose method would pass the role check).
func errForbiddenAdmin() *APIError {
	return &APIError{Status: 403, Code: api.CodeForbiddenRole, Message: "Admin access required"}
}

func (e *APIError) envelope(requestID string) envelope {
	msg := e.Message
	if e.Status >= 500 {
		msg = internalMessage
	}
	return envelope{Code: e.Code, Message: msg, Field: e.Field, Hint: e.Hint, RequestID: requestID, Details: e.Details}
}
