package simulator

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

const fullDB = `{"name":"orders","type":"postgres","host":"pg.example.test","port":5432,"databaseName":"orders",
"username":"orders_app","password":"secret","filePath":"/f","backupLocalPath":"/var/b","backupSpacesBucket":"bk",
"backupSpacesPrefix":"p/","backupFormat":"custom","backupCompression":"gzip","backupCompressionLevel":9,
"pgDumpOptions":{"noOwner":true,"clean":true,"ifExists":true,"schemaOnly":false,"dataOnly":false},"pgDumpTimeoutMs":600000,"useSsl":true}`

// TestPatchDatabase: each PATCH rule and trap of the contract, each on a
// fresh database.
func TestPatchDatabase(t *testing.T) {
	h := newHarness(t)
	serverID := h.sim.AddServer(h.env, "srv")
	h.createDB(`{"name":"taken","type":"postgres"}`)
	cases := []struct {
		name   string
		body   string
		status int
		code   string
		field  string
		paths  []string
		want   map[string]any                             // database fields after the call (from a GET)
		stored func(t *testing.T, before, after Database) // checks on the stored record
	}{
		{name: "partial update leaves the rest", body: `{"host":"other.host"}`, status: 200, want: map[string]any{
			"host": "other.host", "port": 5432.0, "backupFormat": "custom", "databaseName": "orders"}},
		{name: "empty body object changes nothing but updatedAt", body: `{}`, status: 200, want: map[string]any{"host": "pg.example.test"},
			stored: func(t *testing.T, b, a Database) {
				if !a.UpdatedAt.After(b.UpdatedAt) {
					t.Errorf("updatedAt did not move: %v -> %v", b.UpdatedAt, a.UpdatedAt)
				}
			}},
		{name: "pgDumpOptions replaced as a whole", body: `{"pgDumpOptions":{"noOwner":false}}`, status: 200, want: map[string]any{
			"pgDumpOptions": map[string]any{"noOwner": false}}},
		{name: "pgDumpOptions {} clears", body: `{"pgDumpOptions":{}}`, status: 200, want: map[string]any{"pgDumpOptions": map[string]any{}}},
		{name: "empty string empties an optional string", body: `{"host":"","databaseName":"","backupLocalPath":""}`, status: 200, want: map[string]any{
			"host": "", "databaseName": "", "backupLocalPath": ""}},
		{name: "null host rejected", body: `{"host":null}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"host"}},
		{name: "null port rejected (cannot clear a number)", body: `{"port":null}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"port"}},
		{name: "null enum rejected", body: `{"backupFormat":null}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"backupFormat"}},
		{name: "null pgDumpOptions rejected", body: `{"pgDumpOptions":null}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"pgDumpOptions"}},
		{name: "null useSsl rejected", body: `{"useSsl":null}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"useSsl"}},
		{name: "null name rejected", body: `{"name":null}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"name"}},
		{name: "several nulls, one detail each", body: `{"username":null,"host":null}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"host", "username"}},
		{name: "empty name rejected", body: `{"name":""}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"name"}},
		{name: "range still checked", body: `{"backupCompressionLevel":0}`, status: 400, code: "VALIDATION_ERROR", paths: []string{"backupCompressionLevel"}},
		{name: "port truncated on PATCH", body: `{"port":6543.9}`, status: 200, want: map[string]any{"port": 6543.0}},
		{name: "both credentials replace", body: `{"username":"new","password":"pw2"}`, status: 200, want: map[string]any{"hasCredentials": true},
			stored: func(t *testing.T, _, a Database) {
				if a.Username != "new" || a.Password != "pw2" {
					t.Errorf("stored %q/%q", a.Username, a.Password)
				}
			}},
		{name: "both empty credentials clear", body: `{"username":"","password":""}`, status: 200, want: map[string]any{"hasCredentials": false},
			stored: func(t *testing.T, _, a Database) {
				if a.Username != "" || a.Password != "" {
					t.Errorf("stored %q/%q", a.Username, a.Password)
				}
			}},
		{name: "username alone changes nothing", body: `{"username":"other"}`, status: 200, want: map[string]any{"hasCredentials": true},
			stored: func(t *testing.T, _, a Database) {
				if a.Username != "orders_app" || a.Password != "secret" {
					t.Errorf("stored %q/%q", a.Username, a.Password)
				}
			}},
		{name: "password alone changes nothing", body: `{"password":"x"}`, status: 200, want: map[string]any{"hasCredentials": true},
			stored: func(t *testing.T, _, a Database) {
				if a.Password != "secret" {
					t.Errorf("password %q", a.Password)
				}
			}},
		{name: "type change keeps the old type id", body: `{"type":"mysql"}`, status: 200, want: map[string]any{
			"type": "mysql", "databaseTypeId": h.sim.DatabaseTypeID("postgres"), "databaseType.name": "postgres"}},
		{name: "databaseTypeId ignored", body: `{"databaseTypeId":"` + h.sim.DatabaseTypeID("redis") + `"}`, status: 200, want: map[string]any{
			"databaseTypeId": h.sim.DatabaseTypeID("postgres")}},
		{name: "monitoring fields dropped", body: `{"monitoringEnabled":true,"collectionIntervalSec":10}`, status: 200, want: map[string]any{
			"monitoringEnabled": true, "collectionIntervalSec": 300.0}},
		{name: "unknown fields dropped", body: `{"color":"blue","host":"h2"}`, status: 200, want: map[string]any{"host": "h2"}},
		{name: "rename", body: `{"name":"orders-renamed"}`, status: 200, want: map[string]any{"name": "orders-renamed"}},
		{name: "rename onto an existing name is 500", body: `{"name":"taken"}`, status: 500, code: "INTERNAL"},
		{name: "serverId set", body: `{"serverId":"` + serverID + `"}`, status: 200, want: map[string]any{"serverId": serverID}},
		{name: "unknown serverId is 500", body: `{"serverId":"nope"}`, status: 500, code: "INTERNAL"},
		{name: "switch to spaces fills no prefix", body: `{"backupStorageType":"spaces","backupSpacesPrefix":""}`, status: 200, want: map[string]any{
			"backupStorageType": "spaces", "backupSpacesPrefix": ""}},
		{name: "readonly id", body: `{"id":"x"}`, status: 422, code: "READONLY_FIELD", field: "id"},
		{name: "readonly createdAt", body: `{"createdAt":"x"}`, status: 422, code: "READONLY_FIELD", field: "createdAt"},
		{name: "readonly updatedAt", body: `{"updatedAt":"x"}`, status: 422, code: "READONLY_FIELD", field: "updatedAt"},
		{name: "readonly environmentId", body: `{"environmentId":"x"}`, status: 422, code: "READONLY_FIELD", field: "environmentId"},
		{name: "readonly encryptedCredentials", body: `{"encryptedCredentials":"x"}`, status: 422, code: "READONLY_FIELD", field: "encryptedCredentials"},
		{name: "readonly credentialsNonce", body: `{"credentialsNonce":"x"}`, status: 422, code: "READONLY_FIELD", field: "credentialsNonce"},
		{name: "readonly monitoringStatus", body: `{"monitoringStatus":"ok"}`, status: 422, code: "READONLY_FIELD", field: "monitoringStatus"},
		{name: "readonly lastCollectedAt", body: `{"lastCollectedAt":"x"}`, status: 422, code: "READONLY_FIELD", field: "lastCollectedAt"},
		{name: "readonly lastMonitoringError", body: `{"lastMonitoringError":"x"}`, status: 422, code: "READONLY_FIELD", field: "lastMonitoringError"},
		{name: "readonly rejects the whole request", body: `{"host":"changed","id":"x"}`, status: 422, code: "READONLY_FIELD", field: "id",
			want: map[string]any{"host": "pg.example.test"}},
		{name: "readonly wins over validation errors", body: `{"port":"bad","updatedAt":null}`, status: 422, code: "READONLY_FIELD", field: "updatedAt"},
		{name: "first readonly offender in body order", body: `{"lastCollectedAt":1,"id":"x"}`, status: 422, code: "READONLY_FIELD", field: "lastCollectedAt"},
		{name: "malformed JSON is 500", body: `{"host":`, status: 500, code: "INTERNAL"},
		{name: "non-object body", body: `"host"`, status: 400, code: "VALIDATION_ERROR", paths: []string{""}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := h.createDB(strings.Replace(fullDB, `"orders"`, fmt.Sprintf(`"orders-%d"`, i), 1))
			before, _ := h.sim.Database(id)
			res := h.mustCall("PATCH", "/api/databases/"+id, operatorTok, tc.body)
			if tc.status == 200 {
				res.expectOK(t)
			} else {
				res.expectError(t, tc.status, tc.code, "")
				if tc.field != "" && (res.str("field") != tc.field || res.str("hint") == "") {
					t.Errorf("field/hint: %s", res.raw)
				}
				if tc.paths != nil {
					if got := res.detailPaths(); !reflect.DeepEqual(got, tc.paths) {
						t.Errorf("details paths = %q, want %q", got, tc.paths)
					}
				}
			}
			after, _ := h.sim.Database(id)
			if tc.status != 200 && !reflect.DeepEqual(before, after) {
				t.Errorf("failed PATCH changed the record:\n%+v\n%+v", before, after)
			}
			if tc.want != nil {
				get := h.mustCall("GET", "/api/databases/"+id, operatorTok, nil)
				want := map[string]any{}
				for k, v := range tc.want {
					want["database."+k] = v
				}
				get.expectFields(t, want)
				if tc.status == 200 && !reflect.DeepEqual(get.body["database"], res.body["database"]) {
					t.Errorf("PATCH response differs from the next GET")
				}
			}
			if tc.stored != nil {
				tc.stored(t, before, after)
			}
		})
	}
}

func TestPatchDatabaseUnknownIDIs500(t *testing.T) {
	h := newHarness(t)
	res := h.mustCall("PATCH", "/api/databases/cnosuchdb00000000000000000", operatorTok, `{"host":"x"}`)
	res.expectError(t, 500, "INTERNAL", "Internal Server Error")
	// validation still comes first
	res = h.mustCall("PATCH", "/api/databases/cnosuchdb00000000000000000", operatorTok, `{"host":null}`)
	res.expectError(t, 400, "VALIDATION_ERROR", "Invalid input")
}

func TestPatchDatabaseReadonlyMessages(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"ro","type":"postgres"}`)
	res := h.mustCall("PATCH", "/api/databases/"+id, operatorTok, `{"monitoringStatus":"x"}`)
	res.expectError(t, 422, "READONLY_FIELD", `Field "monitoringStatus" is read-only and cannot be set via PATCH.`)
	if res.str("hint") != readonlyHints["monitoringStatus"] {
		t.Errorf("hint = %q", res.str("hint"))
	}
	res = h.mustCall("PATCH", "/api/databases/"+id, operatorTok, `{"id":"x","createdAt":"y"}`)
	res.expectError(t, 422, "READONLY_FIELD", `Fields "id", "createdAt" are read-only and cannot be set via PATCH.`)
	if res.str("hint") != defaultReadonlyHint {
		t.Errorf("hint = %q", res.str("hint"))
	}
}

func TestPatchNullMessage(t *testing.T) {
	h := newHarness(t)
	id := h.createDB(`{"name":"n","type":"postgres"}`)
	res := h.mustCall("PATCH", "/api/databases/"+id, operatorTok, `{"host":null}`)
	if msg := res.str("details", "0", "message"); msg != "Invalid input: expected string, received null" {
		t.Fatalf("message = %q", msg)
	}
}
