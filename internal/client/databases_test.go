package client

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// contractDatabase is the recorded database object (api.FixtureDatabase)
// without its envelope; wantContractDatabase is what it decodes to.
var contractDatabase = string(fixtureField(api.FixtureDatabase, "database"))

// fixtureField is one top-level value of a recorded body.
func fixtureField(name, key string) json.RawMessage {
	var body map[string]json.RawMessage
	if err := json.Unmarshal(api.Fixture(name), &body); err != nil || body[key] == nil {
		panic(fmt.Sprintf("fixture %s has no %s: %v", name, key, err))
	}
	return body[key]
}

func wantContractDatabase() *Database {
	return &Database{
		ID: "cmwxsek9i002x1h7dle0wgldm", Name: "orders-pg", Type: "postgres",
		DatabaseTypeID: ptr("cmwxseijx00251h7dla0e9gu5"),
		DatabaseType:   &DatabaseType{ID: "cmwxseijx00251h7dla0e9gu5", Name: "postgres", DisplayName: "PostgreSQL", HasBackupCommand: true},
		Host:           ptr("pg.example.test"), Port: ptr(int64(5432)), DatabaseName: ptr("orders"),
		HasCredentials: true, FilePath: nil, UseSSL: true, ServerID: nil,
		BackupStorageType: "local", BackupLocalPath: ptr("/var/backups/orders"),
		BackupSpacesBucket: nil, BackupSpacesPrefix: nil,
		BackupFormat: "custom", BackupCompression: "gzip", BackupCompressionLevel: 9,
		PgDumpOptions:   &PgDumpOptions{NoOwner: ptr(true), Clean: ptr(true), IfExists: ptr(true), SchemaOnly: ptr(false), DataOnly: ptr(false)},
		PgDumpTimeoutMs: 600000, MonitoringEnabled: true, CollectionIntervalSec: 300,
		CreatedAt: "2026-11-26T16:48:57.366Z", UpdatedAt: "2026-11-26T16:48:57.366Z",
		EnvironmentID: "cmwxsejuk002c1h7dp19myyf8",
	}
}

func TestGetDatabase_decodesEveryField(t *testing.T) {
	f := newFakeAPI(t, reply(200, string(api.Fixture(api.FixtureDatabase))))
	c, _ := newTestClient(t, f.URL)
	got, err := c.GetDatabase(context.Background(), "cmwxsek9i002x1h7dle0wgldm")
	mustOK(t, err)
	if want := wantContractDatabase(); !reflect.DeepEqual(got, want) {
		t.Errorf("decoded\n got %s\nwant %s", dump(got), dump(want))
	}
	r := f.only(t)
	if r.Method != http.MethodGet || r.Path != "/api/databases/cmwxsek9i002x1h7dle0wgldm" || r.HasBody {
		t.Errorf("request = %s %s body=%q", r.Method, r.Path, r.Body)
	}
}

func TestGetDatabase_keepsEmptyApartFromNull(t *testing.T) {
	body := `{"database":{"id":"d1","host":"","port":0,"databaseName":null,"backupLocalPath":"",
		"databaseTypeId":null,"databaseType":null,"pgDumpOptions":{},"useSsl":false}}`
	f := newFakeAPI(t, reply(200, body))
	c, _ := newTestClient(t, f.URL)
	got, err := c.GetDatabase(context.Background(), "d1")
	mustOK(t, err)
	if got.Host == nil || *got.Host != "" {
		t.Errorf(`host "" must decode to a pointer to "", got %v`, got.Host)
	}
	if got.Port == nil || *got.Port != 0 {
		t.Errorf("port 0 must decode to a pointer to 0, got %v", got.Port)
	}
	if got.DatabaseName != nil || got.DatabaseTypeID != nil || got.DatabaseType != nil || got.FilePath != nil {
		t.Errorf("null and absent fields must decode to nil: %s", dump(got))
	}
	if got.BackupLocalPath == nil || *got.BackupLocalPath != "" {
		t.Errorf(`backupLocalPath "" lost: %v`, got.BackupLocalPath)
	}
	if got.PgDumpOptions == nil || !reflect.DeepEqual(*got.PgDumpOptions, PgDumpOptions{}) {
		t.Errorf("pgDumpOptions {} must decode to an empty, non-nil object, got %v", got.PgDumpOptions)
	}
}

func TestGetDatabase_escapesID(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"database":{"id":"a/b"}}`))
	c, _ := newTestClient(t, f.URL)
	_, err := c.GetDatabase(context.Background(), "a/b c")
	mustOK(t, err)
	if got := f.only(t).Path; got != "/api/databases/a%2Fb%20c" {
		t.Errorf("path = %q", got)
	}
}

func TestCreateDatabase_request(t *testing.T) {
	f := newFakeAPI(t, reply(200, string(api.Fixture(api.FixtureDatabase))))
	c, _ := newTestClient(t, f.URL)
	in := DatabaseInput{
		Name: ptr("orders-pg"), Type: ptr("postgres"), Host: ptr(""), Port: ptr(int64(0)),
		Username: ptr("u"), Password: ptr("p"), UseSSL: ptr(false),
		BackupCompressionLevel: ptr(int64(9)), PgDumpOptions: &PgDumpOptions{},
	}
	got, err := c.CreateDatabase(context.Background(), "env 1", in)
	mustOK(t, err)
	if got.ID != "cmwxsek9i002x1h7dle0wgldm" {
		t.Errorf("id = %q", got.ID)
	}
	r := f.only(t)
	if r.Method != http.MethodPost || r.Path != "/api/environments/env%201/databases" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	want := `{"name":"orders-pg","type":"postgres","host":"","port":0,"username":"u","password":"p",` +
		`"useSsl":false,"backupCompressionLevel":9,"pgDumpOptions":{}}`
	if r.Body != want {
		t.Errorf("body\n got %s\nwant %s", r.Body, want)
	}
	key := r.Header.Get("Idempotency-Key")
	if _, err := hex.DecodeString(key); err != nil || len(key) != 32 {
		t.Errorf("Idempotency-Key = %q, want 32 hex characters", key)
	}
}

func TestCreateDatabase_acceptsAny2xx(t *testing.T) {
	for _, status := range []int{200, 201} {
		f := newFakeAPI(t, reply(status, `{"database":{"id":"d1"}}`))
		c, _ := newTestClient(t, f.URL)
		if _, err := c.CreateDatabase(context.Background(), "e1", DatabaseInput{Name: ptr("n")}); err != nil {
			t.Errorf("status %d: %v", status, err)
		}
	}
}

func TestCreateDatabase_newKeyPerCall(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"database":{"id":"d1"}}`))
	c, _ := newTestClient(t, f.URL)
	in := DatabaseInput{Name: ptr("same"), Type: ptr("postgres")}
	for range 2 {
		_, err := c.CreateDatabase(context.Background(), "e1", in)
		mustOK(t, err)
	}
	reqs := f.requests()
	if reqs[0].Header.Get("Idempotency-Key") == reqs[1].Header.Get("Idempotency-Key") {
		t.Error("two CreateDatabase calls with the same body must use different keys (a replay after delete returns the dead id)")
	}
}

func TestUpdateDatabase_request(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"database":{"id":"d1","name":"renamed"}}`))
	c, _ := newTestClient(t, f.URL)
	got, err := c.UpdateDatabase(context.Background(), "d1", DatabaseInput{
		Name: ptr("renamed"), BackupLocalPath: ptr(""), UseSSL: ptr(false),
		PgDumpOptions: &PgDumpOptions{NoOwner: ptr(false)},
	})
	mustOK(t, err)
	if got.Name != "renamed" {
		t.Errorf("name = %q", got.Name)
	}
	r := f.only(t)
	if r.Method != http.MethodPatch || r.Path != "/api/databases/d1" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	want := `{"name":"renamed","useSsl":false,"backupLocalPath":"","pgDumpOptions":{"noOwner":false}}`
	if r.Body != want {
		t.Errorf("body\n got %s\nwant %s", r.Body, want)
	}
	if r.Header.Get("Idempotency-Key") != "" {
		t.Error("PATCH must not carry an Idempotency-Key (the server ignores it)")
	}
}

func TestDatabaseInput_encoding(t *testing.T) {
	tests := []struct {
		name string
		in   DatabaseInput
		want string
	}{
		{"nothing set sends nothing", DatabaseInput{}, `{}`},
		{"clear pgDumpOptions with {}", DatabaseInput{PgDumpOptions: &PgDumpOptions{}}, `{"pgDumpOptions":{}}`},
		{"clear credentials with both empty", DatabaseInput{Username: ptr(""), Password: ptr("")}, `{"username":"","password":""}`},
		{"false and zero are sent", DatabaseInput{UseSSL: ptr(false), Port: ptr(int64(0)), PgDumpTimeoutMs: ptr(int64(0))},
			`{"port":0,"useSsl":false,"pgDumpTimeoutMs":0}`},
		{"all pgDumpOptions keys", DatabaseInput{PgDumpOptions: &PgDumpOptions{
			NoOwner: ptr(true), Clean: ptr(false), IfExists: ptr(false), SchemaOnly: ptr(false), DataOnly: ptr(true)}},
			`{"pgDumpOptions":{"noOwner":true,"clean":false,"ifExists":false,"schemaOnly":false,"dataOnly":true}}`},
		{"every field", DatabaseInput{
			Name: ptr("n"), Type: ptr("t"), DatabaseTypeID: ptr("dt"), Host: ptr("h"), Port: ptr(int64(1)),
			DatabaseName: ptr("db"), Username: ptr("u"), Password: ptr("p"), FilePath: ptr("/f"), UseSSL: ptr(true),
			ServerID: ptr("s"), BackupStorageType: ptr("spaces"), BackupLocalPath: ptr("/b"), BackupSpacesBucket: ptr("bk"),
			BackupSpacesPrefix: ptr("px/"), BackupFormat: ptr("tar"), BackupCompression: ptr("gzip"),
			BackupCompressionLevel: ptr(int64(3)), PgDumpOptions: &PgDumpOptions{Clean: ptr(true)}, PgDumpTimeoutMs: ptr(int64(30000)),
		}, `{"name":"n","type":"t","databaseTypeId":"dt","host":"h","port":1,"databaseName":"db","username":"u","password":"p",` +
			`"filePath":"/f","useSsl":true,"serverId":"s","backupStorageType":"spaces","backupLocalPath":"/b","backupSpacesBucket":"bk",` +
			`"backupSpacesPrefix":"px/","backupFormat":"tar","backupCompression":"gzip","backupCompressionLevel":3,` +
			`"pgDumpOptions":{"clean":true},"pgDumpTimeoutMs":30000}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.in)
		mustOK(t, err)
		if string(b) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, b, tt.want)
		}
	}
}

func TestDeleteDatabase(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"success":true}`))
	c, _ := newTestClient(t, f.URL)
	mustOK(t, c.DeleteDatabase(context.Background(), "d1"))
	r := f.only(t)
	if r.Method != http.MethodDelete || r.Path != "/api/databases/d1" || r.HasBody {
		t.Errorf("request = %s %s body=%q", r.Method, r.Path, r.Body)
	}
}

func TestDeleteDatabase_notFoundAndBackups(t *testing.T) {
	f := newFakeAPI(t, reply(404, `{"code":"NOT_FOUND","message":"Database not found","requestId":"req-9"}`))
	c, _ := newTestClient(t, f.URL)
	if err := c.DeleteDatabase(context.Background(), "d1"); !IsNotFound(err) {
		t.Errorf("want not found, got %v", err)
	}
	f2 := newFakeAPI(t, reply(400, `{"code":"VALIDATION_ERROR","message":"Cannot delete database with existing backups. Delete backups first.","requestId":"req-a"}`))
	c2, _ := newTestClient(t, f2.URL)
	err := c2.DeleteDatabase(context.Background(), "d1")
	if !IsValidation(err) || !strings.Contains(err.Error(), "existing backups") {
		t.Errorf("want the backups validation error, got %v", err)
	}
}

// TestListDatabases decodes the recorded list page (api.FixtureDatabaseList):
// one item with lastBackup and schedule, one with both null.
func TestListDatabases(t *testing.T) {
	f := newFakeAPI(t, reply(200, string(api.Fixture(api.FixtureDatabaseList))))
	c, _ := newTestClient(t, f.URL)
	page, err := c.ListDatabases(context.Background(), "e1", 2, 4)
	mustOK(t, err)
	r := f.only(t)
	if r.Method != http.MethodGet || r.Path != "/api/environments/e1/databases" || r.Query != "limit=2&offset=4" {
		t.Errorf("request = %s %s?%s", r.Method, r.Path, r.Query)
	}
	if page.Total != 2 || len(page.Databases) != 2 {
		t.Fatalf("page = %+v", page)
	}
	first := page.Databases[0]
	first.LastBackup, first.Schedule = nil, nil
	if want := wantContractDatabase(); !reflect.DeepEqual(&first, want) {
		t.Errorf("a list item decodes like the database it is:\n got %s\nwant %s", dump(first), dump(want))
	}
	wantBackup := &Backup{ID: "cmwyb2q7e00a41h7d3f8kx0pn", Status: "completed", Type: "scheduled", CreatedAt: "2026-11-27T02:00:00.412Z",
		CompletedAt: ptr("2026-11-27T02:00:03.108Z")}
	if !reflect.DeepEqual(page.Databases[0].LastBackup, wantBackup) {
		t.Errorf("lastBackup = %s", dump(page.Databases[0].LastBackup))
	}
	wantSchedule := &ScheduleSummary{Enabled: true, CronExpression: "0 2 * * *", LastRunAt: ptr("2026-11-27T02:00:00.412Z"),
		NextRunAt: ptr("2026-11-28T02:00:00.000Z")}
	if !reflect.DeepEqual(page.Databases[0].Schedule, wantSchedule) {
		t.Errorf("schedule = %s", dump(page.Databases[0].Schedule))
	}
	if page.Databases[1].LastBackup != nil || page.Databases[1].Schedule != nil {
		t.Errorf("null lastBackup/schedule must decode to nil: %s", dump(page.Databases[1]))
	}
}

func TestListDatabases_refusesNegative(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"databases":[],"total":0}`))
	c, _ := newTestClient(t, f.URL)
	if _, err := c.ListDatabases(context.Background(), "e1", -1, 0); err == nil {
		t.Error("negative limit accepted (the platform would return items from the end)")
	}
	if _, err := c.ListDatabases(context.Background(), "e1", 1, -1); err == nil {
		t.Error("negative offset accepted")
	}
	if f.count() != 0 {
		t.Error("request sent")
	}
}

// pagedAPI serves total databases named db-000.., at most limitCap per page
// (0: no cap), and pretends there are lie more than it will ever return.
func pagedAPI(t *testing.T, total, limitCap, lie int) *fakeAPI {
	return newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		if limitCap > 0 {
			limit = min(limit, limitCap)
		}
		items := []map[string]any{}
		for i := offset; i < total && i < offset+limit; i++ {
			items = append(items, map[string]any{"id": fmt.Sprintf("id-%03d", i), "name": fmt.Sprintf("db-%03d", i)})
		}
		writeJSON(w, 200, map[string]any{"databases": items, "total": total + lie})
	})
}

func TestListAllDatabases_pages(t *testing.T) {
	f := pagedAPI(t, 5, 0, 0)
	c, _ := newTestClient(t, f.URL)
	all, err := c.ListAllDatabases(context.Background(), "e1", 2)
	mustOK(t, err)
	if len(all) != 5 || all[0].Name != "db-000" || all[4].Name != "db-004" {
		t.Fatalf("got %d: %s", len(all), dump(all))
	}
	var queries []string
	for _, r := range f.requests() {
		queries = append(queries, r.Query)
	}
	if want := []string{"limit=2&offset=0", "limit=2&offset=2", "limit=2&offset=4"}; !reflect.DeepEqual(queries, want) {
		t.Errorf("queries = %v, want %v", queries, want)
	}
}

func TestListAllDatabases_defaultPageSizeAndEmpty(t *testing.T) {
	f := pagedAPI(t, 0, 0, 0)
	c, _ := newTestClient(t, f.URL)
	all, err := c.ListAllDatabases(context.Background(), "e1", 0)
	mustOK(t, err)
	if all == nil || len(all) != 0 {
		t.Errorf("want an empty, non-nil list, got %#v", all)
	}
	if got := f.only(t).Query; got != "limit=500&offset=0" {
		t.Errorf("query = %q", got)
	}
}

func TestListAllDatabases_serverCapsPageSize(t *testing.T) {
	f := pagedAPI(t, 7, 3, 0)
	c, _ := newTestClient(t, f.URL)
	all, err := c.ListAllDatabases(context.Background(), "e1", 5)
	mustOK(t, err)
	if len(all) != 7 || all[6].ID != "id-006" {
		t.Fatalf("got %s", dump(all))
	}
	if n := f.count(); n != 3 {
		t.Errorf("requests = %d, want 3 (offsets 0, 3, 6)", n)
	}
}

func TestListAllDatabases_shortPageGuard(t *testing.T) {
	f := pagedAPI(t, 3, 0, 10)
	c, _ := newTestClient(t, f.URL)
	all, err := c.ListAllDatabases(context.Background(), "e1", 2)
	if err == nil || !strings.Contains(err.Error(), "announced 13 but returned only 3") {
		t.Fatalf("want a short-list error, got %v (%d items)", err, len(all))
	}
	if n := f.count(); n != 3 {
		t.Errorf("requests = %d, want 3 (two pages and one empty page)", n)
	}
}

func TestListAllDatabases_error(t *testing.T) {
	f := newFakeAPI(t, reply(403, `{"code":"FORBIDDEN_SCOPE","message":"Token is not scoped to this environment"}`))
	c, _ := newTestClient(t, f.URL)
	if _, err := c.ListAllDatabases(context.Background(), "e1", 0); !IsForbidden(err) {
		t.Errorf("want forbidden, got %v", err)
	}
}

func TestBackup_sizeNumberOrString(t *testing.T) {
	for raw, want := range map[string]*int64{`1024`: ptr(int64(1024)), `"2048"`: ptr(int64(2048)), `null`: nil} {
		var b Backup
		if err := json.Unmarshal([]byte(`{"id":"b","filename":"f.sql","size":`+raw+`,"status":"completed"}`), &b); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if !reflect.DeepEqual(b.Size, want) || b.ID != "b" || b.Filename != "f.sql" || b.Status != "completed" {
			t.Errorf("%s: %s", raw, dump(b))
		}
	}
	var b Backup
	if err := json.Unmarshal([]byte(`{"size":"big"}`), &b); err == nil {
		t.Error("non-numeric size accepted")
	}
}

func dump(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
