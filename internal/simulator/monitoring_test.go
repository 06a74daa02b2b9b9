package simulator

import (
	"testing"
	"time"
)

func monitoringPath(envID, id string) string {
	return "/api/environments/" + envID + "/databases/" + id + "/monitoring"
}

// TestMonitoringDefaults: every new database is monitored every 300 s,
// whatever the create body says (the create schema drops both fields).
func TestMonitoringDefaults(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"m","type":"postgres","monitoringEnabled":false,"collectionIntervalSec":5}`)
	h.mustCall("GET", "/api/databases/"+id, operatorTok, nil).expectFields(t, map[string]any{
		"database.monitoringEnabled": true, "database.collectionIntervalSec": 300.0})
	h.mustCall("GET", "/api/environments/"+h.env+"/databases", operatorTok, nil).expectFields(t, map[string]any{
		"databases.0.monitoringEnabled": true, "databases.0.collectionIntervalSec": 300.0})
}

// TestPatchMonitoring: each quirk of the unvalidated monitoring route, each
// on a fresh database.
func TestPatchMonitoring(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name     string
		body     any // raw JSON string, or nil for no body
		status   int
		enabled  bool
		interval float64
	}{
		{"both keys", `{"monitoringEnabled":false,"collectionIntervalSec":60}`, 200, false, 60},
		{"partial: absent key unchanged", `{"collectionIntervalSec":120}`, 200, true, 120},
		{"no validation: negative stored", `{"collectionIntervalSec":-5}`, 200, true, -5},
		{"no validation: zero stored", `{"collectionIntervalSec":0}`, 200, true, 0},
		{"no validation: beyond 32 bits stored", `{"collectionIntervalSec":2147483648}`, 200, true, 2147483648},
		{"no validation: 10^12 stored", `{"collectionIntervalSec":1000000000000}`, 200, true, 1e12},
		{"fraction truncated", `{"collectionIntervalSec":60.5}`, 200, true, 60},
		{"negative fraction truncated toward zero", `{"collectionIntervalSec":-1.7}`, 200, true, -1},
		{"empty object changes nothing", `{}`, 200, true, 300},
		{"unknown key changes nothing", `{"bogus":1}`, 200, true, 300},
		{"array changes nothing", `[]`, 200, true, 300},
		{"numeric string is a 500", `{"collectionIntervalSec":"60"}`, 500, true, 300},
		{"bool interval is a 500", `{"collectionIntervalSec":true}`, 500, true, 300},
		{"null interval is a 500", `{"collectionIntervalSec":null}`, 500, true, 300},
		{"1e20 is a 500", `{"collectionIntervalSec":1e20}`, 500, true, 300},
		{"string enabled is a 500", `{"monitoringEnabled":"yes"}`, 500, true, 300},
		{"numeric enabled is a 500", `{"monitoringEnabled":1}`, 500, true, 300},
		{"null enabled is a 500", `{"monitoringEnabled":null}`, 500, true, 300},
		{"a bad key fails the whole request", `{"monitoringEnabled":false,"collectionIntervalSec":"60"}`, 500, true, 300},
		{"no body is a 500", nil, 500, true, 300},
		{"JSON null is a 500", `null`, 500, true, 300},
		{"malformed JSON is a 500", `{"monitoringEnabled":`, 500, true, 300},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := h.createDB(`{"name":"mon-` + string(rune('a'+i)) + `","type":"postgres"}`)
			before := mustDB(t, h, id)
			res := h.mustCall("PATCH", monitoringPath(h.env, id), operatorTok, tc.body)
			if res.status != tc.status {
				t.Fatalf("status %d, want %d: %s", res.status, tc.status, res.raw)
			}
			if tc.status == 500 {
				res.expectError(t, 500, "INTERNAL", internalMessage)
			} else {
				// The answer is not wrapped in a "database" key.
				res.expectFields(t, map[string]any{"monitoringEnabled": tc.enabled, "collectionIntervalSec": tc.interval,
					"monitoringStatus": "unknown"})
			}
			h.mustCall("GET", "/api/databases/"+id, operatorTok, nil).expectFields(t, map[string]any{
				"database.monitoringEnabled": tc.enabled, "database.collectionIntervalSec": tc.interval})
			if after := mustDB(t, h, id); tc.status == 200 && !after.UpdatedAt.After(before.UpdatedAt) {
				t.Errorf("updatedAt did not move: %v -> %v", before.UpdatedAt, after.UpdatedAt)
			}
		})
	}
}

// TestPatchMonitoring_access: unknown id, roles, and the envId that is
// checked against the token's scope but never against the database.
func TestPatchMonitoring_access(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"acc","type":"postgres"}`)
	otherRes := h.mustCall("POST", "/api/environments/"+h.other+"/databases", operatorTok, `{"name":"foreign","type":"postgres"}`)
	foreign := otherRes.str("database", "id")
	body := `{"collectionIntervalSec":90}`

	h.mustCall("PATCH", monitoringPath(h.env, "nope"), operatorTok, body).expectError(t, 404, "NOT_FOUND", "Database not found")
	h.mustCall("PATCH", monitoringPath(h.env, id), viewerTok, body).expectError(t, 403, "FORBIDDEN_ROLE", "")
	if res := h.mustCall("PATCH", monitoringPath(h.env, id), "", body); res.status != 401 {
		t.Fatalf("no token: %d %s", res.status, res.raw)
	}

	// envId is never matched to the database: another environment's id, or
	// one that does not exist, still changes the database.
	h.mustCall("PATCH", monitoringPath(h.other, id), operatorTok, `{"collectionIntervalSec":91}`).expectOK(t)
	h.mustCall("PATCH", monitoringPath("no-such-env", id), operatorTok, `{"collectionIntervalSec":92}`).expectOK(t)
	if got := mustDB(t, h, id).CollectionIntervalSec; got != 92 {
		t.Fatalf("interval = %d, want 92", got)
	}

	// A token scoped to "main" is refused with a foreign envId and, unlike
	// on the platform (a deliberate difference), also with its own envId
	// in front of a database of "other".
	h.mustCall("PATCH", monitoringPath(h.other, foreign), scopedTok, body).
		expectError(t, 403, "FORBIDDEN_SCOPE", "Token is not scoped to this environment")
	h.mustCall("PATCH", monitoringPath(h.env, foreign), scopedTok, `{"monitoringEnabled":false}`).
		expectError(t, 403, "FORBIDDEN_SCOPE", "Token is not scoped to this environment")
	if !mustDB(t, h, foreign).MonitoringEnabled {
		t.Fatal("scope escape: the foreign database was changed")
	}
}

// TestPatchDatabase_monitoringFields: PATCH /api/databases/{id} ignores the
// monitoring settings (200) and refuses the collector's fields (422).
func TestPatchDatabase_monitoringFields(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"pm","type":"postgres"}`)
	h.mustCall("PATCH", "/api/databases/"+id, operatorTok, `{"monitoringEnabled":false,"collectionIntervalSec":60}`).
		expectFields(t, map[string]any{"database.monitoringEnabled": true, "database.collectionIntervalSec": 300.0})

	res := h.mustCall("PATCH", "/api/databases/"+id, operatorTok, `{"lastCollectedAt":"2026-01-01T00:00:00.000Z"}`)
	res.expectError(t, 422, "READONLY_FIELD", `Field "lastCollectedAt" is read-only and cannot be set via PATCH.`)
	if res.str("hint") != defaultReadonlyHint {
		t.Errorf("hint = %q", res.str("hint"))
	}
	res = h.mustCall("PATCH", "/api/databases/"+id, operatorTok, `{"lastMonitoringError":"x","monitoringStatus":"ok"}`)
	res.expectError(t, 422, "READONLY_FIELD", `Fields "lastMonitoringError", "monitoringStatus" are read-only and cannot be set via PATCH.`)
	if res.str("field") != "lastMonitoringError" {
		t.Errorf("field = %q, want the first offender", res.str("field"))
	}
}

// TestMonitoringSummary: the collector's status, one request per
// environment; fresh databases are "unknown" with nothing collected.
func TestMonitoringSummary(t *testing.T) {
	h := newHarness(t)
	srv := h.sim.AddServer(h.env, "box")
	b := h.createDB(`{"name":"b","type":"mongodb"}`)
	a := h.createDB(`{"name":"a","type":"postgres","serverId":"` + srv + `"}`)
	collected := time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)
	if err := h.sim.SetMonitoringStatus(a, "error", &collected, ptr("connect ECONNREFUSED 127.0.0.1:5432")); err != nil {
		t.Fatal(err)
	}
	path := "/api/environments/" + h.env + "/databases/monitoring-summary"
	res := h.mustCall("GET", path, viewerTok, nil)
	res.expectFields(t, map[string]any{
		"databases.0.id": a, "databases.0.name": "a", "databases.0.typeName": "PostgreSQL", "databases.0.serverName": "box",
		"databases.0.monitoringEnabled": true, "databases.0.monitoringStatus": "error",
		"databases.0.lastCollectedAt": "2026-11-26T17:00:00.000Z", "databases.0.lastMonitoringError": "connect ECONNREFUSED 127.0.0.1:5432",
		"databases.1.id": b, "databases.1.monitoringStatus": "unknown", "databases.1.lastCollectedAt": nil,
		"databases.1.lastMonitoringError": nil, "databases.1.serverName": nil, "databases.1.latestMetrics": nil,
	})
	h.mustCall("GET", "/api/environments/"+h.other+"/databases/monitoring-summary", scopedTok, nil).
		expectError(t, 403, "FORBIDDEN_SCOPE", "Token is not scoped to this environment")
	if res := h.mustCall("GET", "/api/environments/unknown/databases/monitoring-summary", operatorTok, nil); res.status != 200 ||
		len(res.at("databases").([]any)) != 0 {
		t.Fatalf("unknown environment: %d %s", res.status, res.raw)
	}
	if err := h.sim.SetMonitoringStatus("nope", "error", nil, nil); !IsNotFound(err) {
		t.Fatalf("SetMonitoringStatus on unknown id: %v", err)
	}
}
