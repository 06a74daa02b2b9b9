package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// A database's backups: every row, failed ones included, named by file and
// status, with the data source's filters; the full state is the backup
// resource's.
func TestAccBackupList_query(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	p.RequireSimulator(t, "seeded backups")
	p.RequireRelease(t, api.FeaturePins)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	db := outOfBand(t, apiClient(t, p), envID, client.DatabaseInput{Name: ptrTo("orders"), Type: ptrTo("postgres")})
	failure := `{"message":"connection refused","step":"connect"}`
	seed := func(in simulator.SeedBackup) string {
		id, err := p.Sim.SeedBackup(db.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	pinned := seed(simulator.SeedBackup{Kind: simulator.BackupManual, Pinned: true, Filename: "orders-keep.sql"})
	seed(simulator.SeedBackup{Kind: simulator.BackupScheduled})
	failed := seed(simulator.SeedBackup{Kind: simulator.BackupScheduled, Status: client.BackupFailed, Error: &failure,
		Filename: "orders-failed.sql"})
	byID := func(id string) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	}

	queryTest(t, p, resource.TestStep{
		Query: true,
		Config: fmt.Sprintf(`
list "platform_database_backup" "all" {
  provider         = platform
  include_resource = true
  config {
    database_id = %[1]q
  }
}

list "platform_database_backup" "pinned" {
  provider = platform
  config {
    database_id = %[1]q
    pinned      = true
  }
}

list "platform_database_backup" "failed_scheduled" {
  provider = platform
  config {
    database_id = %[1]q
    status      = "failed"
    kind        = "scheduled"
  }
}
`, db.ID),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("platform_database_backup.all", 3),
			querycheck.ExpectResourceDisplayName("platform_database_backup.all", byID(pinned),
				knownvalue.StringExact("orders-keep.sql (completed, pinned)")),
			querycheck.ExpectResourceDisplayName("platform_database_backup.all", byID(failed),
				knownvalue.StringExact("orders-failed.sql (failed)")),
			querycheck.ExpectResourceKnownValues("platform_database_backup.all", byID(pinned), []querycheck.KnownValueCheck{
				{Path: attr("database_id"), KnownValue: knownvalue.StringExact(db.ID)},
				{Path: attr("pinned"), KnownValue: knownvalue.Bool(true)},
				{Path: attr("kind"), KnownValue: knownvalue.StringExact("manual")},
				{Path: attr("status"), KnownValue: knownvalue.StringExact("completed")},
				{Path: attr("filename"), KnownValue: knownvalue.StringExact("orders-keep.sql")},
			}),
			querycheck.ExpectLength("platform_database_backup.pinned", 1),
			querycheck.ExpectIdentity("platform_database_backup.pinned", map[string]knownvalue.Check{"id": knownvalue.StringExact(pinned)}),
			querycheck.ExpectLength("platform_database_backup.failed_scheduled", 1),
			querycheck.ExpectIdentity("platform_database_backup.failed_scheduled",
				map[string]knownvalue.Check{"id": knownvalue.StringExact(failed)}),
		},
	}, resource.TestStep{
		Query: true,
		Config: `
list "platform_database_backup" "gone" {
  provider = platform
  config {
    database_id = "no-such-database"
  }
}
`,
		ExpectError: errorText(`Could not list the backups of database "no-such-database"`, "The database does not exist"),
	})
}
