package client

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// sampleDatabaseJSON is the contract's example database object, as GET
// /api/databases/{id} returns it.
const sampleDatabaseJSON = `{"id":"cmwxsek9i002x1h7dle0wgldm","name":"orders-pg","type":"postgres",
 "host":"pg.example.test","port":5432,"databaseName":"orders","hasCredentials":true,
 "filePath":null,"useSsl":true,"serverId":null,
 "databaseTypeId":"cmwxseijx00251h7dla0e9gu5",
 "databaseType":{"id":"cmwxseijx00251h7dla0e9gu5","name":"postgres","displayName":"PostgreSQL","hasBackupCommand":true},
 "backupStorageType":"local","backupLocalPath":"/var/backups/orders",
 "backupSpacesBucket":null,"backupSpacesPrefix":null,
 "backupFormat":"custom","backupCompression":"gzip","backupCompressionLevel":9,
 "pgDumpOptions":{"noOwner":true,"clean":true,"ifExists":true,"schemaOnly":false,"dataOnly":false},
 "pgDumpTimeoutMs":600000,"monitoringEnabled":true,"collectionIntervalSec":300,
 "createdAt":"2026-11-26T16:48:57.366Z","updatedAt":"2026-11-26T16:48:57.366Z",
 "environmentId":"cmwxsejuk002c1h7dp19myyf8","_count":{"backups":0,"services":0}}`

func BenchmarkDecodeDatabase(b *testing.B) {
	body := []byte(`{"database":` + sampleDatabaseJSON + `}`)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var out databaseEnvelope
		if err := json.Unmarshal(body, &out); err != nil || out.Database == nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeDatabasePage500 is the one list request that serves a
// refresh of 500 databases.
func BenchmarkDecodeDatabasePage500(b *testing.B) {
	items := make([]string, 500)
	for i := range items {
		item := strings.Replace(sampleDatabaseJSON, `"orders-pg"`, fmt.Sprintf(`"orders-%03d"`, i), 1)
		items[i] = strings.TrimSuffix(item, "}") + `,"lastBackup":null,"schedule":null}`
	}
	body := []byte(`{"databases":[` + strings.Join(items, ",") + `],"total":500}`)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var out DatabasePage
		if err := json.Unmarshal(body, &out); err != nil || len(out.Databases) != 500 {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeDatabaseInput(b *testing.B) {
	s := func(v string) *string { return &v }
	n := func(v int64) *int64 { return &v }
	yes := true
	in := DatabaseInput{
		Name: s("orders-pg"), Type: s("postgres"), Host: s("pg.example.test"), Port: n(5432),
		DatabaseName: s("orders"), Username: s("u"), Password: s("p"), UseSsl: &yes,
		BackupStorageType: s("local"), BackupLocalPath: s("/var/backups/orders"), BackupFormat: s("custom"),
		BackupCompression: s("gzip"), BackupCompressionLevel: n(9), PgDumpTimeoutMs: n(600000),
		PgDumpOptions: &PgDumpOptions{NoOwner: &yes, Clean: &yes, IfExists: &yes},
	}
	for b.Loop() {
		if _, err := json.Marshal(in); err != nil {
			b.Fatal(err)
		}
	}
}
