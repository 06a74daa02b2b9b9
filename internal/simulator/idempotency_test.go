package simulator

import (
	"strings"
	"testing"
)

func TestIdempotencyKey(t *testing.T) {
	h := newHarness(t)
	create := "/api/environments/" + h.env + "/databases"
	key := func(k string) string { return "Idempotency-Key: " + k }

	t.Run("replay returns the first response without re-running", func(t *testing.T) {
		first := h.mustCall("POST", create, operatorTok, `{"name":"idem-1","type":"postgres"}`, key("k1"))
		first.expectOK(t)
		if first.header.Get("Idempotent-Replayed") != "" {
			t.Fatal("first response marked replayed")
		}
		again := h.mustCall("POST", create, operatorTok, `{ "name" : "idem-1", "type":"postgres" }`, key("k1"))
		again.expectOK(t)
		if again.header.Get("Idempotent-Replayed") != "true" || string(again.raw) != string(first.raw) {
			t.Fatalf("replay: %v %s", again.header, again.raw)
		}
		if n := len(h.sim.Databases(h.env)); n != 1 {
			t.Fatalf("%d databases after replay", n)
		}
	})
	t.Run("different body is 409", func(t *testing.T) {
		res := h.mustCall("POST", create, operatorTok, `{"name":"idem-other","type":"postgres"}`, key("k1"))
		res.expectError(t, 409, "IDEMPOTENCY_KEY_REUSED", "Idempotency-Key was already used with a different request body")
		if res.str("field") != "Idempotency-Key" {
			t.Errorf("field = %q", res.str("field"))
		}
	})
	t.Run("failed first attempt is forgotten", func(t *testing.T) {
		h.mustCall("POST", create, operatorTok, `{"name":"","type":"postgres"}`, key("k2")).expectError(t, 400, "VALIDATION_ERROR", "")
		h.mustCall("POST", create, operatorTok, `{"name":"idem-2","type":"postgres"}`, key("k2")).expectOK(t)
	})
	t.Run("failed attempt with the same body can be retried", func(t *testing.T) {
		body := `{"name":"idem-3","type":"postgres"}`
		h.mustCall("POST", create, viewerTok, body, key("k3")).expectError(t, 403, "FORBIDDEN_ROLE", "")
		h.mustCall("POST", create, viewerTok, body, key("k3")).expectError(t, 403, "FORBIDDEN_ROLE", "")
	})
	t.Run("key over 200 characters", func(t *testing.T) {
		res := h.mustCall("POST", create, operatorTok, `{"name":"idem-long","type":"postgres"}`, key(strings.Repeat("k", 201)))
		res.expectError(t, 400, "VALIDATION_ERROR", "")
		if res.str("field") != "Idempotency-Key" {
			t.Errorf("field = %q", res.str("field"))
		}
		h.mustCall("POST", create, operatorTok, `{"name":"idem-200","type":"postgres"}`, key(strings.Repeat("k", 200))).expectOK(t)
	})
	t.Run("replay after the database was deleted returns the dead id", func(t *testing.T) {
		body := `{"name":"idem-del","type":"postgres"}`
		first := h.mustCall("POST", create, operatorTok, body, key("k4"))
		id := first.str("database", "id")
		h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil).expectOK(t)
		again := h.mustCall("POST", create, operatorTok, body, key("k4"))
		again.expectOK(t)
		if again.str("database", "id") != id || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay after delete: %s", again.raw)
		}
		if _, ok := h.sim.Database(id); ok {
			t.Fatal("replay recreated the database")
		}
	})
	t.Run("keys are per token", func(t *testing.T) {
		body := `{"name":"idem-tok","type":"postgres"}`
		h.mustCall("POST", create, operatorTok, body, key("k5")).expectOK(t)
		res := h.mustCall("POST", create, adminTok, body, key("k5"))
		res.expectError(t, 409, "CONFLICT", "Database with this name already exists")
	})
	t.Run("keys are per environment", func(t *testing.T) {
		body := `{"name":"idem-env","type":"postgres"}`
		h.mustCall("POST", create, operatorTok, body, key("k6")).expectOK(t)
		res := h.mustCall("POST", "/api/environments/"+h.other+"/databases", operatorTok, body, key("k6"))
		res.expectOK(t)
		if res.header.Get("Idempotent-Replayed") != "" {
			t.Fatal("replayed across environments")
		}
	})
	t.Run("ignored on PATCH and DELETE", func(t *testing.T) {
		id := h.createDB(`{"name":"idem-patch","type":"postgres"}`)
		h.mustCall("PATCH", "/api/databases/"+id, operatorTok, `{"host":"a"}`, key("k7")).expectOK(t)
		res := h.mustCall("PATCH", "/api/databases/"+id, operatorTok, `{"host":"b"}`, key("k7"))
		res.expectOK(t)
		if res.str("database", "host") != "b" || res.header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("PATCH replayed: %s", res.raw)
		}
		h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil, key("k8")).expectOK(t)
		h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil, key("k8")).expectError(t, 404, "NOT_FOUND", "")
	})
	t.Run("backups POST replays too", func(t *testing.T) {
		id := h.createDB(`{"name":"idem-backup","type":"postgres"}`)
		first := h.mustCall("POST", "/api/databases/"+id+"/backups", operatorTok, nil, key("k9"))
		again := h.mustCall("POST", "/api/databases/"+id+"/backups", operatorTok, nil, key("k9"))
		if first.str("backupId") != again.str("backupId") || len(h.sim.Backups(id)) != 1 {
			t.Fatalf("backup replay: %s / %s", first.raw, again.raw)
		}
	})
}

func TestIdempotencyInProgress(t *testing.T) {
	h := newHarness(t)
	st := h.sim.idem
	q := &request{id: "req-1"}
	q.http, _ = newTestRequest("POST", "/api/environments/"+h.env+"/databases", `{"a":1}`, "k")
	q.route, q.params = h.sim.match("POST", q.http.URL.Path)
	q.raw = []byte(`{"a":1}`)
	if _, done := st.begin(q); done {
		t.Fatal("first request answered from the store")
	}
	q2 := *q
	q2.idem = nil
	rep, done := st.begin(&q2)
	if !done || rep.status != 409 || !strings.Contains(string(rep.body), "still in progress") {
		t.Fatalf("concurrent duplicate: %d %s", rep.status, rep.body)
	}
}

// TestIdempotencyRunsBeforeAuth: like the real server's global hook, the
// key check and the replay happen before authentication.
func TestIdempotencyRunsBeforeAuth(t *testing.T) {
	h := newHarness(t)
	h.sim.AddToken(Token{Value: "short-lived", Role: RoleOperator})
	create := "/api/environments/" + h.env + "/databases"
	body := `{"name":"pre-auth","type":"postgres"}`
	h.mustCall("POST", create, "short-lived", body, "Idempotency-Key: a").expectOK(t)
	h.sim.RevokeToken("short-lived")
	h.mustCall("POST", create, "short-lived", `{"name":"new","type":"postgres"}`, "Idempotency-Key: b").expectError(t, 401, "UNAUTHORIZED", "")
	replay := h.mustCall("POST", create, "short-lived", body, "Idempotency-Key: a")
	replay.expectOK(t)
	if replay.header.Get("Idempotent-Replayed") != "true" {
		t.Fatal("replay not served before auth")
	}
	long := h.mustCall("POST", create, "", body, "Idempotency-Key: "+strings.Repeat("x", 201))
	long.expectError(t, 400, "VALIDATION_ERROR", "Idempotency-Key header is too long")
	h.mustCall("POST", create, "", body, "Idempotency-Key: c").expectError(t, 401, "UNAUTHORIZED", "")
}
