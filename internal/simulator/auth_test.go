package simulator

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestAuthentication: every way a credential can be missing or wrong.
func TestAuthentication(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name   string
		header string // full Authorization header; "" = none
	}{
		{"missing", ""},
		{"unknown token", "Bearer bport_pat_nope"},
		{"no Bearer prefix", operatorTok},
		{"lower-case scheme", "bearer " + operatorTok},
		{"Basic scheme", "Basic dXNlcjpwYXNz"},
		{"empty token", "Bearer "},
		{"token with extra space", "Bearer  " + operatorTok},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.header != "" {
				hdr = []string{"Authorization: " + tc.header}
			}
			res := h.mustCall("GET", "/api/environments", "", nil, hdr...)
			res.expectError(t, 401, "UNAUTHORIZED", "Unauthorized")
		})
	}
	t.Run("revoked token", func(t *testing.T) {
		h.sim.AddToken(Token{Value: "temp", Role: RoleAdmin})
		h.mustCall("GET", "/api/environments", "temp", nil).expectOK(t)
		h.sim.RevokeToken("temp")
		h.mustCall("GET", "/api/environments", "temp", nil).expectError(t, 401, "UNAUTHORIZED", "Unauthorized")
	})
	t.Run("health is public", func(t *testing.T) {
		res := h.mustCall("GET", "/health", "", nil)
		res.expectOK(t)
		if res.str("status") != "ok" || res.str("version") != simulatorVersion ||
			res.str("bundledAgentVersion") != "unknown" || res.str("cliVersion") != "unknown" || res.str("timestamp") == "" {
			t.Fatalf("health: %s", res.raw)
		}
	})
}

// TestRolesAndScopes: one case per (token, route) rule of the contract.
func TestRolesAndScopes(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"r","type":"postgres"}`)
	const (
		roleMsg   = "This action requires operator or admin role"
		notScoped = "Token is not scoped to this environment"
		global    = "Token is scoped to specific environments and cannot access global resources"
	)
	envDBs := "/api/environments/" + h.env + "/databases"
	otherDBs := "/api/environments/" + h.other + "/databases"
	cases := []struct {
		name, token, method, path, body string
		status                          int
		code, message                   string
	}{
		{"viewer reads", viewerTok, "GET", "/api/databases/" + id, "", 200, "", ""},
		{"viewer lists", viewerTok, "GET", envDBs, "", 200, "", ""},
		{"viewer cannot create", viewerTok, "POST", envDBs, `{"name":"v","type":"postgres"}`, 403, "FORBIDDEN_ROLE", roleMsg},
		{"viewer cannot patch", viewerTok, "PATCH", "/api/databases/" + id, `{}`, 403, "FORBIDDEN_ROLE", roleMsg},
		{"viewer cannot delete", viewerTok, "DELETE", "/api/databases/" + id, "", 403, "FORBIDDEN_ROLE", roleMsg},
		{"viewer cannot put a schedule", viewerTok, "PUT", "/api/databases/" + id + "/schedule", `{"cronExpression":"x"}`, 403, "FORBIDDEN_ROLE", roleMsg},
		{"viewer role checked before validation", viewerTok, "POST", envDBs, `{}`, 403, "FORBIDDEN_ROLE", roleMsg},
		{"operator creates", operatorTok, "POST", envDBs, `{"name":"op","type":"postgres"}`, 200, "", ""},
		{"operator cannot create environments", operatorTok, "POST", "/api/environments", `{"name":"x"}`, 403, "FORBIDDEN_ROLE", "Admin access required"},
		{"operator cannot delete environments", operatorTok, "DELETE", "/api/environments/" + h.env, "", 403, "FORBIDDEN_ROLE", "Admin access required"},
		{"viewer cannot create environments", viewerTok, "POST", "/api/environments", `{"name":"x"}`, 403, "FORBIDDEN_ROLE", roleMsg},
		{"admin creates", adminTok, "POST", envDBs, `{"name":"adm","type":"postgres"}`, 200, "", ""},
		{"scoped lists own environment", scopedTok, "GET", envDBs, "", 200, "", ""},
		{"scoped creates in own environment", scopedTok, "POST", envDBs, `{"name":"sc","type":"postgres"}`, 200, "", ""},
		{"scoped cannot list another environment", scopedTok, "GET", otherDBs, "", 403, "FORBIDDEN_SCOPE", notScoped},
		{"scoped cannot create in another environment", scopedTok, "POST", otherDBs, `{"name":"sc","type":"postgres"}`, 403, "FORBIDDEN_SCOPE", notScoped},
		{"scoped cannot use an unknown environment", scopedTok, "GET", "/api/environments/nope/databases", "", 403, "FORBIDDEN_SCOPE", notScoped},
		{"scoped reads own environment", scopedTok, "GET", "/api/environments/" + h.env, "", 200, "", ""},
		{"scoped cannot read another environment", scopedTok, "GET", "/api/environments/" + h.other, "", 403, "FORBIDDEN_SCOPE", notScoped},
		{"scoped GET database is global", scopedTok, "GET", "/api/databases/" + id, "", 403, "FORBIDDEN_SCOPE", global},
		{"scoped PATCH database is global", scopedTok, "PATCH", "/api/databases/" + id, `{}`, 403, "FORBIDDEN_SCOPE", global},
		{"scoped DELETE database is global", scopedTok, "DELETE", "/api/databases/" + id, "", 403, "FORBIDDEN_SCOPE", global},
		{"scoped schedule is global", scopedTok, "GET", "/api/databases/" + id + "/schedule", "", 403, "FORBIDDEN_SCOPE", global},
		{"scoped backups are global", scopedTok, "POST", "/api/databases/" + id + "/backups", "", 403, "FORBIDDEN_SCOPE", global},
		{"scoped unknown database is still global", scopedTok, "GET", "/api/databases/nope", "", 403, "FORBIDDEN_SCOPE", global},
		{"scoped environment creation is global", scopedTok, "POST", "/api/environments", `{"name":"x"}`, 403, "FORBIDDEN_SCOPE", global},
		{"scope checked before role", scopedViewTok, "PATCH", "/api/databases/" + id, `{}`, 403, "FORBIDDEN_SCOPE", global},
		{"scoped viewer in own environment hits the role check", scopedViewTok, "POST", envDBs, `{"name":"x","type":"y"}`, 403, "FORBIDDEN_ROLE", roleMsg},
		{"scoped may call /auth/me", scopedTok, "GET", "/api/auth/me", "", 200, "", ""},
		{"scoped may list environments", scopedTok, "GET", "/api/environments", "", 200, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			res := h.mustCall(tc.method, tc.path, tc.token, body)
			if tc.status == 200 {
				res.expectOK(t)
				return
			}
			res.expectError(t, tc.status, tc.code, tc.message)
		})
	}
}

func TestAuthMe(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name, token string
		role        Role
		all         bool
		envs        []any
		scopeIDs    []any
		scopes      int
	}{
		{"admin", adminTok, RoleAdmin, true, []any{h.env, h.other}, []any{}, 11},
		{"operator", operatorTok, RoleOperator, true, []any{h.env, h.other}, []any{}, 8},
		{"viewer", viewerTok, RoleViewer, true, []any{h.env, h.other}, []any{}, 4},
		{"scoped operator", scopedTok, RoleOperator, false, []any{h.env}, []any{h.env}, 8},
		{"scoped viewer", scopedViewTok, RoleViewer, false, []any{h.env}, []any{h.env}, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.mustCall("GET", "/api/auth/me", tc.token, nil)
			res.expectOK(t)
			res.expectFields(t, map[string]any{
				"role": string(tc.role), "user.role": string(tc.role),
				"user.scope.allEnvironments": tc.all, "user.scope.environmentIds": tc.scopeIDs,
				"environments": tc.envs,
			})
			if n := len(res.at("scopes").([]any)); n != tc.scopes {
				t.Errorf("%d scopes, want %d", n, tc.scopes)
			}
			if res.str("user", "id") == "" || res.str("user", "email") == "" {
				t.Errorf("user: %s", res.raw)
			}
		})
	}
	t.Run("scope resolves environments created later", func(t *testing.T) {
		h.sim.AddToken(Token{Value: "later", Role: RoleViewer, Environments: []string{"future"}})
		res := h.mustCall("GET", "/api/auth/me", "later", nil)
		res.expectFields(t, map[string]any{"environments": []any{}, "user.scope.allEnvironments": false})
		id := h.sim.CreateEnvironment("future")
		res = h.mustCall("GET", "/api/auth/me", "later", nil)
		res.expectFields(t, map[string]any{"environments": []any{id}})
	})
}

func TestEnvironments(t *testing.T) {
	h := newHarness(t)
	srv := h.sim.AddServer(h.env, "host-1")
	list := func(token string) []string {
		res := h.mustCall("GET", "/api/environments", token, nil)
		res.expectOK(t)
		var out []string
		for _, e := range res.at("environments").([]any) {
			out = append(out, e.(map[string]any)["name"].(string))
		}
		return out
	}
	if got := list(viewerTok); !reflect.DeepEqual(got, []string{"main", "other"}) {
		t.Errorf("viewer sees %v", got)
	}
	if got := list(scopedTok); !reflect.DeepEqual(got, []string{"main"}) {
		t.Errorf("scoped sees %v", got)
	}
	res := h.mustCall("GET", "/api/environments", viewerTok, nil)
	res.expectFields(t, map[string]any{"environments.0.id": h.env, "environments.0.sshPrivateKey": nil, "environments.0._count.servers": 1.0})

	cases := []struct {
		name, method, path, token, body string
		status                          int
		code, message                   string
		want                            map[string]any
	}{
		{"get", "GET", "/api/environments/" + h.env, viewerTok, "", 200, "", "", map[string]any{
			"environment.name": "main", "environment.servers.0.id": srv}},
		{"get unknown", "GET", "/api/environments/nope", viewerTok, "", 404, "NOT_FOUND", "Environment not found", nil},
		{"create", "POST", "/api/environments", adminTok, `{"name":"staging"}`, 200, "", "", map[string]any{"environment.name": "staging"}},
		{"create duplicate", "POST", "/api/environments", adminTok, `{"name":"staging"}`, 409, "CONFLICT", "Environment already exists", nil},
		{"name too long", "POST", "/api/environments", adminTok, `{"name":"` + strings.Repeat("x", 51) + `"}`, 400, "VALIDATION_ERROR", "Invalid input", nil},
		{"name 50 chars", "POST", "/api/environments", adminTok, `{"name":"01234567890123456789012345678901234567890123456789"}`, 200, "", "", nil},
		{"name empty", "POST", "/api/environments", adminTok, `{"name":""}`, 400, "VALIDATION_ERROR", "Invalid input", nil},
		{"name missing", "POST", "/api/environments", adminTok, `{}`, 400, "VALIDATION_ERROR", "Invalid input", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			res := h.mustCall(tc.method, tc.path, tc.token, body)
			if tc.status != 200 {
				res.expectError(t, tc.status, tc.code, tc.message)
				return
			}
			res.expectOK(t)
			res.expectFields(t, tc.want)
		})
	}
	if h.sim.EnvironmentID("staging") == "" {
		t.Error("created environment unknown to EnvironmentID")
	}
}

func TestUnknownRoutes(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct{ method, path string }{
		{"GET", "/api/nope"}, {"PUT", "/api/databases/x"}, {"GET", "/elsewhere"}, {"GET", "/api/databases/"}, {"POST", "/health"},
	} {
		res := h.mustCall(tc.method, tc.path, operatorTok, nil)
		res.expectError(t, http.StatusNotFound, "NOT_FOUND", "Not found")
	}
}
