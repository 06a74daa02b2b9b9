package provider_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

func TestAccDatabase_renameInPlace(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	d.run(
		resource.TestStep{
			Config:            d.config(minimalBody(d.name)),
			ConfigPlanChecks:  emptyPlanAfterApply(),
			ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(dbAddr, attr("id"))},
		},
		resource.TestStep{
			Config:           d.config(minimalBody(d.name + "-new")),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate),
			ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(dbAddr, attr("id")),
				stateIs("name", knownvalue.StringExact(d.name+"-new")),
			},
		},
	)
}

// A partial block is sent with all five keys; changing one flag keeps the
// others; removing the block clears the stored object.
func TestAccDatabase_pgDumpOptions(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	withOptions := func(block string) string { return d.config(minimalBody(d.name) + "\n" + block) }
	stored := func(want string) resource.TestCheckFunc {
		return d.storedCheck(func(db platformDB) error { return expectEq("pgDumpOptions", pgDumpString(db), want) })
	}
	d.run(
		resource.TestStep{Config: d.config(minimalBody(d.name)), Check: stored("none")},
		resource.TestStep{
			Config:           withOptions("  pg_dump_options {\n    no_owner = true\n  }"),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate),
			Check:            stored("noOwner=true clean=false ifExists=false schemaOnly=false dataOnly=false"),
		},
		resource.TestStep{
			Config:           withOptions("  pg_dump_options {\n    no_owner = true\n    clean = true\n  }"),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate),
			Check:            stored("noOwner=true clean=true ifExists=false schemaOnly=false dataOnly=false"),
		},
		resource.TestStep{
			Config:            d.config(minimalBody(d.name)),
			ConfigPlanChecks:  planChecks(plancheck.ResourceActionUpdate),
			ConfigStateChecks: []statecheck.StateCheck{stateIs("pg_dump_options", knownvalue.Null())},
			Check:             stored("none"),
		},
	)
}

// Adoption by "<environment_id>/<name>", the form people know without
// looking up ids.
func TestAccDatabase_importByEnvironmentAndName(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	d.run(
		resource.TestStep{Config: d.config(minimalBody(d.name) + "\n  host = \"h\"\n  port = 1")},
		resource.TestStep{
			ResourceName:            dbAddr,
			ImportState:             true,
			ImportStateId:           d.envID + "/" + d.name,
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: verifyIgnore("timeouts"),
		},
		resource.TestStep{
			ResourceName:  dbAddr,
			ImportState:   true,
			ImportStateId: d.envID + "/no-such-database",
			ExpectError:   errorText(`has no database named "no-such-database"`),
		},
	)
}

// Changes made on the platform show up in the next plan.
func TestAccDatabase_outOfBandChanges(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	cfg := d.config(minimalBody(d.name) + "\n  host = \"pg.example.test\"\n  backup_format = \"custom\"")
	patch := func(fields map[string]any) func() {
		return func() {
			db, err := d.stored()
			if err == nil {
				err = d.p.State.PatchDatabase(db.ID, fields)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	d.run(
		resource.TestStep{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply()},
		resource.TestStep{
			PreConfig: patch(map[string]any{"host": "elsewhere", "backupFormat": "tar",
				"pgDumpOptions": map[string]any{"dataOnly": true}}),
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(dbAddr, plancheck.ResourceActionUpdate),
				planIs("host", knownvalue.StringExact("pg.example.test")),
				planIs("backup_format", knownvalue.StringExact("custom")),
				planIs("pg_dump_options", knownvalue.Null()),
			}, PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: d.storedCheck(func(db platformDB) error {
				return expectAll(expectEq("backupFormat", db.BackupFormat, "custom"), expectEq("pgDumpOptions", pgDumpString(db), "none"))
			}),
		},
		resource.TestStep{
			PreConfig: func() {
				db, err := d.stored()
				if err == nil {
					err = d.p.State.DeleteDatabase(db.ID)
				}
				if err != nil {
					t.Fatal(err)
				}
			},
			Config:           cfg,
			ConfigPlanChecks: planChecks(plancheck.ResourceActionCreate),
		},
	)
}

// A name already taken in the environment fails with the import command to
// adopt it; nothing is created.
func TestAccDatabase_nameConflictSuggestsImport(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	d.run(
		resource.TestStep{
			Config: d.config(minimalBody(d.name)) + fmt.Sprintf(`
resource "platform_database" "twin" {
  environment_id = %q
  name           = %q
  type           = "postgres"
  depends_on     = [platform_database.test]
}
`, d.envID, d.name),
			ExpectError: errorText("already exists", "terraform import <resource address> "+d.envID+"/"+d.name),
		},
	)
}

// The platform refuses to delete a database with backups; destroy says what
// to do, and succeeds once the backups are gone.
func TestAccDatabase_deleteWithBackups(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	cfg := d.config(d.backupableBody())
	var backupID string
	d.run(
		resource.TestStep{Config: cfg},
		resource.TestStep{
			PreConfig: func() {
				db, err := d.stored()
				if err == nil {
					backupID, err = d.p.State.AddBackup(db.ID)
				}
				if err != nil {
					t.Fatal(err)
				}
			},
			Config:  cfg,
			Destroy: true,
			ExpectError: errorText("Cannot delete database with existing backups", "has 1 backup(s)", "set force_destroy = true",
				"delete the database's backups on the platform"),
		},
		resource.TestStep{
			PreConfig: func() {
				db, err := d.stored()
				if err == nil {
					err = d.p.State.DeleteBackup(db.ID, backupID)
				}
				if err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
		},
	)
}

// The platform answers a rename onto a taken name with a bare 500; the
// diagnostic says what probably happened.
func TestAccDatabase_renameOntoTakenName(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	twin := func(name string) string {
		return d.config(minimalBody(d.name)) + fmt.Sprintf(`
resource "platform_database" "twin" {
  environment_id = %q
  name           = %q
  type           = "postgres"
}
`, d.envID, name)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             d.checkDestroy,
		Steps: []resource.TestStep{
			{Config: twin(d.name + "-twin")},
			{
				Config:      twin(d.name),
				ExpectError: errorText("Could not update database", "500", "probably already named "+`"`+d.name+`"`),
			},
		},
	})
}

// Objects that do not exist are answered with a bare 500 on create; the
// diagnostic names the attributes to check.
func TestAccDatabase_unknownServer(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	d.run(resource.TestStep{
		Config:      d.config(minimalBody(d.name) + "\n  server_id = \"cnosuchserver\""),
		ExpectError: errorText("Could not create database", "environment_id, server_id or database_type_id does not exist"),
	})
}

// A create that cannot finish within its timeout says so, instead of
// hanging or failing with a transport error. The platform may still create
// the database after the client gave up; the provider settles that with an
// Idempotency-Key replay, so the database is recorded (tainted) rather than
// orphaned, and the next apply replaces it without a name conflict.
func TestAccDatabase_createTimeout(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	d.p.RequireSimulator(t, "fault injection: a slow platform")
	d.run(
		resource.TestStep{
			PreConfig: func() { d.p.Sim.SetFaults(simulator.Faults{Latency: 3 * time.Second}) },
			Config:    d.config(minimalBody(d.name) + "\n  timeouts {\n    create = \"1s\"\n  }"),
			ExpectError: errorText("Could not create database", "did not finish within 1s",
				"Raise it in the resource's timeouts block", "recorded as tainted"),
		},
		resource.TestStep{
			PreConfig: func() {
				d.p.Sim.SetFaults(simulator.Faults{})
				if n := len(d.p.Sim.Databases(d.envID)); n != 1 {
					t.Fatalf("after the timed-out create the platform holds %d databases, want the 1 Terraform recorded", n)
				}
			},
			Config:           d.config(minimalBody(d.name)),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionReplace),
			Check:            d.storedCheck(func(platformDB) error { return nil }),
		},
	)
}

// Destroy and immediately re-create the same configuration: the platform
// replays an Idempotency-Key's old answer even after the database was
// deleted, so a key derived from the body would hand back the dead id. The
// re-created database must be a new, live one.
func TestAccDatabase_recreateAfterDestroy(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	cfg := d.config(minimalBody(d.name))
	differentID := statecheck.CompareValue(compare.ValuesDiffer())
	d.run(
		resource.TestStep{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{differentID.AddStateValue(dbAddr, attr("id"))}},
		resource.TestStep{Config: d.p.Config("")},
		resource.TestStep{
			Config:            cfg,
			ConfigPlanChecks:  planChecks(plancheck.ResourceActionCreate),
			ConfigStateChecks: []statecheck.StateCheck{differentID.AddStateValue(dbAddr, attr("id"))},
			Check: func(s *terraform.State) error {
				db, err := d.stored()
				if err != nil {
					return err
				}
				return expectEq("id in state", s.RootModule().Resources[dbAddr].Primary.ID, db.ID)
			},
		},
	)
}
