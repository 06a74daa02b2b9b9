package simulator

import (
	"reflect"
	"testing"
)

// TestDatabaseTypes_list: every built-in type, sorted by name, with the
// settings fields the real server returns.
func TestDatabaseTypes_list(t *testing.T) {
	h := newHarness(t)
	h.createDB(`{"name":"bound","type":"postgres"}`)
	res := h.mustCall("GET", "/api/settings/database-types", viewerTok, nil)
	res.expectOK(t)
	list, _ := res.at("databaseTypes").([]any)
	var names []string
	for _, item := range list {
		names = append(names, item.(map[string]any)["name"].(string))
	}
	if want := []string{"mongodb", "mysql", "postgres", "redis", "sqlite"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("names = %v, want %v (sorted by name)", names, want)
	}
	keys := []string{"id", "name", "displayName", "isCustomized", "source", "connectionFields", "backupCommand",
		"restoreCommand", "defaultPort", "createdAt", "updatedAt", "monitoringConfig", "commands", "_count"}
	for i, item := range list {
		for _, k := range keys {
			if _, ok := item.(map[string]any)[k]; !ok {
				t.Errorf("%s lacks %q", names[i], k)
			}
		}
	}
	res.expectFields(t, map[string]any{
		"databaseTypes.0.name":             "mongodb",
		"databaseTypes.0.monitoringConfig": nil, // mongodb has no monitoring queries
		"databaseTypes.0.defaultPort":      float64(27017),
		"databaseTypes.1.defaultPort":      float64(3306),
		"databaseTypes.2.id":               h.sim.DatabaseTypeID("postgres"),
		"databaseTypes.2.displayName":      "PostgreSQL",
		"databaseTypes.2.source":           "plugin",
		"databaseTypes.2.isCustomized":     false,
		"databaseTypes.2.defaultPort":      float64(5432),
		"databaseTypes.2._count.databases": float64(1),
		"databaseTypes.3.backupCommand":    nil, // redis cannot be backed up
		"databaseTypes.3.defaultPort":      float64(6379),
		"databaseTypes.4.defaultPort":      nil, // sqlite is a file
	})
	if _, isString := res.at("databaseTypes", "2", "monitoringConfig").(string); !isString {
		t.Errorf("monitoringConfig must be a JSON string, got %#v", res.at("databaseTypes", "2", "monitoringConfig"))
	}
}

// TestDatabaseTypes_requiredConnectionFields follows the contract's list.
func TestDatabaseTypes_requiredConnectionFields(t *testing.T) {
	h := newHarness(t)
	want := map[string][]string{
		"postgres": {"host", "port", "databaseName", "username", "password"},
		"mysql":    {"host", "port", "databaseName", "username", "password"},
		"mongodb":  {"host", "port", "databaseName"},
		"redis":    {"host", "port"},
		"sqlite":   {"filePath", "serverId"},
	}
	for name, fields := range want {
		res := h.mustCall("GET", "/api/settings/database-types/"+h.sim.DatabaseTypeID(name), viewerTok, nil)
		res.expectOK(t)
		var got []string
		for _, f := range res.at("databaseType", "connectionFields").([]any) {
			if f.(map[string]any)["required"] == true {
				got = append(got, f.(map[string]any)["name"].(string))
			}
		}
		if !reflect.DeepEqual(got, fields) {
			t.Errorf("%s: required fields %v, want %v", name, got, fields)
		}
		if res.str("databaseType", "name") != name {
			t.Errorf("GET by id answered %q for %q", res.str("databaseType", "name"), name)
		}
	}
}

// TestDatabaseTypes_lookupAndAccess: by id only (a name is a 404 like an
// unknown id); viewers may read; scoped tokens are refused as on every
// global route.
func TestDatabaseTypes_lookupAndAccess(t *testing.T) {
	h := newHarness(t)
	const global = "Token is scoped to specific environments and cannot access global resources"
	byID := "/api/settings/database-types/" + h.sim.DatabaseTypeID("postgres")

	h.mustCall("GET", "/api/settings/database-types/postgres", viewerTok, nil).expectError(t, 404, "NOT_FOUND", "Database type not found")
	h.mustCall("GET", "/api/settings/database-types/cnosuchtype0000000000000", adminTok, nil).expectError(t, 404, "NOT_FOUND", "Database type not found")
	h.mustCall("GET", byID, viewerTok, nil).expectOK(t)
	h.mustCall("GET", "/api/settings/database-types", "", nil).expectError(t, 401, "UNAUTHORIZED", "Unauthorized")
	for _, tok := range []string{scopedTok, scopedViewTok} {
		h.mustCall("GET", "/api/settings/database-types", tok, nil).expectError(t, 403, "FORBIDDEN_SCOPE", global)
		h.mustCall("GET", byID, tok, nil).expectError(t, 403, "FORBIDDEN_SCOPE", global)
	}
	if n := h.sim.Requests()["GET /api/settings/database-types"]; n != 3 {
		t.Errorf("list counted %d times, want 3", n)
	}
}
