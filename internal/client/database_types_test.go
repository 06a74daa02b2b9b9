package client

import (
	"context"
	"net/http"
	"reflect"
	"testing"
)

// contractDatabaseType is a settings entry with every field the contract
// lists, `_count` included (not decoded).
const contractDatabaseType = `{"id":"cdbtypepostgres0000000000","name":"postgres","displayName":"PostgreSQL",
 "isCustomized":false,"source":"plugin",
 "connectionFields":[{"name":"host","label":"Host","type":"text","required":true},
   {"name":"port","label":"Port","type":"number","required":true,"default":5432},{"name":"useSsl","label":"SSL","type":"boolean"}],
 "backupCommand":"pg_dump -f \"{{outputFile}}\"","restoreCommand":null,"defaultPort":5432,
 "createdAt":"c","updatedAt":"u","monitoringConfig":"{\"queries\":[]}",
 "commands":[{"id":"k1","name":"backup","displayName":"Backup","description":"d","command":"pg_dump","sortOrder":0,"databaseTypeId":"cdbtypepostgres0000000000"}],
 "_count":{"databases":3}}`

func wantContractDatabaseType() DatabaseTypeDefinition {
	return DatabaseTypeDefinition{
		ID: "cdbtypepostgres0000000000", Name: "postgres", DisplayName: "PostgreSQL", Source: "plugin",
		ConnectionFields: []ConnectionField{
			{Name: "host", Label: "Host", Type: "text", Required: true},
			{Name: "port", Label: "Port", Type: "number", Required: true, Default: float64(5432)},
			{Name: "useSsl", Label: "SSL", Type: "boolean"},
		},
		BackupCommand: ptr(`pg_dump -f "{{outputFile}}"`), DefaultPort: ptr(int64(5432)),
		CreatedAt: "c", UpdatedAt: "u", MonitoringConfig: ptr(`{"queries":[]}`),
		Commands: []DatabaseTypeCommand{{ID: "k1", Name: "backup", DisplayName: "Backup", Description: "d", Command: "pg_dump",
			DatabaseTypeID: "cdbtypepostgres0000000000"}},
	}
}

func TestListDatabaseTypes_decodesEveryField(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"databaseTypes":[`+contractDatabaseType+`,
		{"id":"r","name":"redis","backupCommand":null,"defaultPort":6379,"monitoringConfig":null,"connectionFields":[],"commands":[]}]}`))
	c, _ := newTestClient(t, f.URL)
	got, err := c.ListDatabaseTypes(context.Background())
	mustOK(t, err)
	want := []DatabaseTypeDefinition{wantContractDatabaseType(),
		{ID: "r", Name: "redis", DefaultPort: ptr(int64(6379)), ConnectionFields: []ConnectionField{}, Commands: []DatabaseTypeCommand{}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded\n got %s\nwant %s", dump(got), dump(want))
	}
	if r := f.only(t); r.Method != http.MethodGet || r.Path != "/api/settings/database-types" || r.HasBody {
		t.Errorf("request = %s %s body=%q", r.Method, r.Path, r.Body)
	}
}

func TestListDatabaseTypes_missingListIsAnError(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{}`))
	c, _ := newTestClient(t, f.URL)
	if _, err := c.ListDatabaseTypes(context.Background()); err == nil {
		t.Fatal("a body without databaseTypes must not read as no types")
	}
}

// A scoped token is refused once, without retries: 403 is final.
func TestListDatabaseTypes_scopedTokenIsForbidden(t *testing.T) {
	f := newFakeAPI(t, reply(403, `{"code":"FORBIDDEN_SCOPE","message":"Token is scoped to specific environments and cannot access global resources","requestId":"req-9"}`))
	c, _ := newTestClient(t, f.URL)
	_, err := c.ListDatabaseTypes(context.Background())
	if apiErr, ok := AsAPIError(err); !IsForbidden(err) || !ok || apiErr.Code != "FORBIDDEN_SCOPE" {
		t.Fatalf("want FORBIDDEN_SCOPE, got %v", err)
	}
	if n := f.count(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestGetDatabaseType(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Path == "/api/settings/database-types/cdbtypepostgres0000000000" {
			writeJSON(w, 200, `{"databaseType":`+contractDatabaseType+`}`)
			return
		}
		writeJSON(w, 404, `{"code":"NOT_FOUND","message":"Database type not found","requestId":"req-4"}`)
	})
	c, _ := newTestClient(t, f.URL)
	got, err := c.GetDatabaseType(context.Background(), "cdbtypepostgres0000000000")
	mustOK(t, err)
	if want := wantContractDatabaseType(); !reflect.DeepEqual(*got, want) {
		t.Errorf("decoded\n got %s\nwant %s", dump(got), dump(want))
	}
	if _, err := c.GetDatabaseType(context.Background(), "postgres"); !IsNotFound(err) {
		t.Errorf("by name: want not found, got %v", err)
	}
	before := f.count()
	if _, err := c.GetDatabaseType(context.Background(), ""); err == nil || f.count() != before {
		t.Errorf("empty id: err %v after %d requests", err, f.count()-before)
	}
}
