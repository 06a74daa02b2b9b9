package simulator

import (
	"reflect"
	"regexp"
	"testing"
)

// TestCreateDatabase covers every create rule and default of the contract,
// one case per behaviour.
func TestCreateDatabase(t *testing.T) {
	h := newHarness(t)
	serverID := h.sim.AddServer(h.env, "db-host-1")
	cases := []struct {
		name   string
		body   string
		status int
		code   string
		paths  []string       // details[].path, in order
		want   map[string]any // fields of "database" on success
	}{
		{name: "server defaults", body: `{"name":"d-defaults","type":"postgres"}`, status: 200, want: map[string]any{
			"backupFormat": "plain", "backupCompression": "none", "backupCompressionLevel": 6.0,
			"pgDumpTimeoutMs": 300000.0, "backupStorageType": "local", "useSsl": false,
			"host": nil, "port": nil, "databaseName": nil, "filePath": nil, "serverId": nil,
			"backupLocalPath": nil, "backupSpacesBucket": nil, "backupSpacesPrefix": nil, "pgDumpOptions": nil,
			"hasCredentials": false, "_count.backups": 0.0, "_count.services": 0.0,
			"environmentId": h.env, "type": "postgres",
		}},
		{name: "resolves postgres type", body: `{"name":"d-pg","type":"postgres"}`, status: 200, want: map[string]any{
			"databaseTypeId": h.sim.DatabaseTypeID("postgres"),
			"databaseType":   map[string]any{"id": h.sim.DatabaseTypeID("postgres"), "name": "postgres", "displayName": "PostgreSQL", "hasBackupCommand": true},
		}},
		{name: "resolves mysql type", body: `{"name":"d-my","type":"mysql"}`, status: 200, want: map[string]any{
			"databaseType.displayName": "MySQL", "databaseType.hasBackupCommand": true}},
		{name: "resolves mongodb type", body: `{"name":"d-mongo","type":"mongodb"}`, status: 200, want: map[string]any{
			"databaseType.displayName": "MongoDB", "databaseType.hasBackupCommand": true}},
		{name: "redis has no backup command", body: `{"name":"d-redis","type":"redis"}`, status: 200, want: map[string]any{
			"databaseType.displayName": "Redis", "databaseType.hasBackupCommand": false}},
		{name: "resolves sqlite type", body: `{"name":"d-lite","type":"sqlite","filePath":"/data/app.db"}`, status: 200, want: map[string]any{
			"databaseType.displayName": "SQLite", "filePath": "/data/app.db"}},
		{name: "unknown type accepted with null type", body: `{"name":"d-cock","type":"cockroach"}`, status: 200, want: map[string]any{
			"databaseTypeId": nil, "databaseType": nil, "type": "cockroach"}},
		{name: "type lookup is case sensitive", body: `{"name":"d-upper","type":"Postgres"}`, status: 200, want: map[string]any{
			"databaseTypeId": nil}},
		{name: "explicit databaseTypeId kept even if it names another type", body: `{"name":"d-explicit","type":"postgres","databaseTypeId":"` + h.sim.DatabaseTypeID("mysql") + `"}`, status: 200, want: map[string]any{
			"databaseTypeId": h.sim.DatabaseTypeID("mysql"), "databaseType.name": "mysql"}},
		{name: "empty databaseTypeId resolves by name", body: `{"name":"d-emptytype","type":"redis","databaseTypeId":""}`, status: 200, want: map[string]any{
			"databaseType.name": "redis"}},
		// The platform treats "" as absent and looks the type up by name;
		// for a type it does not know the "" then reaches the insert and
		// breaks the foreign key.
		{name: "empty databaseTypeId with an unknown type is 500", body: `{"name":"d-emptyunknown","type":"cockroach","databaseTypeId":""}`, status: 500, code: "INTERNAL"},
		{name: "unknown databaseTypeId is 500", body: `{"name":"d-badtype","type":"postgres","databaseTypeId":"cnosuchtype000000000000000"}`, status: 500, code: "INTERNAL"},
		{name: "port truncated", body: `{"name":"d-port-frac","type":"postgres","port":5432.5}`, status: 200, want: map[string]any{"port": 5432.0}},
		{name: "port has no range check", body: `{"name":"d-port-big","type":"postgres","port":70000}`, status: 200, want: map[string]any{"port": 70000.0}},
		{name: "negative port accepted", body: `{"name":"d-port-neg","type":"postgres","port":-1}`, status: 200, want: map[string]any{"port": -1.0}},
		{name: "port beyond 32 bits is a 500", body: `{"name":"d-port-huge","type":"postgres","port":3000000000}`, status: 500, code: "INTERNAL"},
		{name: "numeric string port rejected", body: `{"name":"d-port-str","type":"postgres","port":"5432"}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"port"}},
		{name: "compression level truncated", body: `{"name":"d-level","type":"postgres","backupCompressionLevel":5.5}`, status: 200, want: map[string]any{"backupCompressionLevel": 5.0}},
		{name: "compression level 1 and 9 bounds", body: `{"name":"d-level9","type":"postgres","backupCompressionLevel":9}`, status: 200, want: map[string]any{"backupCompressionLevel": 9.0}},
		{name: "compression level 0 too small", body: `{"name":"d-l0","type":"postgres","backupCompressionLevel":0}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"backupCompressionLevel"}},
		{name: "compression level 10 too big", body: `{"name":"d-l10","type":"postgres","backupCompressionLevel":10}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"backupCompressionLevel"}},
		{name: "compression level 9.5 too big", body: `{"name":"d-l95","type":"postgres","backupCompressionLevel":9.5}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"backupCompressionLevel"}},
		{name: "timeout lower bound", body: `{"name":"d-t-lo","type":"postgres","pgDumpTimeoutMs":30000}`, status: 200, want: map[string]any{"pgDumpTimeoutMs": 30000.0}},
		{name: "timeout upper bound", body: `{"name":"d-t-hi","type":"postgres","pgDumpTimeoutMs":3600000}`, status: 200, want: map[string]any{"pgDumpTimeoutMs": 3600000.0}},
		{name: "timeout too small", body: `{"name":"d-t-small","type":"postgres","pgDumpTimeoutMs":29999}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"pgDumpTimeoutMs"}},
		{name: "timeout too big", body: `{"name":"d-t-big","type":"postgres","pgDumpTimeoutMs":3600001}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"pgDumpTimeoutMs"}},
		{name: "storage enum", body: `{"name":"d-st","type":"postgres","backupStorageType":"s3"}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"backupStorageType"}},
		{name: "format enum", body: `{"name":"d-fmt","type":"postgres","backupFormat":"zip"}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"backupFormat"}},
		{name: "compression enum", body: `{"name":"d-cmp","type":"postgres","backupCompression":"bzip2"}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"backupCompression"}},
		{name: "all enum values accepted", body: `{"name":"d-enums","type":"postgres","backupStorageType":"local","backupFormat":"tar","backupCompression":"gzip"}`, status: 200, want: map[string]any{
			"backupFormat": "tar", "backupCompression": "gzip"}},
		{name: "name required", body: `{"type":"postgres"}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"name"}},
		{name: "type required", body: `{"name":"d-notype"}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"type"}},
		{name: "empty name and type", body: `{"name":"","type":""}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"name", "type"}},
		{name: "null name rejected", body: `{"name":null,"type":"postgres"}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"name"}},
		{name: "useSsl must be boolean", body: `{"name":"d-ssl","type":"postgres","useSsl":"true"}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"useSsl"}},
		{name: "useSsl true", body: `{"name":"d-ssl-ok","type":"postgres","useSsl":true}`, status: 200, want: map[string]any{"useSsl": true}},
		{name: "several bad fields in schema order", body: `{"backupFormat":"x","port":"1","name":""}`, status: 400, code: "VALIDATION_ERROR",
			paths: []string{"name", "type", "port", "backupFormat"}},
		{name: "pgDumpOptions stored as given", body: `{"name":"d-pgd","type":"postgres","pgDumpOptions":{"clean":true,"noOwner":false,"bogus":1}}`, status: 200, want: map[string]any{
			"pgDumpOptions": map[string]any{"noOwner": false, "clean": true}}},
		{name: "pgDumpOptions empty object", body: `{"name":"d-pgd-empty","type":"postgres","pgDumpOptions":{}}`, status: 200, want: map[string]any{
			"pgDumpOptions": map[string]any{}}},
		{name: "pgDumpOptions not nullable", body: `{"name":"d-pgd-null","type":"postgres","pgDumpOptions":null}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"pgDumpOptions"}},
		{name: "pgDumpOptions member must be boolean", body: `{"name":"d-pgd-bad","type":"postgres","pgDumpOptions":{"clean":"yes","dataOnly":1}}`, status: 400, code: "VALIDATION_ERROR",
			paths: []string{"pgDumpOptions.clean", "pgDumpOptions.dataOnly"}},
		{name: "spaces default prefix", body: `{"name":"d-spaces","type":"postgres","backupStorageType":"spaces"}`, status: 200, want: map[string]any{
			"backupSpacesPrefix": "main/d-spaces/", "backupSpacesBucket": nil}},
		{name: "spaces explicit prefix kept", body: `{"name":"d-spaces2","type":"postgres","backupStorageType":"spaces","backupSpacesPrefix":"custom/","backupSpacesBucket":"b"}`, status: 200, want: map[string]any{
			"backupSpacesPrefix": "custom/", "backupSpacesBucket": "b"}},
		{name: "local storage has no default prefix", body: `{"name":"d-local","type":"postgres","backupLocalPath":"/var/b"}`, status: 200, want: map[string]any{
			"backupSpacesPrefix": nil, "backupLocalPath": "/var/b"}},
		{name: "credentials stored when both set", body: `{"name":"d-cred","type":"postgres","username":"u","password":"p"}`, status: 200, want: map[string]any{"hasCredentials": true}},
		{name: "username alone not stored", body: `{"name":"d-cred-u","type":"postgres","username":"u"}`, status: 200, want: map[string]any{"hasCredentials": false}},
		{name: "empty password not stored", body: `{"name":"d-cred-e","type":"postgres","username":"u","password":""}`, status: 200, want: map[string]any{"hasCredentials": false}},
		{name: "unknown fields dropped", body: `{"name":"d-unknown","type":"postgres","monitoringEnabled":true,"collectionIntervalSec":5,"color":"red"}`, status: 200, want: map[string]any{
			"monitoringEnabled": true, "collectionIntervalSec": 300.0}},
		{name: "existing server id", body: `{"name":"d-srv","type":"sqlite","serverId":"` + serverID + `"}`, status: 200, want: map[string]any{"serverId": serverID}},
		{name: "unknown server id is 500", body: `{"name":"d-nosrv","type":"postgres","serverId":"cnosuchserver0000000000000"}`, status: 500, code: "INTERNAL"},
		{name: "empty server id is 500", body: `{"name":"d-emptysrv","type":"postgres","serverId":""}`, status: 500, code: "INTERNAL"},
		{name: "empty optional strings read back empty", body: `{"name":"d-empty","type":"postgres","host":"","databaseName":""}`, status: 200, want: map[string]any{"host": "", "databaseName": ""}},
		{name: "body not an object", body: `[1,2]`, status: 400, code: "VALIDATION_ERROR", paths: []string{""}},
		{name: "malformed JSON is 500", body: `{"name":`, status: 500, code: "INTERNAL"},
		{name: "trailing garbage is 500", body: `{"name":"x","type":"y"} x`, status: 500, code: "INTERNAL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.mustCall("POST", "/api/environments/"+h.env+"/databases", operatorTok, tc.body)
			if tc.status != 200 {
				res.expectError(t, tc.status, tc.code, "")
				if tc.status >= 500 && res.str("message") != "Internal Server Error" {
					t.Errorf("5xx message = %q", res.str("message"))
				}
				if tc.paths != nil {
					if got := res.detailPaths(); !reflect.DeepEqual(got, tc.paths) {
						t.Errorf("details paths = %q, want %q", got, tc.paths)
					}
					if res.str("message") != "Invalid input" || res.has("field") {
						t.Errorf("validation envelope: %s", res.raw)
					}
				}
				return
			}
			res.expectOK(t)
			want := map[string]any{}
			for k, v := range tc.want {
				want["database."+k] = v
			}
			res.expectFields(t, want)
			for _, secret := range []string{"username", "password"} {
				if res.has("database", secret) {
					t.Errorf("%s returned: %s", secret, res.raw)
				}
			}
		})
	}
}

func TestCreateDatabaseValidationDetails(t *testing.T) {
	h := newHarness(t)
	res := h.mustCall("POST", "/api/environments/"+h.env+"/databases", operatorTok,
		`{"type":"postgres","backupFormat":"zip","backupCompressionLevel":0,"port":"5432","name":""}`)
	res.expectError(t, 400, "VALIDATION_ERROR", "Invalid input")
	want := []any{
		map[string]any{"origin": "string", "code": "too_small", "minimum": 1.0, "inclusive": true, "path": []any{"name"},
			"message": "Too small: expected string to have >=1 characters"},
		map[string]any{"expected": "number", "code": "invalid_type", "path": []any{"port"},
			"message": "Invalid input: expected number, received string"},
		map[string]any{"code": "invalid_value", "values": []any{"plain", "custom", "tar"}, "path": []any{"backupFormat"},
			"message": `Invalid option: expected one of "plain"|"custom"|"tar"`},
		map[string]any{"origin": "number", "code": "too_small", "minimum": 1.0, "inclusive": true, "path": []any{"backupCompressionLevel"},
			"message": "Too small: expected number to be >=1"},
	}
	if got := res.body["details"]; !reflect.DeepEqual(got, want) {
		t.Fatalf("details = %#v", got)
	}
	missing := h.mustCall("POST", "/api/environments/"+h.env+"/databases", operatorTok, `{"type":"postgres"}`)
	if msg := missing.str("details", "0", "message"); msg != "Invalid input: expected string, received undefined" {
		t.Fatalf("missing name message = %q", msg)
	}
}

func TestCreateDatabaseConflictsAndEnvironments(t *testing.T) {
	h := newHarness(t)
	h.createDB(`{"name":"orders","type":"postgres"}`)
	cases := []struct {
		name, env, body string
		status          int
		code, message   string
	}{
		{"duplicate name in same environment", h.env, `{"name":"orders","type":"mysql"}`, 409, "CONFLICT", "Database with this name already exists"},
		{"same name in another environment", h.other, `{"name":"orders","type":"mysql"}`, 200, "", ""},
		{"unknown environment is 500", "cnosuchenv00000000000000000", `{"name":"orders","type":"mysql"}`, 500, "INTERNAL", "Internal Server Error"},
		{"validation comes before the environment check", "cnosuchenv00000000000000000", `{"name":""}`, 400, "VALIDATION_ERROR", "Invalid input"},
		{"duplicate wins over a bad server id", h.env, `{"name":"orders","type":"mysql","serverId":"nope"}`, 409, "CONFLICT", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.mustCall("POST", "/api/environments/"+tc.env+"/databases", operatorTok, tc.body)
			if tc.status == 200 {
				res.expectOK(t)
				return
			}
			res.expectError(t, tc.status, tc.code, tc.message)
		})
	}
}

func TestCreateDatabaseResponseShape(t *testing.T) {
	h := newHarness(t)
	res := h.mustCall("POST", "/api/environments/"+h.env+"/databases", operatorTok,
		`{"name":"orders-pg","type":"postgres","host":"pg.example.test","port":5432,"databaseName":"orders","username":"u","password":"p","useSsl":true}`)
	res.expectOK(t)
	id := res.str("database", "id")
	if !regexp.MustCompile(`^c[0-9a-z]{24}$`).MatchString(id) {
		t.Errorf("id %q is not cuid-like", id)
	}
	ts := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	for _, f := range []string{"createdAt", "updatedAt"} {
		if !ts.MatchString(res.str("database", f)) {
			t.Errorf("%s = %q", f, res.str("database", f))
		}
	}
	if res.str("database", "createdAt") != res.str("database", "updatedAt") {
		t.Errorf("createdAt and updatedAt differ on create")
	}
	if res.has("database", "lastBackup") {
		t.Errorf("single database carries list-only fields: %s", res.raw)
	}
	db, ok := h.sim.Database(id)
	if !ok || db.Username != "u" || db.Password != "p" || !db.HasCredentials {
		t.Fatalf("stored credentials: %+v", db)
	}
}
