package provider_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

const backupAddr = "platform_database_backup.test"

// backupTest is a database made outside Terraform, with what pg_dump
// needs (so the platform completes its backups), whose backups the test
// takes through Terraform.
type backupTest struct {
	t    *testing.T
	p    *platformacc.Platform
	dbID string
}

func newBackupTest(t *testing.T) *backupTest {
	t.Helper()
	p := platformacc.NewPlatform(t)
	in := client.DatabaseInput{
		Name: ptrTo(acctest.RandomWithPrefix("tf-acc-backup")), Type: ptrTo("postgres"),
		DatabaseName: ptrTo("app"), Username: ptrTo("app"), Password: ptrTo("s3cret"),
	}
	if p.Real() {
		// A real platform runs the dump of a database without a server on
		// its own host, where no postgres answers (the dump fails). A sqlite
		// database completes there: /dev/null opens as an empty database
		// (a missing file would be created, one in a missing directory
		// fails), and its dump is written to /var/backups on that host.
		in = client.DatabaseInput{Name: in.Name, Type: ptrTo("sqlite"), FilePath: ptrTo("/dev/null")}
	}
	db := outOfBand(t, apiClient(t, p), p.EnvID(t, platformacc.DefaultEnvironment), in)
	return &backupTest{t: t, p: p, dbID: db.ID}
}

// completesAfter makes the simulator take d to complete the database's
// backups; a real platform takes what it takes.
func (bt *backupTest) completesAfter(d time.Duration) {
	if bt.p.Sim != nil {
		bt.p.Sim.SetBackupOutcome(bt.dbID, simulator.CompletedAfter(d))
	}
}

func (bt *backupTest) config(body string) string {
	return bt.p.Config(fmt.Sprintf(`
resource "platform_database_backup" "test" {
  database_id = %q
%s
}
`, bt.dbID, body))
}

// checkDestroy: destroying the resource deleted the backup.
func (bt *backupTest) checkDestroy(*terraform.State) error {
	if n := len(bt.p.State.Backups(bt.dbID)); n != 0 {
		return fmt.Errorf("%d backup(s) left on the platform after destroy", n)
	}
	return nil
}

func (bt *backupTest) run(steps ...resource.TestStep) {
	bt.t.Helper()
	resource.Test(bt.t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             bt.checkDestroy,
		Steps:                    steps,
	})
}

// storedBackup asserts the platform holds exactly one backup, the one in
// state, and checks it.
func (bt *backupTest) storedBackup(check func(simulator.Backup) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		bs := bt.p.State.Backups(bt.dbID)
		if len(bs) != 1 {
			return fmt.Errorf("platform holds %d backups, want 1", len(bs))
		}
		if id := s.RootModule().Resources[backupAddr].Primary.ID; bs[0].ID != id {
			return fmt.Errorf("platform's backup %s is not the one in state (%s)", bs[0].ID, id)
		}
		return check(bs[0])
	}
}

func backupIs(name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(backupAddr, attr(name), v)
}

// A user's day with a manual backup: taken and waited for, pinned in
// place, imported both ways, deleted outside Terraform (taken again), then
// destroyed.
func TestAccBackup_lifecycle(t *testing.T) {
	bt := newBackupTest(t)
	bt.p.RequireRelease(t, api.FeaturePins)
	bt.completesAfter(1500 * time.Millisecond)
	var duration knownvalue.Check = knownvalue.Int64Exact(1)
	if bt.p.Real() {
		// The platform's dump of the test's sqlite file takes well under a second.
		duration = knownvalue.Int64Func(func(v int64) error {
			if v < 0 {
				return fmt.Errorf("negative duration %d", v)
			}
			return nil
		})
	}
	firstID := statecheck.CompareValue(compare.ValuesSame())
	bt.run(
		resource.TestStep{
			Config:           bt.config(""),
			ConfigPlanChecks: planChecksFor(backupAddr, plancheck.ResourceActionCreate),
			ConfigStateChecks: []statecheck.StateCheck{
				backupIs("status", knownvalue.StringExact("completed")),
				backupIs("kind", knownvalue.StringExact("manual")),
				backupIs("pinned", knownvalue.Bool(false)),
				backupIs("database_id", knownvalue.StringExact(bt.dbID)),
				backupIs("storage_type", knownvalue.StringExact("local")),
				backupIs("storage_path", knownvalue.StringRegexp(regexp.MustCompile(`^/var/backups/tf-acc-backup-.*\.sql$`))),
				backupIs("size", knownvalue.Int64Func(positive)),
				backupIs("duration_seconds", duration),
				backupIs("completed_at", createdAtFormat),
				backupIs("last_rotation_error", knownvalue.Null()),
				firstID.AddStateValue(backupAddr, attr("id")),
			},
			Check: bt.storedBackup(func(b simulator.Backup) error {
				return expectAll(expectEq("status", b.Status, "completed"), expectEq("pinned", b.IsPinned, false))
			}),
		},
		resource.TestStep{
			Config:            bt.config("pinned = true"),
			ConfigPlanChecks:  planChecksFor(backupAddr, plancheck.ResourceActionUpdate),
			ConfigStateChecks: []statecheck.StateCheck{backupIs("pinned", knownvalue.Bool(true)), firstID.AddStateValue(backupAddr, attr("id"))},
			Check:             bt.storedBackup(func(b simulator.Backup) error { return expectEq("pinned", b.IsPinned, true) }),
		},
		resource.TestStep{
			ResourceName: backupAddr, ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"timeouts"},
		},
		resource.TestStep{
			ResourceName: backupAddr, ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"timeouts"},
			ImportStateIdFunc: func(s *terraform.State) (string, error) {
				return bt.dbID + "/" + s.RootModule().Resources[backupAddr].Primary.ID, nil
			},
		},
		resource.TestStep{
			ResourceName: backupAddr, ImportState: true,
			ImportStateIdFunc: func(s *terraform.State) (string, error) {
				return "some-other-db/" + s.RootModule().Resources[backupAddr].Primary.ID, nil
			},
			ExpectError: errorText("Backup belongs to another database"),
		},
		resource.TestStep{
			// Rotated or deleted in the UI: the refresh drops it, the plan takes a new one.
			PreConfig: func() {
				for _, b := range bt.p.State.Backups(bt.dbID) {
					if err := bt.p.State.DeleteBackup(bt.dbID, b.ID); err != nil {
						t.Fatal(err)
					}
				}
			},
			Config:           bt.config("pinned = true"),
			ConfigPlanChecks: planChecksFor(backupAddr, plancheck.ResourceActionCreate),
			Check: bt.storedBackup(func(b simulator.Backup) error {
				return expectAll(expectEq("status", b.Status, "completed"), expectEq("pinned", b.IsPinned, true))
			}),
		},
	)
}

func positive(v int64) error {
	if v <= 0 {
		return fmt.Errorf("%d is not positive", v)
	}
	return nil
}

// A backup the platform fails is an error with its reason and step, and
// leaves nothing behind: no state (removing it from configuration plans
// nothing) and no failed row (which would block the database's destroy).
func TestAccBackup_failureLeavesNothing(t *testing.T) {
	platformacc.RequireSimulator(t, "a backup failure chosen by the test (SetBackupOutcome: upload step, exit code, stderr), request counters")
	bt := newBackupTest(t)
	bt.p.RequireRelease(t, api.FeaturePins)
	exit := 1
	bt.p.Sim.SetBackupOutcome(bt.dbID, simulator.BackupOutcome{FailStep: simulator.StepUpload,
		Message: "Access Denied", Stderr: "upload: s3 PutObject: AccessDenied", ExitCode: &exit})
	bt.run(
		resource.TestStep{
			Config: bt.config("pinned = true"),
			ExpectError: errorText(`Could not back up database`, `failed at step "upload": Access Denied`, "Exit code: 1",
				"AccessDenied", "The failed backup was deleted from the platform"),
		},
		resource.TestStep{
			PreConfig: func() {
				if n := len(bt.p.Sim.Backups(bt.dbID)); n != 0 {
					t.Fatalf("the failed backup's row is still on the platform (%d rows)", n)
				}
				if n := bt.p.Sim.Requests()["POST /api/databases/{id}/backups"]; n != 1 {
					t.Fatalf("%d backups started, want 1", n)
				}
			},
			Config: bt.p.Config(`# the backup resource removed`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		},
	)
}

// A database the platform cannot back up by default (no credentials for
// pg_dump) fails at the dump step, with pg_dump's own words.
func TestAccBackup_platformsOwnFailure(t *testing.T) {
	p := platformacc.NewPlatform(t)
	db := outOfBand(t, apiClient(t, p), p.EnvID(t, platformacc.DefaultEnvironment),
		client.DatabaseInput{Name: ptrTo(acctest.RandomWithPrefix("tf-acc-nocreds")), Type: ptrTo("postgres")})
	bt := &backupTest{t: t, p: p, dbID: db.ID}
	bt.run(
		resource.TestStep{
			Config:      bt.config(""),
			ExpectError: errorText(`failed at step "dump": pg_dump: error: too many command-line arguments`),
		},
		resource.TestStep{
			// Nothing is left behind: no failed row (which would block the
			// database's delete) and no state.
			PreConfig: func() {
				if n := len(p.State.Backups(db.ID)); n != 0 {
					t.Fatalf("the failed backup's row is still on the platform (%d rows)", n)
				}
			},
			Config: p.Config(`# the backup resource removed`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		},
	)
}

// Terraform 1.12+ imports a backup by its identity.
func TestAccBackup_importByIdentity(t *testing.T) {
	bt := newBackupTest(t)
	bt.completesAfter(200 * time.Millisecond)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		CheckDestroy:             bt.checkDestroy,
		Steps: []resource.TestStep{
			{
				Config: bt.config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(backupAddr, map[string]knownvalue.Check{"id": knownvalue.NotNull()}),
				},
			},
			{
				Config:          bt.config(""),
				ResourceName:    backupAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// The platform started the backup but the answer to the create was lost
// (the connection dropped after the platform acted): the retry carries the
// same Idempotency-Key, so the platform replays the first backup's id and
// starts no second one.
func TestAccBackup_lostAnswerReplayed(t *testing.T) {
	platformacc.RequireSimulator(t, "fault injection: the create's answer lost after the platform acted")
	bt := newBackupTest(t)
	bt.completesAfter(200 * time.Millisecond)
	bt.run(
		resource.TestStep{
			PreConfig: func() {
				bt.p.Sim.ResetRequests()
				bt.p.Sim.SetFaults(simulator.Faults{DropAfterFirstPOSTs: 1})
			},
			Config: bt.config(""),
			Check: resource.ComposeTestCheckFunc(
				bt.storedBackup(func(b simulator.Backup) error { return expectEq("status", b.Status, "completed") }),
				func(*terraform.State) error {
					return expectAll(expectEq("backup POSTs", bt.p.Sim.Requests()["POST /api/databases/{id}/backups"], 2),
						expectEq("answers lost", bt.p.Sim.FaultStats().DroppedAfter, 1))
				}),
		},
	)
}

// The platform started the backup but answered only after the create's
// timeout: the create is settled by replaying its Idempotency-Key, so the
// backup is recorded (tainted) instead of left on the platform unknown,
// and the next apply replaces it, leaving exactly one backup.
func TestAccBackup_createSettledAfterTimeout(t *testing.T) {
	platformacc.RequireSimulator(t, "fault injection: a platform slow to answer after it acted")
	bt := newBackupTest(t)
	bt.completesAfter(200 * time.Millisecond)
	withTimeout := "timeouts {\n    create = \"1s\"\n  }"
	bt.run(
		resource.TestStep{
			PreConfig: func() {
				bt.p.Sim.ResetRequests()
				bt.p.Sim.SetFaults(simulator.Faults{LatencyAfter: 2 * time.Second})
			},
			Config:      bt.config(withTimeout),
			ExpectError: errorText("did not finish", "recorded as tainted; the next apply replaces it"),
		},
		resource.TestStep{
			PreConfig: func() {
				bt.p.Sim.SetFaults(simulator.Faults{})
				if n := bt.p.Sim.Requests()["POST /api/databases/{id}/backups"]; n != 2 {
					t.Errorf("%d backup POSTs, want the create and its settling replay", n)
				}
				if n := len(bt.p.Sim.Backups(bt.dbID)); n != 1 {
					t.Fatalf("platform holds %d backups after the settled create, want the 1 Terraform recorded", n)
				}
			},
			Config:           bt.config(""),
			ConfigPlanChecks: planChecksFor(backupAddr, plancheck.ResourceActionReplace),
			Check:            bt.storedBackup(func(b simulator.Backup) error { return expectEq("status", b.Status, "completed") }),
		},
	)
}
