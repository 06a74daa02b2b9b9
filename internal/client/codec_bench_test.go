package client

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func BenchmarkDecodeDatabase(b *testing.B) {
	body := []byte(`{"database":` + contractDatabase + `}`)
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
		item := strings.Replace(contractDatabase, `"orders-pg"`, fmt.Sprintf(`"orders-%03d"`, i), 1)
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
		DatabaseName: s("orders"), Username: s("u"), Password: s("p"), UseSSL: &yes,
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
