package simulator

import (
	"net/http"
	"testing"
)

// Deleting an environment is admin-only and takes its databases with it,
// backups and all, although DELETE /api/databases/{id} refuses a database
// that has backups.
func TestDeleteEnvironment(t *testing.T) {
	h := newHarness(t)
	staging := h.mustCall("POST", "/api/environments", adminTok, `{"name":"staging"}`)
	staging.expectOK(t)
	envID := staging.str("environment", "id")
	dbID := h.mustCall("POST", "/api/environments/"+envID+"/databases", operatorTok, `{"name":"d","type":"postgres"}`).str("database", "id")
	h.mustCall("PUT", "/api/databases/"+dbID+"/schedule", operatorTok, `{"cronExpression":"0 2 * * *"}`).expectOK(t)
	h.mustCall("POST", "/api/databases/"+dbID+"/backups", operatorTok, nil).expectOK(t)
	if err := h.sim.PutBackupPolicy(dbID, map[string]any{"preset": "custom", "keepLast": 3, "daily": 0, "weekly": 0,
		"monthly": 0, "yearly": 0, "minFloor": 1}); err != nil {
		t.Fatal(err)
	}
	kept := h.createDB(`{"name":"kept","type":"postgres"}`) // in "main"
	path := "/api/environments/" + envID

	h.mustCall("DELETE", path, operatorTok, nil).expectError(t, http.StatusForbidden, "FORBIDDEN_ROLE", "Admin access required")
	h.mustCall("DELETE", path, viewerTok, nil).expectError(t, http.StatusForbidden, "FORBIDDEN_ROLE", "This action requires operator or admin role")
	h.mustCall("DELETE", path, scopedTok, nil).expectError(t, http.StatusForbidden, "FORBIDDEN_SCOPE", "Token is not scoped to this environment")

	res := h.mustCall("DELETE", path, adminTok, nil)
	res.expectOK(t)
	if string(res.raw) != `{"success":true}` {
		t.Fatalf("body %s", res.raw)
	}
	h.mustCall("DELETE", path, adminTok, nil).expectError(t, http.StatusNotFound, "NOT_FOUND", "Environment not found")
	h.mustCall("GET", path, adminTok, nil).expectError(t, http.StatusNotFound, "NOT_FOUND", "Environment not found")
	h.mustCall("GET", "/api/databases/"+dbID, adminTok, nil).expectError(t, http.StatusNotFound, "NOT_FOUND", "Database not found")
	if _, ok := h.sim.Schedule(dbID); ok {
		t.Error("schedule survived")
	}
	if n := len(h.sim.Backups(dbID)); n != 0 {
		t.Errorf("%d backups survived", n)
	}
	if h.sim.HasBackupPolicyOverride(dbID) {
		t.Error("policy override survived")
	}
	if h.sim.EnvironmentID("staging") != "" {
		t.Error("the name still resolves")
	}
	if _, ok := h.sim.Database(kept); !ok {
		t.Error("another environment's database went too")
	}
	// The name is free again.
	h.mustCall("POST", "/api/environments", adminTok, `{"name":"staging"}`).expectOK(t)
	h.mustCall("DELETE", "/api/environments/cnosuchenv0000000000000000", adminTok, nil).
		expectError(t, http.StatusNotFound, "NOT_FOUND", "Environment not found")
}

// Each route counts different relations of an environment.
func TestEnvironmentCountsByRoute(t *testing.T) {
	h := newHarness(t)
	h.createDB(`{"name":"d","type":"postgres"}`)
	created := h.mustCall("POST", "/api/environments", adminTok, `{"name":"fresh"}`)
	created.expectOK(t)
	if created.has("environment", "_count") {
		t.Errorf("POST answer has _count: %s", created.raw)
	}
	list := h.mustCall("GET", "/api/environments", viewerTok, nil)
	if got := keysOf(list.at("environments", "0", "_count")); len(got) != 2 || got[0] != "secrets" || got[1] != "servers" {
		t.Errorf("list _count keys = %q", got)
	}
	one := h.mustCall("GET", "/api/environments/"+h.env, viewerTok, nil)
	one.expectFields(t, map[string]any{"environment._count.databases": 1.0, "environment._count.services": 0.0,
		"environment._count.secrets": 0.0, "environment._count.servers": 0.0})
	if got := keysOf(one.at("environment", "_count")); len(got) != 4 {
		t.Errorf("GET one _count keys = %q", got)
	}
}

// Routing comes before auth: an unknown route is a 404 without a token
// too, and it still spends the rate limit, which runs first.
func TestUnknownRouteWithoutToken(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.RateLimit = 2 })
	res := h.mustCall("GET", "/api/nope", "", nil)
	res.expectError(t, http.StatusNotFound, "NOT_FOUND", "Not found")
	if res.header.Get("X-Ratelimit-Remaining") != "1" {
		t.Errorf("remaining = %q, want 1", res.header.Get("X-Ratelimit-Remaining"))
	}
	h.mustCall("GET", "/api/environments", "", nil).expectError(t, http.StatusUnauthorized, "UNAUTHORIZED", "Unauthorized")
	h.mustCall("GET", "/api/nope", "", nil).expectError(t, http.StatusTooManyRequests, "RATE_LIMITED", "")
}
