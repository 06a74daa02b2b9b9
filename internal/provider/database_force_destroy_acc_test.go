package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// seedBackupsOf gives the test's only database a scheduled, a pinned
// manual and a failed backup (every kind of row that blocks a delete), plus
// extra scheduled ones; it returns the database's id. A real platform
// cannot be given backups: there it starts as many manual ones of the
// database backupableBody makes, and pins one. On a release without pins
// (2.3.0) the manual one stays unpinned.
func (d *dbTest) seedBackupsOf(extra int) string {
	d.t.Helper()
	db, err := d.stored()
	if err != nil {
		d.t.Fatal(err)
	}
	pin := api.FeaturePins.In(d.p.Release())
	if d.p.Real() {
		for i := range 3 + extra {
			id, err := d.p.State.AddBackup(db.ID)
			if err == nil && i == 1 && pin {
				_, err = apiClient(d.t, d.p).PinBackup(context.Background(), db.ID, id, true)
			}
			if err != nil {
				d.t.Fatal(err)
			}
		}
		return db.ID
	}
	failed := simulator.BackupErrorString(simulator.StepDump, "pg_dump: error: connection refused")
	seeds := []simulator.SeedBackup{{}, {Kind: simulator.BackupManual, Pinned: pin}, {Status: simulator.BackupFailed, Error: &failed}}
	for range extra {
		seeds = append(seeds, simulator.SeedBackup{})
	}
	for _, in := range seeds {
		if _, err := d.p.Sim.SeedBackup(db.ID, in); err != nil {
			d.t.Fatal(err)
		}
	}
	return db.ID
}

// noBackupsLeft is CheckDestroy for databases whose backups force_destroy
// deleted: neither the database nor any of its backups is left.
func (d *dbTest) noBackupsLeft(dbID *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if err := d.checkDestroy(s); err != nil {
			return err
		}
		if n := len(d.p.State.Backups(*dbID)); n != 0 {
			return fmt.Errorf("%d backup(s) of the destroyed database left", n)
		}
		return nil
	}
}

// force_destroy = true: destroy deletes the backups, pinned and failed
// ones included, then the database.
func TestAccDatabaseForceDestroy_deletesBackups(t *testing.T) {
	d := newDBTest(t)
	var dbID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             d.noBackupsLeft(&dbID),
		Steps: []resource.TestStep{
			{
				Config:            d.config(d.backupableBody() + "\n  force_destroy = true"),
				ConfigPlanChecks:  planChecks(plancheck.ResourceActionCreate, planIs("force_destroy", knownvalue.Bool(true))),
				ConfigStateChecks: []statecheck.StateCheck{stateIs("force_destroy", knownvalue.Bool(true))},
				Check: func(*terraform.State) error {
					dbID = d.seedBackupsOf(2)
					return nil
				},
			},
		},
	})
}

// force_destroy = false (the default): the platform's refusal names
// force_destroy, the number of backups and both ways out, and the database
// stays in state. Setting force_destroy changes nothing on the platform
// (an in-place update) and lets the destroy through.
func TestAccDatabaseForceDestroy_refusalSaysWhatToDo(t *testing.T) {
	d := newDBTest(t)
	var dbID string
	d.run(
		resource.TestStep{
			Config:            d.config(d.backupableBody()),
			ConfigStateChecks: []statecheck.StateCheck{stateIs("force_destroy", knownvalue.Bool(false))},
			Check: func(*terraform.State) error {
				dbID = d.seedBackupsOf(1)
				return nil
			},
		},
		importStep(),
		resource.TestStep{
			Config:  d.config(d.backupableBody()),
			Destroy: true,
			ExpectError: errorText("Could not delete database", "Cannot delete database with existing backups",
				"has 4 backup(s)", "set force_destroy = true", "delete the database's backups on the platform"),
		},
		resource.TestStep{
			Config: d.config(d.backupableBody()),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}, // still in state, unchanged
			},
			Check: func(*terraform.State) error {
				return expectEq("backups kept", len(d.p.State.Backups(dbID)), 4)
			},
		},
		resource.TestStep{
			PreConfig: func() {
				if d.p.Sim != nil {
					d.p.Sim.ResetRequests()
				}
			},
			Config:           d.config(d.backupableBody() + "\n  force_destroy = true"),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate, planIs("force_destroy", knownvalue.Bool(true))),
			Check: func(*terraform.State) error {
				if d.p.Sim == nil {
					return nil // request counters: simulator only
				}
				// A Terraform-only setting: the update neither writes nor
				// reads back (refreshes go through the environment's list).
				return expectAll(
					expectEq("PATCH requests", d.p.Sim.Requests()["PATCH /api/databases/{id}"], 0),
					expectEq("GET by id requests", d.p.Sim.Requests()["GET /api/databases/{id}"], 0))
			},
		},
	)
}

// A force destroy cut short after some backups were deleted (here the
// third backup delete fails) converges when run again: it lists what is
// left and carries on.
func TestAccDatabaseForceDestroy_interruptedConverges(t *testing.T) {
	platformacc.RequireSimulator(t, "fault injection: the third backup delete fails")
	d := newDBTest(t)
	var dbID string
	config := d.config(d.backupableBody() + "\n  force_destroy = true")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             d.noBackupsLeft(&dbID),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(*terraform.State) error {
					dbID = d.seedBackupsOf(3)
					d.p.Sim.SetFaults(simulator.Faults{FailRoute: "DELETE /api/backups/{id}", FailAfter: 2, FailTimes: 1})
					return nil
				},
			},
			{
				Config:      config,
				Destroy:     true,
				ExpectError: errorText("Could not delete database", "500", "force_destroy stopped after deleting 2 of 6 backup(s)", "run terraform destroy again"),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					if _, ok := d.p.Sim.Database(dbID); !ok {
						return fmt.Errorf("the database is gone although its destroy failed")
					}
					return expectEq("backups left after the interrupted destroy", len(d.p.Sim.Backups(dbID)), 4)
				},
			},
			// The test's own destroy runs it again; CheckDestroy proves it converged.
		},
	})
}

// Warnings are not visible to resource.Test's plan checks, so the destroy
// plan's count of the backups force_destroy will delete is read from the
// CLI's own output; a database without backups plans its destroy silently.
func TestAccDatabaseForceDestroy_destroyPlanWarns(t *testing.T) {
	t.Parallel()
	platformacc.RequireSimulator(t, "backups added to the database out of band at once (AddBackup)")
	d := newDBTest(t)
	w := newCLIWorkspace(t, inProcess)
	w.writeConfig(d.config(d.backupableBody() + "\n  force_destroy = true"))
	w.mustRun("init", "-input=false")
	w.apply()
	const warning = "Destroying deletes the database's backups"
	if res := w.plan("-destroy"); strings.Contains(res.output(), warning) {
		t.Errorf("destroy plan of a database without backups warns:\n%s", res)
	}
	db, err := d.stored()
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := d.p.Sim.AddBackup(db.ID); err != nil {
			t.Fatal(err)
		}
	}
	want := errorText(warning, fmt.Sprintf(`destroying database %q deletes its 2 backup(s), pinned ones too`, d.name),
		"They cannot be recovered.")
	if res := w.plan("-destroy"); !want.MatchString(res.output()) {
		t.Fatalf("destroy plan does not say how many backups go:\n%s", res)
	}
	w.mustRun("destroy", "-auto-approve", "-input=false")
	if err := d.checkDestroy(nil); err != nil {
		t.Error(err)
	}
}

// The platform's scheduler runs a new enabled schedule at its next tick,
// whatever the cron says, so a database registered with a host nothing
// listens on has a failed backup within a minute. Those rows hold no data:
// a plain destroy (force_destroy unset) deletes them, says so in a
// warning, and destroys the database. A completed backup beside them keeps
// the refusal (TestAccDatabaseForceDestroy_refusalSaysWhatToDo, whose
// failed row is kept too).
func TestAccDatabaseDestroy_onlyFailedBackups(t *testing.T) {
	t.Parallel()
	platformacc.RequireSimulator(t, "the platform's scheduler tick (RunScheduler)")
	d := newDBTest(t)
	d.p.Sim.SetDumpAnyHost(false)
	w := newCLIWorkspace(t, inProcess)
	w.writeConfig(d.config(fmt.Sprintf(`  name          = %q
  type          = "postgres"
  host          = "127.0.0.1"
  port          = 1
  database_name = "app"
  username      = "app"
  password      = "s3cret"
}

resource "platform_database_backup_schedule" "nightly" {
  database_id     = platform_database.test.id
  cron_expression = "0 2 * * *"`, d.name)))
	w.mustRun("init", "-input=false")
	w.apply()
	db, err := d.stored()
	if err != nil {
		t.Fatal(err)
	}
	if started := d.p.Sim.RunScheduler(); len(started) != 1 {
		t.Fatalf("the scheduler's tick started %d backups, want the new schedule's first", len(started))
	}
	deadline := time.Now().Add(30 * time.Second)
	for !allBackupsFailed(d.p.Sim.Backups(db.ID)) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if bs := d.p.Sim.Backups(db.ID); !allBackupsFailed(bs) {
		t.Fatalf("the scheduled backup of an unreachable host did not fail: %+v", bs)
	}
	res := w.mustRun("destroy", "-auto-approve", "-input=false")
	want := errorText(fmt.Sprintf("Deleted 1 failed backup(s) of database %q", d.name), "had failed and held no data",
		"A database with any other backup still needs force_destroy = true")
	if !want.MatchString(res.output()) {
		t.Errorf("the destroy does not say it deleted the failed backup:\n%s", res)
	}
	if err := d.checkDestroy(nil); err != nil {
		t.Error(err)
	}
	if n := len(d.p.Sim.Backups(db.ID)); n != 0 {
		t.Errorf("%d backup row(s) left of the destroyed database", n)
	}
}

func allBackupsFailed(bs []simulator.Backup) bool {
	for _, b := range bs {
		if b.Status != simulator.BackupFailed {
			return false
		}
	}
	return len(bs) > 0
}
