package simulator

import (
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// closedPort is a local port nothing listens on: one just released.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	return port
}

// openPort is a local port that accepts connections (and says nothing),
// for the length of the test.
func openPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

func testConnectionPath(env, id string) string {
	return "/api/environments/" + env + "/databases/" + id + "/test-connection"
}

// TestTestConnection: 200 either way, with the platform's messages for a
// refused port, an unknown host, sqlite and an unsupported type, and a
// success (latency, serverVersion, no error) when something accepts the
// connection.
func TestTestConnection(t *testing.T) {
	h := newHarness(t)
	refused, open := closedPort(t), openPort(t)
	srv := h.sim.AddServer(h.env, "localhost")
	cases := []struct {
		name, body string
		success    bool
		error      string
	}{
		{"refused", fmt.Sprintf(`{"name":"pg","type":"postgres","host":"127.0.0.1","port":%d}`, refused), false,
			fmt.Sprintf("connect ECONNREFUSED 127.0.0.1:%d", refused)},
		{"mysql refused", fmt.Sprintf(`{"name":"my","type":"mysql","host":"127.0.0.1","port":%d}`, refused), false,
			fmt.Sprintf("connect ECONNREFUSED 127.0.0.1:%d", refused)},
		{"unknown host", `{"name":"nx","type":"redis","host":"db.invalid","port":6379}`, false,
			"getaddrinfo ENOTFOUND db.invalid"},
		{"port out of range", `{"name":"big","type":"postgres","host":"127.0.0.1","port":70000}`, false, "timeout expired"},
		{"mongodb", `{"name":"mg","type":"mongodb","host":"127.0.0.1","port":27017}`, false, "Unsupported database type: mongodb"},
		{"unknown type", `{"name":"cr","type":"cockroach"}`, false, "Unsupported database type: cockroach"},
		{"sqlite without server", `{"name":"lite","type":"sqlite","filePath":"/data/a.db"}`, false,
			"SQLite databases require a server for connection testing"},
		{"sqlite on a server", `{"name":"lite2","type":"sqlite","filePath":"/data/a.db","serverId":"` + srv + `"}`, false,
			"SSH key not configured for environment"},
		{"reachable", fmt.Sprintf(`{"name":"up","type":"postgres","host":"127.0.0.1","port":%d}`, open), true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := h.createDB(tc.body)
			res := h.mustCall("POST", testConnectionPath(h.env, id), operatorTok, nil)
			res.expectOK(t)
			if tc.success {
				res.expectFields(t, map[string]any{"success": true})
				if ms, _ := res.at("latencyMs").(float64); ms < 1 {
					t.Errorf("latencyMs = %v", res.at("latencyMs"))
				}
				if v := res.str("serverVersion"); !strings.HasPrefix(v, "PostgreSQL") {
					t.Errorf("serverVersion = %q", v)
				}
				if _, has := res.body["error"]; has {
					t.Errorf("a success carries an error key: %s", res.raw)
				}
				return
			}
			res.expectFields(t, map[string]any{"success": false, "latencyMs": nil, "error": tc.error})
			if _, has := res.body["serverVersion"]; has {
				t.Errorf("a failure carries serverVersion: %s", res.raw)
			}
		})
	}
}

// TestTestConnection_access: a viewer is refused (it is a POST), an
// unknown id is 404, GET is no route, and a scoped token cannot reach
// another environment's database through its own envId.
func TestTestConnection_access(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"mg","type":"mongodb"}`)
	foreign := h.mustCall("POST", "/api/environments/"+h.other+"/databases", operatorTok, `{"name":"f","type":"mongodb"}`).str("database", "id")

	h.mustCall("POST", testConnectionPath(h.env, id), viewerTok, nil).
		expectError(t, 403, "FORBIDDEN_ROLE", "This action requires operator or admin role")
	h.mustCall("POST", testConnectionPath(h.env, "nope"), operatorTok, nil).expectError(t, 404, "NOT_FOUND", "Database not found")
	h.mustCall("GET", testConnectionPath(h.env, id), operatorTok, nil).expectError(t, 404, "NOT_FOUND", "Not found")
	h.mustCall("POST", testConnectionPath(h.env, id), scopedTok, nil).expectOK(t)
	h.mustCall("POST", testConnectionPath(h.env, foreign), scopedTok, nil).
		expectError(t, 403, "FORBIDDEN_SCOPE", "Token is not scoped to this environment")
	// Unscoped tokens keep the platform's behaviour: the envId is not
	// matched to the database.
	h.mustCall("POST", testConnectionPath(h.other, id), operatorTok, nil).expectOK(t)
}

// TestBackupDialsTheHost: by default a postgres backup reaches for its
// host; a refused port fails the dump step with pg_dump's words, an open
// one completes, and DumpAnyHost skips the dial. mysql fails whatever
// the host, as on the platform, whose host has no mysqldump.
func TestBackupDialsTheHost(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.DumpAnyHost = false })
	refused, open := closedPort(t), openPort(t)
	pg := func(name, host string, port int) string {
		return fmt.Sprintf(`{"name":%q,"type":"postgres","host":%q,"port":%d,"username":"u","password":"p","databaseName":"app"}`, name, host, port)
	}
	cases := []struct {
		name, body, status string
		wantError          map[string]any
	}{
		{"refused", pg("pg-down", "127.0.0.1", refused), BackupFailed, map[string]any{"step": "dump", "exitCode": 1.0,
			"message": fmt.Sprintf("pg_dump: error: connection to server at \"127.0.0.1\", port %d failed: Connection refused\n"+
				"\tIs the server running on that host and accepting TCP/IP connections?\n", refused)}},
		{"unknown host", pg("pg-nx", "db.invalid", 5432), BackupFailed, map[string]any{"step": "dump",
			"message": "pg_dump: error: could not translate host name \"db.invalid\" to address: Name or service not known\n"}},
		{"mysql, whose dump tool the platform lacks", fmt.Sprintf(`{"name":"my","type":"mysql","host":"127.0.0.1","port":%d,"username":"u","password":"p","databaseName":"app"}`, open),
			BackupFailed, map[string]any{"step": "dump", "exitCode": 127.0, "message": "/bin/sh: 1: mysqldump: not found\n"}},
		{"reachable", pg("pg-up", "127.0.0.1", open), BackupCompleted, nil},
		{"no credentials: pg_dump connects", fmt.Sprintf(`{"name":"pg-anon","type":"postgres","host":"127.0.0.1","port":%d}`, open),
			BackupCompleted, nil},
		{"no port: -p takes -U", `{"name":"pg-noport","type":"postgres","host":"127.0.0.1","username":"u","password":"p","databaseName":"app"}`,
			BackupFailed, map[string]any{"step": "dump", "exitCode": 1.0, "message": "pg_dump: error: too many command-line arguments (first is \"u\")\n" +
				"pg_dump: hint: Try \"pg_dump --help\" for more information.\n"}},
		{"no database name: -d takes -f", fmt.Sprintf(`{"name":"pg-nodb","type":"postgres","host":"127.0.0.1","port":%d,"username":"u","password":"p"}`, open),
			BackupFailed, map[string]any{"step": "dump", "exitCode": 1.0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := h.createDB(tc.body)
			startBackup(t, h, id)
			b := waitSettled(t, h, id)
			if b.Status != tc.status {
				t.Fatalf("status %s, want %s (error %v)", b.Status, tc.status, deref(b.Error))
			}
			if tc.wantError == nil {
				return
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(*b.Error), &got); err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.wantError {
				if got[k] != v {
					t.Errorf("%s = %#v, want %#v", k, got[k], v)
				}
			}
			if got["stderr"] != got["message"] {
				t.Errorf("stderr %q differs from message", got["stderr"])
			}
		})
	}
	t.Run("DumpAnyHost", func(t *testing.T) {
		h.sim.SetDumpAnyHost(true)
		defer h.sim.SetDumpAnyHost(false)
		id := h.createDB(pg("pg-any", "127.0.0.1", refused))
		startBackup(t, h, id)
		if b := waitSettled(t, h, id); b.Status != BackupCompleted {
			t.Fatalf("status %s with DumpAnyHost", b.Status)
		}
	})
}

// waitSettled polls the database's newest backup until it has ended.
func waitSettled(t *testing.T, h *harness, dbID string) Backup {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b := h.sim.Backups(dbID)[0]
		if b.Status != BackupInProgress {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("backup %s still in progress", b.ID)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestAuthMe_serviceAccount: a service account's token reports the
// platform's synthetic user, and what it starts or pins records no user.
func TestAuthMe_serviceAccount(t *testing.T) {
	h := newHarness(t, func(o *Options) {
		o.Tokens = append(o.Tokens, Token{Value: "sa", Role: RoleOperator, ServiceAccount: "ci-bot"},
			Token{Value: "named", Role: RoleAdmin, Email: "ada@example.test", Name: "Ada"})
	})
	res := h.mustCall("GET", "/api/auth/me", "sa", nil)
	res.expectOK(t)
	sa := res.str("user", "serviceAccountId")
	if sa == "" || res.str("user", "id") != "sa:"+sa {
		t.Fatalf("service account user: %s", res.raw)
	}
	res.expectFields(t, map[string]any{"user.email": "ci-bot@service-account.local", "user.name": "ci-bot"})

	res = h.mustCall("GET", "/api/auth/me", "named", nil)
	res.expectFields(t, map[string]any{"user.email": "ada@example.test", "user.name": "Ada"})
	if _, has := res.at("user").(map[string]any)["serviceAccountId"]; has {
		t.Errorf("a user's token reports serviceAccountId: %s", res.raw)
	}
	scopes := res.at("scopes").([]any)
	if !strings.Contains(fmt.Sprint(scopes), "secrets:reveal") {
		t.Errorf("admin scopes lack secrets:reveal: %v", scopes)
	}

	id := h.createDB(`{"name":"lite","type":"sqlite","filePath":"/data/a.db"}`)
	bid := h.mustCall("POST", "/api/databases/"+id+"/backups", "sa", nil).str("backupId")
	h.mustCall("PUT", "/api/databases/"+id+"/backups/"+bid+"/pin", "sa", `{"pinned":true}`).
		expectFields(t, map[string]any{"backup.isPinned": true, "backup.pinnedById": nil, "backup.triggeredById": nil})
	bid = h.mustCall("POST", "/api/databases/"+id+"/backups", "named", nil).str("backupId")
	list := h.mustCall("GET", "/api/databases/"+id+"/backups", "named", nil)
	list.expectFields(t, map[string]any{"backups.0.id": bid, "backups.0.triggeredBy.email": "ada@example.test",
		"backups.0.triggeredBy.name": "Ada", "backups.1.triggeredBy": nil})
	if list.str("backups", "0", "triggeredBy", "id") != list.str("backups", "0", "triggeredById") {
		t.Errorf("triggeredBy.id differs from triggeredById: %s", list.raw)
	}
}

// TestPutBackupPolicy_emptyBody: an absent preset is zod's enum answer
// (invalid_value with the values), the absent tiers invalid_type.
func TestPutBackupPolicy_emptyBody(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"p","type":"postgres"}`)
	res := h.mustCall("PUT", "/api/databases/"+id+"/backup-policy", operatorTok, `{}`)
	res.expectError(t, 400, "VALIDATION_ERROR", "Invalid input")
	res.expectFields(t, map[string]any{
		"details.0.path": []any{"preset"}, "details.0.code": "invalid_value",
		"details.0.values":  []any{"lean", "balanced", "long_term", "custom"},
		"details.0.message": `Invalid option: expected one of "lean"|"balanced"|"long_term"|"custom"`,
		"details.1.path":    []any{"keepLast"}, "details.1.code": "invalid_type",
	})
	if _, has := res.at("details", "0").(map[string]any)["expected"]; has {
		t.Errorf("the preset issue has an expected key: %s", res.raw)
	}
}
