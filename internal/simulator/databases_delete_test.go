package simulator

import (
	"regexp"
	"testing"
)

func TestGetDatabase(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"g","type":"postgres"}`)
	cases := []struct {
		name, id, token string
		status          int
		code, message   string
	}{
		{"found", id, viewerTok, 200, "", ""},
		{"unknown id is 404", "cnosuchdb00000000000000000", viewerTok, 404, "NOT_FOUND", "Database not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.mustCall("GET", "/api/databases/"+tc.id, tc.token, nil)
			if tc.status == 200 {
				res.expectOK(t)
				res.expectFields(t, map[string]any{"database.id": id, "database.name": "g"})
				return
			}
			res.expectError(t, tc.status, tc.code, tc.message)
		})
	}
}

func TestDeleteDatabase(t *testing.T) {
	h := newHarness(t)
	t.Run("deleted then 404", func(t *testing.T) {
		id := h.createDB(`{"name":"del","type":"postgres"}`)
		res := h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil)
		res.expectOK(t)
		if string(res.raw) != `{"success":true}` {
			t.Fatalf("body %s", res.raw)
		}
		h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil).expectError(t, 404, "NOT_FOUND", "Database not found")
		h.mustCall("GET", "/api/databases/"+id, operatorTok, nil).expectError(t, 404, "NOT_FOUND", "Database not found")
	})
	t.Run("refused while a backup exists", func(t *testing.T) {
		id := h.createDB(`{"name":"with-backup","type":"postgres"}`)
		backupID := h.mustCall("POST", "/api/databases/"+id+"/backups", operatorTok, nil).str("backupId")
		res := h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil)
		res.expectError(t, 400, "VALIDATION_ERROR", "Cannot delete database with existing backups. Delete backups first.")
		if res.has("field") {
			t.Errorf("unexpected field: %s", res.raw)
		}
		h.mustCall("DELETE", "/api/databases/"+id+"/backups/"+backupID, operatorTok, nil).expectOK(t)
		h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil).expectOK(t)
	})
	t.Run("schedule goes with the database", func(t *testing.T) {
		id := h.createDB(`{"name":"with-schedule","type":"postgres"}`)
		h.mustCall("PUT", "/api/databases/"+id+"/schedule", operatorTok, `{"cronExpression":"0 2 * * *"}`).expectOK(t)
		h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil).expectOK(t)
		if _, ok := h.sim.Schedule(id); ok {
			t.Fatal("schedule survived")
		}
	})
	t.Run("name free again after delete", func(t *testing.T) {
		id := h.createDB(`{"name":"reuse","type":"postgres"}`)
		h.mustCall("DELETE", "/api/databases/"+id, operatorTok, nil).expectOK(t)
		h.createDB(`{"name":"reuse","type":"postgres"}`)
	})
}

func TestBackups(t *testing.T) {
	clock := newFakeClock()
	h := newHarness(t, func(o *Options) { o.Now = clock.Now })
	id := h.createDB(`{"name":"bk","type":"postgres","backupFormat":"custom","username":"u","password":"p","databaseName":"bk"}`)
	start := h.mustCall("POST", "/api/databases/"+id+"/backups", operatorTok, nil)
	start.expectOK(t)
	if start.str("message") != "Backup started" || start.str("backupId") == "" {
		t.Fatalf("start: %s", start.raw)
	}
	clock.Advance(defaultBackupRunTime)
	list := h.mustCall("GET", "/api/databases/"+id+"/backups", viewerTok, nil)
	list.expectOK(t)
	list.expectFields(t, map[string]any{
		"total": 1.0, "backups.0.id": start.str("backupId"), "backups.0.status": "completed",
		"backups.0.type": "manual", "backups.0.error": nil,
	})
	if !regexp.MustCompile(`^bk-.*\.dump$`).MatchString(list.str("backups", "0", "filename")) {
		t.Errorf("filename %q", list.str("backups", "0", "filename"))
	}
	if list.str("backups", "0", "completedAt") == "" || list.at("backups", "0", "size").(float64) <= 0 {
		t.Errorf("backup: %s", list.raw)
	}

	cases := []struct {
		name, method, path, token string
		status                    int
		code, message             string
	}{
		{"start on unknown database", "POST", "/api/databases/nope/backups", operatorTok, 404, "NOT_FOUND", "Database not found"},
		{"list on unknown database", "GET", "/api/databases/nope/backups", operatorTok, 404, "NOT_FOUND", "Database not found"},
		{"viewer cannot start", "POST", "/api/databases/" + id + "/backups", viewerTok, 403, "FORBIDDEN_ROLE", ""},
		{"delete unknown backup", "DELETE", "/api/databases/" + id + "/backups/nope", operatorTok, 404, "NOT_FOUND", "Backup not found"},
		{"delete via the real route", "DELETE", "/api/backups/" + start.str("backupId"), operatorTok, 200, "", ""},
		{"gone afterwards", "DELETE", "/api/backups/" + start.str("backupId"), operatorTok, 404, "NOT_FOUND", "Backup not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.mustCall(tc.method, tc.path, tc.token, nil)
			if tc.status == 200 {
				res.expectOK(t)
				return
			}
			res.expectError(t, tc.status, tc.code, tc.message)
		})
	}
}
