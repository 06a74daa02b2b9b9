package provider

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

type fakeTypeLister struct {
	mu    sync.Mutex
	calls int
	types []client.DatabaseTypeDefinition
	err   error
}

func (f *fakeTypeLister) ListDatabaseTypes(context.Context) ([]client.DatabaseTypeDefinition, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return f.types, f.err
}

func platformTypes(names ...string) []client.DatabaseTypeDefinition {
	out := make([]client.DatabaseTypeDefinition, len(names))
	for i, n := range names {
		out[i] = client.DatabaseTypeDefinition{ID: "cdbtype" + n, Name: n}
	}
	return out
}

var builtinTypeList = platformTypes("mongodb", "mysql", "postgres", "redis", "sqlite")

var allEnvironments = &client.Me{Role: "operator", AllEnvironments: true}

// Many resources planned at once share one read (run with -race).
func TestDatabaseTypeCatalog_readsOnceUnderConcurrency(t *testing.T) {
	api := &fakeTypeLister{types: builtinTypeList}
	var c databaseTypeCatalog
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got, ok := c.load(context.Background(), api, allEnvironments); !ok || len(got) != 5 {
				t.Errorf("load = %d types, %t", len(got), ok)
			}
		}()
	}
	wg.Wait()
	if api.calls != 1 {
		t.Errorf("%d reads, want 1", api.calls)
	}
}

// A refused or failed read skips the check, and is not repeated.
func TestDatabaseTypeCatalog_failuresSkipTheCheckOnce(t *testing.T) {
	for name, err := range map[string]error{
		"scoped token": &client.APIError{Status: 403, Code: "FORBIDDEN_SCOPE", Message: "Token is scoped to specific environments and cannot access global resources"},
		"server error": &client.APIError{Status: 500, Code: "INTERNAL", Message: "Internal Server Error"},
		"network":      errors.New("connection refused"),
	} {
		t.Run(name, func(t *testing.T) {
			api := &fakeTypeLister{err: err}
			var c databaseTypeCatalog
			for range 3 {
				if _, ok := c.load(context.Background(), api, allEnvironments); ok {
					t.Fatal("a failed read must skip the check")
				}
			}
			if api.calls != 1 {
				t.Errorf("%d reads, want 1", api.calls)
			}
		})
	}
}

// An environment-scoped token is known to be refused: no request at all.
func TestDatabaseTypeCatalog_scopedTokenNotAsked(t *testing.T) {
	api := &fakeTypeLister{types: builtinTypeList}
	var c databaseTypeCatalog
	scoped := &client.Me{Role: "operator", EnvironmentIDs: []string{"e1"}}
	if _, ok := c.load(context.Background(), api, scoped); ok || api.calls != 0 {
		t.Errorf("scoped token: check ran (%t) after %d reads; want skipped without a request", ok, api.calls)
	}
}

func TestTypeBeingSet(t *testing.T) {
	pg, id := types.StringValue("postgres"), types.StringValue("cdbtypepostgres")
	model := func(typ, typeID types.String) *databaseResourceModel {
		return &databaseResourceModel{databaseModel: databaseModel{Type: typ, DatabaseTypeID: typeID}}
	}
	cases := []struct {
		name  string
		cfg   *databaseResourceModel
		state *databaseResourceModel
		want  bool
	}{
		{"create", model(pg, types.StringNull()), nil, true},
		{"create with an id", model(pg, id), nil, true},
		{"refresh, nothing changes", model(pg, types.StringNull()), model(pg, id), false},
		{"same explicit id", model(pg, id), model(pg, id), false},
		{"type change", model(types.StringValue("mysql"), types.StringNull()), model(pg, id), true},
		{"id change", model(pg, types.StringValue("cother")), model(pg, id), true},
		{"unknown type", model(types.StringUnknown(), types.StringNull()), nil, false},
		{"unknown id", model(pg, types.StringUnknown()), nil, false},
	}
	for _, tc := range cases {
		if got := typeBeingSet(*tc.cfg, tc.state); got != tc.want {
			t.Errorf("%s: typeBeingSet = %t, want %t", tc.name, got, tc.want)
		}
	}
}

func TestJudgeDatabaseType(t *testing.T) {
	withCustom := append(platformTypes("clickhouse"), builtinTypeList...)
	cases := []struct {
		name     string
		types    []client.DatabaseTypeDefinition
		typ, id  string
		path     string   // "" = accepted
		contains []string // parts of the detail
	}{
		{name: "built-in", types: builtinTypeList, typ: "postgres"},
		{name: "custom type an admin added", types: withCustom, typ: "clickhouse"},
		{name: "typo", types: builtinTypeList, typ: "postgress", path: "type",
			contains: []string{`type "postgress"`, `Did you mean "postgres"?`, "mongodb, mysql, postgres, redis, sqlite", "never back it up"}},
		{name: "long form", types: builtinTypeList, typ: "postgresql", path: "type", contains: []string{`Did you mean "postgres"?`}},
		{name: "wrong case", types: builtinTypeList, typ: "MySQL", path: "type", contains: []string{`Did you mean "mysql"?`}},
		{name: "nothing close", types: builtinTypeList, typ: "oracle", path: "type", contains: []string{`type "oracle"`}},
		{name: "custom type not added yet", types: builtinTypeList, typ: "clickhouse", path: "type"},
		{name: "explicit id wins over the name", types: builtinTypeList, typ: "pg", id: "cdbtypepostgres"},
		{name: "unknown explicit id", types: builtinTypeList, typ: "postgres", id: "cnosuch", path: "database_type_id",
			contains: []string{`database_type_id "cnosuch"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := databaseResourceModel{databaseModel: databaseModel{Type: types.StringValue(tc.typ), DatabaseTypeID: types.StringNull()}}
			if tc.id != "" {
				cfg.DatabaseTypeID = types.StringValue(tc.id)
			}
			diags := judgeDatabaseType(tc.types, cfg)
			if tc.path == "" {
				if len(diags) != 0 {
					t.Fatalf("want no diagnostics, got %v", diags)
				}
				return
			}
			if len(diags) != 1 || diags[0].Severity() != diag.SeverityError {
				t.Fatalf("want one error, got %v", diags)
			}
			if wp, ok := diags[0].(diag.DiagnosticWithPath); !ok || wp.Path().String() != tc.path {
				t.Errorf("diagnostic not at %s: %v", tc.path, diags[0])
			}
			for _, part := range tc.contains {
				if !strings.Contains(diags[0].Detail(), part) {
					t.Errorf("detail %q lacks %q", diags[0].Detail(), part)
				}
			}
			if strings.Contains(diags[0].Detail(), "Did you mean") && tc.name == "nothing close" {
				t.Errorf("suggested a name for %q: %s", tc.typ, diags[0].Detail())
			}
		})
	}
}

func TestClosestName(t *testing.T) {
	names := []string{"mongodb", "mysql", "postgres", "redis", "sqlite"}
	for typ, want := range map[string]string{
		"postgress": "postgres", "postgre": "postgres", "mongo": "mongodb", "sqlite3": "sqlite",
		"mysq": "mysql", "REDIS": "redis", "oracle": "", "pg": "", "": "",
	} {
		if got := closestName(typ, names); got != want {
			t.Errorf("closestName(%q) = %q, want %q", typ, got, want)
		}
	}
	if got := closestName("postgres", nil); got != "" {
		t.Errorf("no names: %q", got)
	}
	if d := editDistance("kitten", "sitting"); d != 3 {
		t.Errorf("editDistance(kitten, sitting) = %d", d)
	}
}
