package client

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

type classifier struct {
	name string
	is   func(error) bool
}

var classifiers = []classifier{
	{"NotFound", IsNotFound}, {"Conflict", IsConflict}, {"Unauthorized", IsUnauthorized},
	{"Forbidden", IsForbidden}, {"RateLimited", IsRateLimited}, {"ServerError", IsServerError},
	{"Validation", IsValidation}, {"ForbiddenRole", IsForbiddenRole}, {"ForbiddenScope", IsForbiddenScope},
	{"ReadOnlyField", IsReadOnlyField},
}

func TestErrorClasses(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		is      []string // classifiers that must match; all others must not
		code    string
		message string
		inError []string // substrings of Error()
	}{
		{
			name: "400 validation with details", status: 400,
			body: string(api.Fixture(api.FixtureErrorValidation)),
			is:   []string{"Validation"}, code: api.CodeValidation, message: "Invalid input",
			inError: []string{"400 VALIDATION_ERROR: Invalid input", "name: Invalid input: expected string", "backupFormat: Invalid option", "request id req-16"},
		},
		{
			name: "401", status: 401, body: `{"code":"UNAUTHORIZED","message":"Unauthorized"}`,
			is: []string{"Unauthorized"}, code: api.CodeUnauthorized, message: "Unauthorized",
		},
		{
			name: "403 role", status: 403, body: `{"code":"FORBIDDEN_ROLE","message":"This action requires operator or admin role","requestId":"req-4"}`,
			is: []string{"Forbidden", "ForbiddenRole"}, code: api.CodeForbiddenRole, message: "This action requires operator or admin role",
		},
		{
			name: "403 scope", status: 403,
			body: `{"code":"FORBIDDEN_SCOPE","message":"Token is scoped to specific environments and cannot access global resources"}`,
			is:   []string{"Forbidden", "ForbiddenScope"}, code: api.CodeForbiddenScope, message: "Token is scoped to specific environments and cannot access global resources",
		},
		{
			name: "404", status: 404, body: `{"code":"NOT_FOUND","message":"Database not found","requestId":"req-1f"}`,
			is: []string{"NotFound"}, code: api.CodeNotFound, message: "Database not found", inError: []string{"request id req-1f"},
		},
		{
			name: "409", status: 409, body: `{"code":"CONFLICT","message":"Database with this name already exists","requestId":"req-z"}`,
			is: []string{"Conflict"}, code: api.CodeConflict, message: "Database with this name already exists",
		},
		{
			name: "422 read-only field", status: 422,
			body: `{"code":"READONLY_FIELD","message":"Field environmentId is read-only","field":"environmentId","hint":"Create the database in the other environment instead","requestId":"req-2"}`,
			is:   []string{"Validation", "ReadOnlyField"}, code: api.CodeReadonlyField, message: "Field environmentId is read-only",
			inError: []string{"field environmentId", "hint: Create the database in the other environment instead", "request id req-2"},
		},
		{
			name: "429", status: 429,
			body: string(api.Fixture(api.FixtureErrorRateLimited)),
			is:   []string{"RateLimited"}, code: api.CodeRateLimited, message: "Rate limit exceeded. Try again in 58 seconds.",
			inError: []string{"hint: Retry after 58 seconds."},
		},
		{
			name: "500 envelope", status: 500, body: `{"code":"INTERNAL","message":"Internal Server Error","requestId":"req-3"}`,
			is: []string{"ServerError"}, code: api.CodeInternal, message: "Internal Server Error",
		},
		{
			name: "500 non-JSON", status: 500, body: "<html>\n<body>  upstream   exploded </body></html>",
			is: []string{"ServerError"}, message: "Internal Server Error: <html> <body> upstream exploded </body></html>",
		},
		{
			name: "502 empty body", status: 502, body: "",
			is: []string{"ServerError"}, message: "Bad Gateway",
		},
		{
			name: "503", status: 503, body: `{"code":"SERVICE_UNAVAILABLE","message":"Service Unavailable","requestId":"req-5"}`,
			is: []string{"ServerError"}, code: api.CodeServiceUnavailable, message: "Service Unavailable",
		},
		{
			name: "JSON that is not the envelope", status: 400, body: `{"error":"bad"}`,
			is: []string{"Validation"}, message: `Bad Request: {"error":"bad"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, reply(tt.status, tt.body))
			c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.MaxRetries = -1 })
			_, err := c.GetDatabase(context.Background(), "d1")
			wrapped := fmt.Errorf("reading: %w", err)
			for _, cl := range classifiers {
				want := contains(tt.is, cl.name)
				if got := cl.is(wrapped); got != want {
					t.Errorf("Is%s = %v, want %v (err %v)", cl.name, got, want, err)
				}
			}
			apiErr, ok := AsAPIError(wrapped)
			if !ok {
				t.Fatalf("AsAPIError failed on %T %v", err, err)
			}
			if apiErr.Status != tt.status || apiErr.Code != tt.code || apiErr.Message != tt.message {
				t.Errorf("got status %d code %q message %q", apiErr.Status, apiErr.Code, apiErr.Message)
			}
			if apiErr.Method != "GET" || apiErr.Path != "/api/databases/d1" || apiErr.Attempts != 1 {
				t.Errorf("request info: %s %s attempts %d", apiErr.Method, apiErr.Path, apiErr.Attempts)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, fmt.Sprintf("GET /api/databases/d1: %d", tt.status)) {
				t.Errorf("Error() is not a one-liner naming the request: %q", msg)
			}
			for _, s := range tt.inError {
				if !strings.Contains(msg, s) {
					t.Errorf("Error() %q lacks %q", msg, s)
				}
			}
			if f.count() != 1 {
				t.Errorf("requests = %d", f.count())
			}
		})
	}
}

func TestErrorDetails_pathsBecomeStrings(t *testing.T) {
	body := `{"code":"VALIDATION_ERROR","message":"Invalid input","details":[
		{"code":"invalid_type","path":["pgDumpOptions","clean"],"message":"expected boolean"},
		{"code":"too_small","path":["items",0,"name"],"message":"too small"},
		{"code":"custom","path":"port","message":"odd"},
		{"code":"custom","message":"no path"}]}`
	e := parseAPIError(400, []byte(body), nil)
	want := []ErrorDetail{
		{Path: []string{"pgDumpOptions", "clean"}, Code: "invalid_type", Message: "expected boolean"},
		{Path: []string{"items", "0", "name"}, Code: "too_small", Message: "too small"},
		{Path: []string{"port"}, Code: "custom", Message: "odd"},
		{Path: nil, Code: "custom", Message: "no path"},
	}
	if !reflect.DeepEqual(e.Details, want) {
		t.Errorf("details = %#v", e.Details)
	}
	if !strings.Contains(e.Error(), "pgDumpOptions.clean: expected boolean") {
		t.Errorf("Error() = %q", e.Error())
	}
}

func TestErrorDetails_oddDetailsKeepMessage(t *testing.T) {
	e := parseAPIError(400, []byte(`{"code":"VALIDATION_ERROR","message":"Invalid input","details":"nope"}`), nil)
	if e.Code != "VALIDATION_ERROR" || e.Message != "Invalid input" || e.Details != nil {
		t.Errorf("got %+v", e)
	}
}

func TestErrorExcerpt_isBoundedAndScrubbed(t *testing.T) {
	body := []byte("<html>" + strings.Repeat("é", 1000) + "</html>")
	e := parseAPIError(502, body, nil)
	if len(e.Message) > 300 || !strings.HasSuffix(e.Message, "…") || !strings.HasPrefix(e.Message, "Bad Gateway: <html>") {
		t.Errorf("excerpt not bounded: %d bytes: %q", len(e.Message), e.Message)
	}
	if !utf8.ValidString(e.Message) {
		t.Error("excerpt cut inside a rune")
	}
	echoed := parseAPIError(500, []byte(`bad request {"username":"pg-admin","password":"hunter2"}`), []string{"pg-admin", "hunter2"})
	if strings.Contains(echoed.Error(), "hunter2") || strings.Contains(echoed.Error(), "pg-admin") {
		t.Errorf("secret in error: %q", echoed.Error())
	}
}

func TestAPIError_unknownStatus(t *testing.T) {
	e := parseAPIError(599, nil, nil)
	if e.Message != "HTTP 599" {
		t.Errorf("message = %q", e.Message)
	}
}

func TestClassifiers_nonAPIErrors(t *testing.T) {
	for _, err := range []error{nil, context.Canceled, fmt.Errorf("x: %w", http.ErrHandlerTimeout)} {
		for _, cl := range classifiers {
			if cl.is(err) {
				t.Errorf("Is%s(%v) = true", cl.name, err)
			}
		}
		if _, ok := AsAPIError(err); ok {
			t.Errorf("AsAPIError(%v) ok", err)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
