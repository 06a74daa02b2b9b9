package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// The schedules of an environment: only the databases that have one, each
// by its database's id and named after it with its cron, filtered by name
// and by enabled; the full state carries retention_days, which only the
// schedule's own route returns.
func TestAccBackupScheduleList_query(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	envName := p.EnvName(platformacc.DefaultEnvironment)
	api := apiClient(t, p)
	nightly := outOfBand(t, api, envID, client.DatabaseInput{Name: ptrTo("nightly"), Type: ptrTo("postgres")})
	paused := outOfBand(t, api, envID, client.DatabaseInput{Name: ptrTo("paused"), Type: ptrTo("mysql")})
	outOfBand(t, api, envID, client.DatabaseInput{Name: ptrTo("unscheduled"), Type: ptrTo("postgres")})
	for db, in := range map[*client.Database]client.ScheduleInput{
		nightly: {CronExpression: "0 2 * * *", RetentionDays: ptrTo(int64(14))},
		paused:  {CronExpression: "*/30 * * * *", Enabled: ptrTo(false)},
	} {
		if _, err := api.PutSchedule(context.Background(), db.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	byDatabase := func(db *client.Database) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"database_id": knownvalue.StringExact(db.ID)})
	}

	queryTest(t, p, resource.TestStep{
		Query: true,
		Config: fmt.Sprintf(`
list "platform_database_backup_schedule" "all" {
  provider         = platform
  include_resource = true
  config {
    environment_id = %[1]q
  }
}

list "platform_database_backup_schedule" "enabled" {
  provider = platform
  config {
    environment_id = %[1]q
    enabled        = true
  }
}

list "platform_database_backup_schedule" "named" {
  provider = platform
  config {
    environment_id = %[1]q
    name_regex     = "^pa"
  }
}
`, envID),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("platform_database_backup_schedule.all", 2),
			querycheck.ExpectIdentity("platform_database_backup_schedule.all", map[string]knownvalue.Check{
				"database_id": knownvalue.StringExact(nightly.ID),
			}),
			querycheck.ExpectResourceDisplayName("platform_database_backup_schedule.all", byDatabase(nightly),
				knownvalue.StringExact(envName+"/nightly (0 2 * * *)")),
			querycheck.ExpectResourceKnownValues("platform_database_backup_schedule.all", byDatabase(nightly),
				[]querycheck.KnownValueCheck{
					{Path: attr("id"), KnownValue: knownvalue.StringExact(nightly.ID)},
					{Path: attr("cron_expression"), KnownValue: knownvalue.StringExact("0 2 * * *")},
					{Path: attr("retention_days"), KnownValue: knownvalue.Int64Exact(14)},
					{Path: attr("enabled"), KnownValue: knownvalue.Bool(true)},
					{Path: attr("next_run_at"), KnownValue: knownvalue.NotNull()},
				}),
			querycheck.ExpectResourceKnownValues("platform_database_backup_schedule.all", byDatabase(paused),
				[]querycheck.KnownValueCheck{
					{Path: attr("retention_days"), KnownValue: knownvalue.Int64Exact(7)},
					{Path: attr("enabled"), KnownValue: knownvalue.Bool(false)},
					{Path: attr("next_run_at"), KnownValue: knownvalue.Null()},
				}),
			querycheck.ExpectLength("platform_database_backup_schedule.enabled", 1),
			querycheck.ExpectIdentity("platform_database_backup_schedule.enabled", map[string]knownvalue.Check{
				"database_id": knownvalue.StringExact(nightly.ID),
			}),
			querycheck.ExpectLength("platform_database_backup_schedule.named", 1),
			querycheck.ExpectIdentity("platform_database_backup_schedule.named", map[string]knownvalue.Check{
				"database_id": knownvalue.StringExact(paused.ID),
			}),
		},
	})
}
