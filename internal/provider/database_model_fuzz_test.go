package provider

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// FuzzDatabaseFromAPI feeds whatever the platform might return through the
// conversion into Terraform values and back into a request body. Two
// properties must hold, whatever is missing, null or out of range:
//
//   - the round trip gives back every settable field the platform sent,
//     with "" and null both read as "not set" (what PATCH leaves behind
//     when it clears a string) and a pg_dump_options object with no key
//     read as none;
//   - the conversion is idempotent: a database stored from that body reads
//     back as the same model, so a refresh after an apply shows no diff.
func FuzzDatabaseFromAPI(f *testing.F) {
	for _, seed := range []string{
		`{"id":"c1","name":"orders","type":"postgres","port":5432,"pgDumpOptions":{"noOwner":true,"clean":false},"backupCompressionLevel":9}`,
		`{"id":"c1","pgDumpOptions":{}}`, `{}`, `{"port":-1,"backupSpacesPrefix":"","schedule":null}`,
		`{"databaseType":{"id":"t","name":"x"},"serverId":"","filePath":null}`,
		`{"name":"","type":"","host":"h","databaseName":"d","useSsl":true,"serverId":"s","databaseTypeId":"t","backupStorageType":"spaces",` +
			`"backupSpacesBucket":"b","backupSpacesPrefix":"p/","backupFormat":"tar","backupCompression":"gzip","pgDumpTimeoutMs":0,` +
			`"pgDumpOptions":{"dataOnly":false}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var db client.Database
		if json.Unmarshal(body, &db) != nil {
			return
		}
		m := databaseFromAPI(&db, databaseResourceModel{})
		got := databaseToAPI(m, types.StringNull())
		if want := settableFields(&db); !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip of %s\n got  %s\n want %s", body, mustJSON(got), mustJSON(want))
		}

		// What the platform stores from that request, read again.
		var stored client.Database
		if err := json.Unmarshal(mustJSON(got), &stored); err != nil {
			t.Fatalf("request body %s does not decode as a database: %v", mustJSON(got), err)
		}
		stored.ID, stored.EnvironmentID, stored.CreatedAt, stored.UpdatedAt = db.ID, db.EnvironmentID, db.CreatedAt, db.UpdatedAt
		stored.MonitoringEnabled, stored.CollectionIntervalSec, stored.HasCredentials = db.MonitoringEnabled, db.CollectionIntervalSec, db.HasCredentials
		if again := databaseFromAPI(&stored, databaseResourceModel{}); !reflect.DeepEqual(again, m) {
			t.Fatalf("reading back what was sent changes the model:\n first  %+v\n second %+v", m, again)
		}
	})
}

// settableFields is the request body that carries db's settable fields as
// the provider means to read them, written out field by field so that it
// does not share code with the conversions it checks.
func settableFields(db *client.Database) client.DatabaseInput {
	opt := func(s *string) *string {
		if s == nil || *s == "" {
			return nil
		}
		return s
	}
	in := client.DatabaseInput{
		Name: &db.Name, Type: &db.Type, DatabaseTypeID: opt(db.DatabaseTypeID), Host: opt(db.Host), Port: db.Port,
		DatabaseName: opt(db.DatabaseName), FilePath: opt(db.FilePath), UseSSL: &db.UseSSL, ServerID: opt(db.ServerID),
		BackupStorageType: &db.BackupStorageType, BackupLocalPath: opt(db.BackupLocalPath),
		BackupSpacesBucket: opt(db.BackupSpacesBucket), BackupSpacesPrefix: opt(db.BackupSpacesPrefix),
		BackupFormat: &db.BackupFormat, BackupCompression: &db.BackupCompression,
		BackupCompressionLevel: &db.BackupCompressionLevel, PgDumpTimeoutMs: &db.PgDumpTimeoutMs,
	}
	if o := db.PgDumpOptions; o != nil && (o.NoOwner != nil || o.Clean != nil || o.IfExists != nil || o.SchemaOnly != nil || o.DataOnly != nil) {
		flag := func(b *bool) *bool { v := b != nil && *b; return &v }
		in.PgDumpOptions = &client.PgDumpOptions{
			NoOwner: flag(o.NoOwner), Clean: flag(o.Clean), IfExists: flag(o.IfExists), SchemaOnly: flag(o.SchemaOnly), DataOnly: flag(o.DataOnly),
		}
	}
	return in
}
