package provider_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// createBackupAction is the action block, plus a terraform_data standing
// for a migration whose every run (a new version) is preceded by a backup.
func (bt *backupTest) createBackupAction(provider, extra, version string) string {
	return fmt.Sprintf(`
action "platform_database_create_backup" "pre_migration" {
  %s
  config {
    database_id = %q
    %s
  }
}

resource "terraform_data" "migration" {
  input = %q

  lifecycle {
    action_trigger {
      events  = [before_create, before_update]
      actions = [action.platform_database_create_backup.pre_migration]
    }
  }
}
`, provider, bt.dbID, extra, version)
}

// runActions is run for tests of actions: skipped where the CLI has none.
// The backups an action takes are not Terraform's: destroying the
// configuration leaves them, which checkDestroy proves.
func (bt *backupTest) runActions(keep *int, steps ...resource.TestStep) {
	bt.t.Helper()
	resource.Test(bt.t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   actionsCLI,
		CheckDestroy: func(*terraform.State) error {
			return expectEq("backups left after destroy", len(bt.p.State.Backups(bt.dbID)), *keep)
		},
		Steps: steps,
	})
}

// expectBackups asserts the database's backups: how many, each completed,
// manual and pinned as asked.
func (bt *backupTest) expectBackups(n int, pinned bool) func() {
	return func() {
		bt.t.Helper()
		bs := bt.p.State.Backups(bt.dbID)
		if len(bs) != n {
			bt.t.Fatalf("platform holds %d backups, want %d", len(bs), n)
		}
		for _, b := range bs {
			if err := expectAll(expectEq("status of "+b.ID, b.Status, client.BackupCompleted),
				expectEq("kind of "+b.ID, b.Type, simulator.BackupManual), expectEq("pinned "+b.ID, b.IsPinned, pinned)); err != nil {
				bt.t.Error(err)
			}
		}
	}
}

// Each run of the migration takes a pinned backup first and waits for it;
// a plan without a new version takes none.
func TestAccCreateBackupAction_beforeEachMigration(t *testing.T) {
	bt := newBackupTest(t)
	bt.p.RequireRelease(t, api.FeaturePins)
	bt.completesAfter(1500 * time.Millisecond)
	keep := 2
	bt.runActions(&keep,
		resource.TestStep{
			Config:        bt.p.Config(bt.createBackupAction("", "pinned = true", "v1")),
			PostApplyFunc: bt.expectBackups(1, true),
		},
		resource.TestStep{
			Config:        bt.p.Config(bt.createBackupAction("", "pinned = true", "v2")),
			PostApplyFunc: bt.expectBackups(2, true),
		},
		resource.TestStep{
			Config:        bt.p.Config(bt.createBackupAction("", "pinned = true", "v2")),
			PostApplyFunc: bt.expectBackups(2, true),
		},
	)
}

// A backup the platform fails is an error with its step and words, the
// migration does not run (the trigger is before_create), and the failed
// row is gone: it would block the database's destroy.
func TestAccCreateBackupAction_failedBackup(t *testing.T) {
	p := platformacc.NewPlatform(t)
	db := outOfBand(t, apiClient(t, p), p.EnvID(t, platformacc.DefaultEnvironment),
		client.DatabaseInput{Name: ptrTo(acctest.RandomWithPrefix("tf-acc-nocreds")), Type: ptrTo("postgres")})
	bt := &backupTest{t: t, p: p, dbID: db.ID}
	keep := 0
	bt.runActions(&keep,
		resource.TestStep{
			Config: p.Config(bt.createBackupAction("", "", "v1")),
			ExpectError: errorText(fmt.Sprintf("Could not back up database %q", db.ID),
				`failed at step "dump": pg_dump: error: too many command-line arguments`,
				"The failed backup was deleted from the platform. Fix the cause and run the action again."),
		},
		resource.TestStep{
			PreConfig: func() {
				if n := len(p.State.Backups(db.ID)); n != 0 {
					t.Fatalf("the failed backup's row is still on the platform (%d rows)", n)
				}
			},
			Config: p.Config(`# the migration removed`),
		},
	)
}

// A viewer's token gets the platform's refusal, explained, and starts no
// backup.
func TestAccCreateBackupAction_viewerRefused(t *testing.T) {
	bt := newBackupTest(t)
	viewer := strings.Replace(bt.p.ProviderBlock(bt.p.ViewerToken()), `provider "platform" {`,
		"provider \"platform\" {\n  alias = \"viewer\"", 1)
	keep := 0
	bt.runActions(&keep,
		resource.TestStep{
			Config: bt.p.Config(viewer + bt.createBackupAction("provider = platform.viewer", "", "v1")),
			ExpectError: errorText(fmt.Sprintf("Could not back up database %q", bt.dbID), "403 FORBIDDEN_ROLE",
				"The token has the viewer role, which may only read", "needs a token with the operator or admin role", "taking backups"),
		},
	)
	if n := len(bt.p.State.Backups(bt.dbID)); n != 0 {
		t.Errorf("a viewer's action left %d backup(s)", n)
	}
}

// The platform applied the create, but its answer is slower than the
// action's timeout: the create is settled by replaying its
// Idempotency-Key, so the error names the one backup the platform is
// taking, and no second one is started.
func TestAccCreateBackupAction_settledAfterTimeout(t *testing.T) {
	platformacc.RequireSimulator(t, "fault injection: a platform slow to answer after it acted")
	bt := newBackupTest(t)
	keep := 1
	bt.runActions(&keep,
		resource.TestStep{
			PreConfig: func() {
				bt.p.Sim.SetFaults(simulator.Faults{LatencyAfter: 2 * time.Second})
				bt.p.Sim.ResetRequests()
			},
			Config: bt.p.Config(bt.createBackupAction("", `timeout = "1s"`, "v1")),
			ExpectError: errorText(fmt.Sprintf("Could not back up database %q", bt.dbID),
				"did not finish within its timeout (1s)", "The platform started backup", "and goes on taking it"),
		},
		resource.TestStep{
			PreConfig: func() {
				bt.p.Sim.SetFaults(simulator.Faults{})
				if n := bt.p.Sim.Requests()["POST /api/databases/{id}/backups"]; n != 2 {
					t.Errorf("%d backup POSTs, want the create and its settling replay", n)
				}
				bs := bt.p.Sim.Backups(bt.dbID)
				if len(bs) != 1 {
					t.Fatalf("platform holds %d backups after the settled create, want 1", len(bs))
				}
			},
			Config: bt.p.Config(`# the migration removed`),
		},
	)
}

// terraform apply -invoke runs the action alone, with the real CLI, and
// shows its progress as it goes.
func TestAccCreateBackupAction_invoke(t *testing.T) {
	t.Parallel()
	bt := newBackupTest(t)
	bt.completesAfter(2 * time.Second)
	w := newCLIWorkspace(t, inProcess)
	w.skipUnlessActions()
	w.writeConfig(bt.p.Config(fmt.Sprintf(`
action "platform_database_create_backup" "pre_migration" {
  config {
    database_id = %q
  }
}
`, bt.dbID)))
	w.mustRun("init", "-input=false")
	res := w.mustRun("apply", "-auto-approve", "-input=false", "-invoke=action.platform_database_create_backup.pre_migration")
	want := errorText("Starting a backup of database "+bt.dbID, "started; waiting for the platform to finish it",
		"completed")
	if !want.MatchString(res.output()) {
		t.Errorf("the invocation does not show its progress:\n%s", res)
	}
	bt.expectBackups(1, false)()
}
