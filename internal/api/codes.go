package api

// The platform's error codes: the `code` of every error envelope. Clients
// branch on the code, never on the message text, because messages are
// worded for people and change between server builds while the codes are
// part of the API. CONTRACT.md lists them in its "Error codes" table,
// which contract_test.go checks against ErrorCodes.
const (
	// CodeValidation is a body, query or header the server refused (400).
	// Body validation carries `details`, one entry per bad field, instead
	// of `field`; deleting a database that still has backups also answers
	// with this code.
	CodeValidation = "VALIDATION_ERROR"
	// CodeUnauthorized is a missing, malformed or unknown token (401).
	CodeUnauthorized = "UNAUTHORIZED"
	// CodeForbiddenRole is a viewer token attempting a write (403).
	CodeForbiddenRole = "FORBIDDEN_ROLE"
	// CodeForbiddenScope is an environment-scoped token outside its
	// environments, or on any /api/databases/{id} route (403). Retrying
	// cannot help: the token itself must change.
	CodeForbiddenScope = "FORBIDDEN_SCOPE"
	// CodeNotFound is an unknown object or route (404). Not every missing
	// object answers with it: PATCH of an unknown database is a 500.
	CodeNotFound = "NOT_FOUND"
	// CodeConflict is a duplicate name on create (409). A rename onto a
	// taken name is a 500 instead.
	CodeConflict = "CONFLICT"
	// CodeIdempotencyKeyReused is an Idempotency-Key replayed with another
	// body (409): the key belongs to a different create.
	CodeIdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED"
	// CodeReadonlyField is a PATCH naming a field the server manages
	// itself (422); the whole request is refused, `field` names the first.
	CodeReadonlyField = "READONLY_FIELD"
	// CodeRateLimited is the per-IP request budget spent (429); wait for
	// retry-after and try again.
	CodeRateLimited = "RATE_LIMITED"
	// CodeInternal is any unhandled server error (500), including several
	// that are really client mistakes (malformed JSON, unknown ids on
	// create and PATCH, non-numeric paging). Its message never says more
	// than "Internal Server Error".
	CodeInternal = "INTERNAL"
	// CodeServiceUnavailable is transient storage contention (503, with
	// retry-after: 1); safe to retry.
	CodeServiceUnavailable = "SERVICE_UNAVAILABLE"
)

// ErrorCode pairs a code with the HTTP status it always arrives with.
type ErrorCode struct {
	Code   string
	Status int
}

// errorCodes is the table ErrorCodes and StatusOf read, in status order.
var errorCodes = []ErrorCode{
	{CodeValidation, 400},
	{CodeUnauthorized, 401},
	{CodeForbiddenRole, 403},
	{CodeForbiddenScope, 403},
	{CodeNotFound, 404},
	{CodeConflict, 409},
	{CodeIdempotencyKeyReused, 409},
	{CodeReadonlyField, 422},
	{CodeRateLimited, 429},
	{CodeInternal, 500},
	{CodeServiceUnavailable, 503},
}

// ErrorCodes lists every error code the platform is known to send, so a
// test can prove a component emits or handles no other.
func ErrorCodes() []ErrorCode {
	return append([]ErrorCode(nil), errorCodes...)
}

// StatusOf is the HTTP status that comes with code; ok is false for a
// code the contract does not know.
func StatusOf(code string) (status int, ok bool) {
	for _, c := range errorCodes {
		if c.Code == code {
			return c.Status, true
		}
	}
	return 0, false
}

// Retryable reports whether an error with this code may succeed when the
// same request is sent again unchanged (after retry-after, if given).
func Retryable(code string) bool {
	return code == CodeRateLimited || code == CodeServiceUnavailable
}
