package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
)

func benchDatabase() *client.Database {
	s := func(v string) *string { return &v }
	n := func(v int64) *int64 { return &v }
	yes, no := true, false
	return &client.Database{
		ID: "cmwxsek9i002x1h7dle0wgldm", Name: "orders-pg", Type: "postgres", EnvironmentID: "cmwxsejuk002c1h7dp19myyf8",
		Host: s("pg.example.test"), Port: n(5432), DatabaseName: s("orders"), HasCredentials: true, UseSSL: true,
		DatabaseTypeID: s("cmwxseijx00251h7dla0e9gu5"), BackupStorageType: "local", BackupLocalPath: s("/var/backups/orders"),
		BackupFormat: "custom", BackupCompression: "gzip", BackupCompressionLevel: 9, PgDumpTimeoutMs: 600000,
		PgDumpOptions: &client.PgDumpOptions{NoOwner: &yes, Clean: &yes, IfExists: &yes, SchemaOnly: &no, DataOnly: &no},
		CreatedAt:     "2026-11-26T16:48:57.366Z", UpdatedAt: "2026-11-26T16:48:57.366Z",
	}
}

func BenchmarkDatabaseFromAPI(b *testing.B) {
	db := benchDatabase()
	prior := databaseResourceModel{Username: types.StringValue("u"), Password: types.StringValue("p")}
	for b.Loop() {
		_ = databaseFromAPI(db, prior)
	}
}

func BenchmarkDatabaseToAPI(b *testing.B) {
	m := databaseFromAPI(benchDatabase(), databaseResourceModel{Username: types.StringValue("u")})
	password := types.StringValue("p")
	for b.Loop() {
		_ = databaseToAPI(m, password)
	}
}

func BenchmarkDatabaseUpdateInput(b *testing.B) {
	state := databaseFromAPI(benchDatabase(), databaseResourceModel{})
	plan := state
	plan.Port = fwtypes.WholeNumberValue(6543)
	for b.Loop() {
		_ = databaseUpdateInput(plan, state, types.StringNull(), false)
	}
}
