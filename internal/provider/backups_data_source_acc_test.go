package provider_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// The data source lists every backup newest first, failed ones with their
// decoded reason, and filters by status, kind and pinned, in one list
// request per data source and no request per backup.
func TestAccBackupsDataSource_filters(t *testing.T) {
	platformacc.RequireSimulator(t, "backups of chosen dates, sizes, kinds, statuses and errors (SeedBackup), request counters")
	bt := newBackupTest(t)
	bt.p.RequireRelease(t, api.FeaturePins)
	day := time.Date(2026, 8, 24, 2, 0, 0, 0, time.UTC)
	seed := func(in simulator.SeedBackup) string {
		id, err := bt.p.Sim.SeedBackup(bt.dbID, in)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	failedErr := simulator.BackupErrorString(simulator.StepConnect, "connect ECONNREFUSED 127.0.0.1:5432")
	scheduled := seed(simulator.SeedBackup{CreatedAt: day, Size: 4000})
	pinned := seed(simulator.SeedBackup{CreatedAt: day.Add(time.Hour), Kind: simulator.BackupManual, Pinned: true, Size: 5000})
	failed := seed(simulator.SeedBackup{CreatedAt: day.Add(2 * time.Hour), Status: simulator.BackupFailed, Error: &failedErr})
	older := seed(simulator.SeedBackup{CreatedAt: day.Add(-24 * time.Hour), Size: 3000})

	config := bt.p.Config(fmt.Sprintf(`
data "platform_database_backups" "all" {
  database_id = %[1]q
}
data "platform_database_backups" "failed" {
  database_id = %[1]q
  status      = "failed"
}
data "platform_database_backups" "scheduled_completed" {
  database_id = %[1]q
  kind        = "scheduled"
  status      = "completed"
}
data "platform_database_backups" "pinned" {
  database_id = %[1]q
  pinned      = true
}
data "platform_database_backups" "unpinned_manual" {
  database_id = %[1]q
  pinned      = false
  kind        = "manual"
}
`, bt.dbID))
	ids := func(addr string, want ...string) statecheck.StateCheck {
		checks := make([]knownvalue.Check, len(want))
		for i, id := range want {
			checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
		}
		return statecheck.ExpectKnownValue(addr, attr("backups"), knownvalue.ListExact(checks))
	}
	entry := func(addr string, i int, name string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(addr, tfjsonpath.New("backups").AtSliceIndex(i).AtMapKey(name), v)
	}
	const all = "data.platform_database_backups.all"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: bt.p.Sim.ResetRequests,
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					ids(all, failed, pinned, scheduled, older),
					ids("data.platform_database_backups.failed", failed),
					ids("data.platform_database_backups.scheduled_completed", scheduled, older),
					ids("data.platform_database_backups.pinned", pinned),
					ids("data.platform_database_backups.unpinned_manual"),
					statecheck.ExpectKnownValue(all, attr("id"), knownvalue.StringExact(bt.dbID)),
					entry(all, 0, "status", knownvalue.StringExact("failed")),
					entry(all, 0, "error_message", knownvalue.StringExact("connect ECONNREFUSED 127.0.0.1:5432")),
					entry(all, 0, "error_step", knownvalue.StringExact("connect")),
					entry(all, 0, "size", knownvalue.Int64Exact(0)),
					entry(all, 1, "kind", knownvalue.StringExact("manual")),
					entry(all, 1, "pinned", knownvalue.Bool(true)),
					entry(all, 1, "error_message", knownvalue.Null()),
					entry(all, 1, "error_step", knownvalue.Null()),
					entry(all, 2, "kind", knownvalue.StringExact("scheduled")),
					entry(all, 2, "size", knownvalue.Int64Exact(4000)),
					entry(all, 2, "created_at", knownvalue.StringExact("2026-08-24T02:00:00.000Z")),
					entry(all, 2, "completed_at", knownvalue.StringExact("2026-08-24T02:00:01.000Z")),
					entry(all, 2, "duration_seconds", knownvalue.Int64Exact(1)),
					entry(all, 2, "storage_type", knownvalue.StringExact("local")),
					entry(all, 2, "storage_path", knownvalue.StringRegexp(regexp.MustCompile(`^/var/backups/.+\.sql$`))),
					entry(all, 2, "last_rotation_error", knownvalue.Null()),
				},
				Check: func(*terraform.State) error {
					reqs := bt.p.Sim.Requests()
					if n := reqs["GET /api/backups/{id}"]; n != 0 {
						return fmt.Errorf("%d per-backup reads; the list must be enough", n)
					}
					if n := reqs["GET /api/databases/{id}/backups"]; n == 0 {
						return fmt.Errorf("the backups were never listed")
					}
					return nil
				},
			},
		},
	})
}

// A status the platform does not have fails at plan time, naming the
// attribute; a database that does not exist is an error saying what to
// check.
func TestAccBackupsDataSource_errors(t *testing.T) {
	t.Parallel()
	bt := newBackupTest(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: bt.p.Config(fmt.Sprintf(`
data "platform_database_backups" "bad" {
  database_id = %q
  status      = "running"
}`, bt.dbID)),
				ExpectError: regexp.MustCompile(`(?s)status.*value must be one of`),
			},
			{
				Config: bt.p.Config(`
data "platform_database_backups" "gone" {
  database_id = "no-such-database"
}`),
				ExpectError: errorText("Could not list the backups of database", "Database not found", "check database_id"),
			},
		},
	})
}
