package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// olderPlatform is BridgePort v2.3.0, the oldest release the provider
// supports: the real platform when PLATFORM_ACC_RELEASE=2.3.0 says it is
// that release, else the simulator acting as it; with one database made
// outside Terraform whose backups complete.
type olderPlatform struct {
	p    *platformacc.Platform
	env  string
	dbID string
}

func newOlderPlatform(t *testing.T) *olderPlatform {
	t.Helper()
	p := platformacc.NewPlatformOfRelease(t, simulator.Release2_3_0)
	env := p.EnvID(t, platformacc.DefaultEnvironment)
	in := client.DatabaseInput{
		Name: ptrTo(acctest.RandomWithPrefix("tf-acc-v2")), Type: ptrTo("postgres"),
		DatabaseName: ptrTo("app"), Username: ptrTo("app"), Password: ptrTo("s3cret"),
	}
	if p.Real() {
		// As in newBackupTest: the platform dumps a sqlite file on its own
		// host, where no postgres answers.
		in = client.DatabaseInput{Name: in.Name, Type: ptrTo("sqlite"), FilePath: ptrTo("/dev/null")}
	}
	db := outOfBand(t, apiClient(t, p), env, in)
	return &olderPlatform{p: p, env: env, dbID: db.ID}
}

// unchanged: nothing the failed step could have written is on the platform.
func (o *olderPlatform) unchanged(*terraform.State) error {
	if n := len(o.p.State.Backups(o.dbID)); n != 0 {
		return fmt.Errorf("%d backup(s) on the platform; the refused configuration must write nothing", n)
	}
	return nil
}

func (o *olderPlatform) run(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             o.unchanged,
		Steps:                    steps,
	})
}

// What 3.0.0 added fails on v2.3.0 with an error that names the feature,
// the release and what to do, at plan time for the policy (whose plan asks
// the platform for a preview), and nothing is written.
func TestAccOlderPlatform_retentionPolicyFailsAtPlan(t *testing.T) {
	t.Parallel()
	o := newOlderPlatform(t)
	o.run(t, resource.TestStep{
		Config: o.p.Config(fmt.Sprintf(`
resource "platform_database_backup_policy" "test" {
  database_id = %q
  preset      = "lean"
}
`, o.dbID)),
		PlanOnly:    true,
		ExpectError: errorText("no backup retention policies", "BridgePort 3.0.0", "Nothing was changed", "Upgrade the platform"),
	}, resource.TestStep{
		Config: o.p.Config(fmt.Sprintf(`
data "platform_database_backup_policy" "test" {
  database_id = %q
}
`, o.dbID)),
		ExpectError: errorText("no backup retention policies", "BridgePort 3.0.0"),
	})
}

// A pinned backup is refused before the backup is taken, so none is left
// behind unpinned.
func TestAccOlderPlatform_pinnedBackupRefusedBeforeTheBackup(t *testing.T) {
	t.Parallel()
	o := newOlderPlatform(t)
	o.run(t, resource.TestStep{
		Config: o.p.Config(fmt.Sprintf(`
resource "platform_database_backup" "test" {
  database_id = %q
  pinned      = true
}
`, o.dbID)),
		ExpectError: errorText("no pinned backups", "BridgePort 3.0.0", "pinned = true"),
	})
	// Against a real platform the CheckDestroy above (no backup on the
	// platform) is the proof; the simulator also counts the requests.
	if o.p.Sim == nil {
		return
	}
	if n := o.p.Sim.Requests()["POST /api/databases/{id}/backups"]; n != 0 {
		t.Errorf("%d backup(s) started; the pin check comes first", n)
	}
	if n := o.p.Sim.Requests()["GET /openapi.json"]; n != 1 {
		t.Errorf("the route list was read %d times, want once", n)
	}
}

// What v2.3.0 has works as on the newest release: a backup (whose rows
// lack isPinned: pinned reads false, with no diff), a schedule, the data
// sources, import.
func TestAccOlderPlatform_whatItHasWorks(t *testing.T) {
	t.Parallel()
	o := newOlderPlatform(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			return expectEq("backups left", len(o.p.State.Backups(o.dbID)), 0)
		},
		Steps: []resource.TestStep{{
			Config: o.p.Config(fmt.Sprintf(`
resource "platform_database_backup" "test" {
  database_id = %[1]q
}

resource "platform_database_backup_schedule" "test" {
  database_id     = %[1]q
  cron_expression = "0 2 * * *"
  enabled         = false
}

data "platform_database" "test" {
  id         = %[1]q
  depends_on = [platform_database_backup.test, platform_database_backup_schedule.test]
}

data "platform_database_backups" "test" {
  database_id = %[1]q
  depends_on  = [platform_database_backup.test]
}
`, o.dbID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(backupAddr, attr("pinned"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(backupAddr, attr("status"), knownvalue.StringExact("completed")),
				statecheck.ExpectKnownValue("data.platform_database.test", attr("schedule").AtMapKey("cron_expression"),
					knownvalue.StringExact("0 2 * * *")),
				statecheck.ExpectKnownValue("data.platform_database_backups.test", attr("backups"), knownvalue.ListSizeExact(1)),
			},
			ConfigPlanChecks: emptyPlanAfterApply(),
		}, {
			ResourceName:            backupAddr,
			ImportState:             true,
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"timeouts"},
		}},
	})
}
