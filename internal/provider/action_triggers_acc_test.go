package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/hashicorp/go-version"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

// Terraform 1.16 added to action triggers: on_failure = halt | taint |
// continue, the before_destroy and after_destroy events, and -invoke with
// -target.
var version1_16 = version.Must(version.NewVersion("1.16.0"))

var actionTriggers116 = []tfversion.TerraformVersionCheck{
	skipOpenTofu{feature: "actions"}, tfversion.SkipBelow(version1_16),
}

// With on_failure = continue a failed connection test is a warning: the
// apply succeeds and the database stays as created.
func TestAccActionTriggers_testConnectionOnFailureContinue(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   actionTriggers116,
		CheckDestroy:             d.checkDestroy,
		Steps: []resource.TestStep{{
			Config: d.checkedDatabaseOnFailure("127.0.0.1", 1, "continue"),
			PostApplyFunc: func() {
				if d.p.Sim == nil {
					return // request counters: simulator only
				}
				if n := d.p.Sim.Requests()[testConnectionRoute]; n != 1 {
					t.Errorf("%d connection tests, want 1", n)
				}
			},
			ConfigStateChecks: []statecheck.StateCheck{stateIs("name", knownvalue.StringExact(d.name))},
			ConfigPlanChecks:  emptyPlanAfterApply(),
		}},
	})
}

// With on_failure = taint a failed connection test after create fails the
// apply and taints the database: the next plan replaces it.
func TestAccActionTriggers_testConnectionOnFailureTaint(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	config := d.checkedDatabaseOnFailure("127.0.0.1", 1, "taint")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   actionTriggers116,
		CheckDestroy:             d.checkDestroy,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: errorText(fmt.Sprintf("The platform cannot connect to database %q", d.name), "connect ECONNREFUSED 127.0.0.1:1"),
		}, {
			Config:             config,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(dbAddr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
		}},
	})
}

// A backup of the database before the application that uses it is
// destroyed: create_backup on the application's before_destroy.
func TestAccActionTriggers_backupBeforeTheApplicationIsDestroyed(t *testing.T) {
	t.Parallel()
	bt := newBackupTest(t)
	bt.completesAfter(500 * time.Millisecond)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   actionTriggers116,
		// The database is not the configuration's: the backup outlives it.
		CheckDestroy: func(*terraform.State) error { bt.expectBackups(1, false)(); return nil },
		Steps: []resource.TestStep{{
			Config: bt.p.Config(fmt.Sprintf(`
resource "terraform_data" "app" {
  input = "orders-service"

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.platform_database_create_backup.before_teardown]
    }
  }
}

action "platform_database_create_backup" "before_teardown" {
  config {
    database_id = %q
  }
}
`, bt.dbID)),
			Check: func(*terraform.State) error { bt.expectBackups(0, false)(); return nil },
		}},
	})
}

// -invoke with -target (Terraform ≥ 1.16): the action runs once, for the
// calling resource named, although two resources trigger it.
func TestAccActionTriggers_invokeWithTarget(t *testing.T) {
	t.Parallel()
	bt := newBackupTest(t)
	bt.completesAfter(500 * time.Millisecond)
	w := newCLIWorkspace(t, inProcess)
	w.skipUnlessActions()
	w.skipOlderThan("1.16.0", "99.0.0") // -invoke with -target; OpenTofu was skipped above
	w.writeConfig(bt.p.Config(fmt.Sprintf(`
resource "terraform_data" "orders_api" {
  input = "orders-api"

  lifecycle {
    action_trigger {
      events  = [before_update]
      actions = [action.platform_database_create_backup.before_release]
    }
  }
}

resource "terraform_data" "orders_worker" {
  input = "orders-worker"

  lifecycle {
    action_trigger {
      events  = [before_update]
      actions = [action.platform_database_create_backup.before_release]
    }
  }
}

action "platform_database_create_backup" "before_release" {
  config {
    database_id = %q
  }
}
`, bt.dbID)))
	w.mustRun("init", "-input=false")
	w.mustRun("apply", "-auto-approve", "-input=false")
	bt.expectBackups(0, false)()
	w.mustRun("apply", "-auto-approve", "-input=false",
		"-invoke=action.platform_database_create_backup.before_release", "-target=terraform_data.orders_api")
	bt.expectBackups(1, false)()
	w.mustRun("destroy", "-auto-approve", "-input=false")
}

// The documentation's examples of Terraform 1.16's triggers are valid there.
func TestAccActionTriggers_examplesValidate(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{
		"actions/platform_database_test_connection/on-failure",
		"actions/platform_database_create_backup/before-destroy",
	} {
		t.Run(dir, func(t *testing.T) {
			w := newCLIWorkspace(t, inProcess)
			w.skipUnlessActions()
			w.skipOlderThan("1.16.0", "99.0.0")
			b, err := os.ReadFile(filepath.Join("..", "..", "examples", dir, "main.tf"))
			if err != nil {
				t.Fatal(err)
			}
			w.write("example.tf", string(b))
			w.writeConfig("")
			w.mustRun("init", "-input=false", "-backend=false")
			w.mustRun("validate")
		})
	}
}
