package provider

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
)

func TestDatabaseFromAPI_nullsAndEmpties(t *testing.T) {
	empty := ""
	db := &client.Database{
		ID: "c1", Name: "n", Type: "postgres", EnvironmentID: "e1",
		Host: &empty, DatabaseName: nil, BackupStorageType: "local", BackupFormat: "plain",
		BackupCompression: "none", BackupCompressionLevel: 6, PgDumpTimeoutMs: 300000,
		PgDumpOptions: &client.PgDumpOptions{},
	}
	prior := databaseResourceModel{Username: types.StringValue("u"), Password: types.StringValue("p"), PasswordWOVersion: fwtypes.WholeNumberValue(3)}
	m := databaseFromAPI(db, prior)

	if !m.Host.IsNull() {
		t.Errorf(`host "" must read as null (PATCH clears with ""), got %s`, m.Host)
	}
	if !m.DatabaseName.IsNull() || !m.Port.IsNull() || !m.DatabaseTypeID.IsNull() {
		t.Errorf("absent fields must be null: %s %s %s", m.DatabaseName, m.Port, m.DatabaseTypeID)
	}
	if m.PgDumpOptions != nil {
		t.Errorf("{} pgDumpOptions must read as no block, got %+v", m.PgDumpOptions)
	}
	if m.Username.ValueString() != "u" || m.Password.ValueString() != "p" || m.PasswordWOVersion.ValueInt64() != 3 {
		t.Errorf("credentials are never returned and must be carried over from prior, got %s %s %s", m.Username, m.Password, m.PasswordWOVersion)
	}
	if !m.PasswordWO.IsNull() {
		t.Errorf("password_wo must never be stored")
	}
}

func TestPgDumpOptionsFromAPI_partialReadsFalse(t *testing.T) {
	yes := true
	got := pgDumpOptionsFromAPI(&client.PgDumpOptions{Clean: &yes})
	if got == nil || !got.Clean.ValueBool() || got.NoOwner.ValueBool() || got.NoOwner.IsNull() {
		t.Fatalf("partial object must read with false for missing keys, got %+v", got)
	}
}

func body(t *testing.T, in client.DatabaseInput) string {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func baseModel() databaseResourceModel {
	return databaseResourceModel{databaseModel: databaseModel{
		Name: types.StringValue("orders"), Type: types.StringValue("postgres"),
		Host: types.StringValue("h"), Port: fwtypes.WholeNumberValue(5432),
		BackupStorageType: types.StringValue("local"), BackupFormat: types.StringValue("plain"),
		BackupCompression: types.StringValue("none"), BackupCompressionLevel: fwtypes.WholeNumberValue(6),
		PgDumpTimeoutMs: fwtypes.WholeNumberValue(300000), UseSSL: types.BoolValue(false),
		HasCredentials: types.BoolValue(false),
	}}
}

func TestDatabaseToAPI_createOmitsNulls(t *testing.T) {
	m := baseModel()
	m.PgDumpOptions = &pgDumpOptionsModel{NoOwner: types.BoolValue(true), Clean: types.BoolValue(false),
		IfExists: types.BoolValue(false), SchemaOnly: types.BoolValue(false), DataOnly: types.BoolValue(false)}
	got := body(t, databaseToAPI(m, types.StringNull()))
	want := `{"name":"orders","type":"postgres","host":"h","port":5432,"useSsl":false,"backupStorageType":"local",` +
		`"backupFormat":"plain","backupCompression":"none","backupCompressionLevel":6,` +
		`"pgDumpOptions":{"noOwner":true,"clean":false,"ifExists":false,"schemaOnly":false,"dataOnly":false},"pgDumpTimeoutMs":300000}`
	if got != want {
		t.Errorf("create body\n got %s\nwant %s", got, want)
	}
}

// A create plans database_type_id as unknown when it is not configured: it
// must be left out, not sent as "".
func TestDatabaseToAPI_unknownTypeIDLeftOut(t *testing.T) {
	m := baseModel()
	m.Type = types.StringValue("cockroach")
	m.DatabaseTypeID = types.StringUnknown()
	if in := databaseToAPI(m, types.StringNull()); in.DatabaseTypeID != nil {
		t.Errorf("databaseTypeId sent as %q for an unknown value", *in.DatabaseTypeID)
	}
	m.DatabaseTypeID = types.StringValue("ctype")
	if in := databaseToAPI(m, types.StringNull()); in.DatabaseTypeID == nil || *in.DatabaseTypeID != "ctype" {
		t.Errorf("a configured databaseTypeId was not sent: %v", in.DatabaseTypeID)
	}
}

func TestDatabaseUpdateInput(t *testing.T) {
	opts := &pgDumpOptionsModel{NoOwner: types.BoolValue(true), Clean: types.BoolValue(false),
		IfExists: types.BoolValue(false), SchemaOnly: types.BoolValue(false), DataOnly: types.BoolValue(false)}
	cases := []struct {
		name  string
		edit  func(plan, state *databaseResourceModel)
		creds bool
		want  string
	}{
		{"nothing changed", func(p, s *databaseResourceModel) {}, false, `{}`},
		{"rename only", func(p, s *databaseResourceModel) { p.Name = types.StringValue("new") }, false, `{"name":"new"}`},
		{"removed string is cleared with empty string", func(p, s *databaseResourceModel) { p.Host = types.StringNull() }, false, `{"host":""}`},
		{"removed port is not sent", func(p, s *databaseResourceModel) { p.Port = fwtypes.WholeNumberNull() }, false, `{}`},
		{"removed server is not sent", func(p, s *databaseResourceModel) { s.ServerID = types.StringValue("srv") }, false, `{}`},
		{"new server", func(p, s *databaseResourceModel) { p.ServerID = types.StringValue("srv2") }, false, `{"serverId":"srv2"}`},
		{"new port", func(p, s *databaseResourceModel) { p.Port = fwtypes.WholeNumberValue(1) }, false, `{"port":1}`},
		{"pg_dump_options added: all five keys", func(p, s *databaseResourceModel) { p.PgDumpOptions = opts }, false,
			`{"pgDumpOptions":{"noOwner":true,"clean":false,"ifExists":false,"schemaOnly":false,"dataOnly":false}}`},
		{"pg_dump_options removed: {}", func(p, s *databaseResourceModel) { s.PgDumpOptions = opts }, false, `{"pgDumpOptions":{}}`},
		{"credentials set: both", func(p, s *databaseResourceModel) {
			p.Username, p.Password = types.StringValue("u"), types.StringValue("pw")
		}, true, `{"username":"u","password":"pw"}`},
		{"credentials removed: both emptied", func(p, s *databaseResourceModel) {
			s.Username, s.Password = types.StringValue("u"), types.StringValue("pw")
		}, true, `{"username":"","password":""}`},
		{"level back to default", func(p, s *databaseResourceModel) { s.BackupCompressionLevel = fwtypes.WholeNumberValue(9) }, false,
			`{"backupCompressionLevel":6}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan, state := baseModel(), baseModel()
			tc.edit(&plan, &state)
			if got := credentialsChanged(plan, state); got != tc.creds {
				t.Errorf("credentialsChanged = %t, want %t", got, tc.creds)
			}
			got := body(t, databaseUpdateInput(plan, state, plan.Password, tc.creds))
			if got != tc.want {
				t.Errorf("PATCH body\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}
