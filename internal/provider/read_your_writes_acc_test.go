package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// readYourWritesConfig is one apply that reads the environment's database
// list after a database change (data.platform_databases.before, which the
// provider's batched reader then holds), writes the schedule and takes
// backups, and reads the database again in data sources that depend on
// those writes. The schedule is disabled so that a real platform's
// scheduler takes no backups of its own.
func (d *dbTest) readYourWritesConfig(name, cron string, backups ...string) string {
	var b strings.Builder
	prev := "data.platform_databases.before"
	for _, backup := range backups {
		// Each after the one before, so the last is the newest.
		fmt.Fprintf(&b, `
resource "platform_database_backup" %q {
  database_id = platform_database.test.id
  depends_on  = [%s]
}
`, backup, prev)
		prev = "platform_database_backup." + backup
	}
	return d.config(fmt.Sprintf("name = %q\n  type = \"sqlite\"\n  file_path = \"/dev/null\"\n  force_destroy = true", name)) + `
data "platform_databases" "before" {
  environment_id = platform_database.test.environment_id
  name_regex     = "^${platform_database.test.name}$"
}

resource "platform_database_backup_schedule" "test" {
  database_id     = platform_database.test.id
  cron_expression = "` + cron + `"
  enabled         = false
  depends_on      = [data.platform_databases.before]
}
` + b.String() + `
data "platform_database" "after" {
  id         = platform_database.test.id
  depends_on = [platform_database_backup_schedule.test, ` + prev + `]
}

data "platform_databases" "after" {
  environment_id = platform_database.test.environment_id
  name_regex     = "^${platform_database.test.name}$"
  depends_on     = [platform_database_backup_schedule.test, ` + prev + `]
}

data "platform_database_backups" "after" {
  database_id = platform_database.test.id
  depends_on  = [` + prev + `]
}
`
}

// readYourWritesChecks: the data sources read after the writes show them.
func readYourWritesChecks(name, cron, newest string, backups int) []statecheck.StateCheck {
	const db, list, bs = "data.platform_database.after", "data.platform_databases.after", "data.platform_database_backups.after"
	listed := attr("databases").AtSliceIndex(0)
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(db, attr("name"), knownvalue.StringExact(name)),
		statecheck.ExpectKnownValue(db, attr("schedule").AtMapKey("cron_expression"), knownvalue.StringExact(cron)),
		statecheck.ExpectKnownValue(db, attr("schedule").AtMapKey("enabled"), knownvalue.Bool(false)),
		statecheck.CompareValuePairs(db, attr("last_backup").AtMapKey("id"), "platform_database_backup."+newest, attr("id"),
			compare.ValuesSame()),
		statecheck.ExpectKnownValue(db, attr("last_backup").AtMapKey("status"), knownvalue.StringExact("completed")),
		statecheck.ExpectKnownValue(list, listed.AtMapKey("schedule").AtMapKey("cron_expression"), knownvalue.StringExact(cron)),
		statecheck.CompareValuePairs(list, listed.AtMapKey("last_backup").AtMapKey("id"), "platform_database_backup."+newest,
			attr("id"), compare.ValuesSame()),
		statecheck.ExpectKnownValue(bs, attr("backups"), knownvalue.ListSizeExact(backups)),
	}
}

// A run reads what it wrote: data sources that depend on a schedule change
// and on backups taken in the same apply show them, on the first apply and
// on a second that changes all three, although the same apply had listed
// the environment (and so cached its databases) before the writes.
func TestAccDataSources_seeWritesOfTheSameApply(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	renamed := d.name + "-v2"
	d.run(
		resource.TestStep{
			Config:            d.readYourWritesConfig(d.name, "0 2 * * *", "first"),
			ConfigStateChecks: readYourWritesChecks(d.name, "0 2 * * *", "first", 1),
			ConfigPlanChecks:  emptyPlanAfterApply(),
		},
		resource.TestStep{
			// The rename makes the apply read data.platform_databases.before
			// again, before the new cron and the second backup.
			Config:            d.readYourWritesConfig(renamed, "30 3 * * *", "first", "second"),
			ConfigStateChecks: readYourWritesChecks(renamed, "30 3 * * *", "second", 2),
			ConfigPlanChecks:  emptyPlanAfterApply(),
		},
	)
}
