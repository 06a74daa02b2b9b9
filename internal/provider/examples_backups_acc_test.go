package provider_test

import (
	"bufio"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

const backupExamples = "resources/platform_database_backup/"

var backupPathPattern = regexp.MustCompile(`^/var/backups/orders-pg-.+\.sql$`)

// backupImportID is the one "<database_id>/<backup_id>" import.sh imports,
// for the address resource.tf declares.
func backupImportID(t *testing.T) string {
	t.Helper()
	var ids []string
	sc := bufio.NewScanner(strings.NewReader(readExample(t, backupExamples+"import.sh")))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 4 && f[0] == "terraform" && f[1] == "import" {
			if f[2] != "platform_database_backup.before_v42" {
				t.Fatalf("import.sh imports %s, but resource.tf declares platform_database_backup.before_v42", f[2])
			}
			ids = append(ids, f[3])
		}
	}
	if len(ids) != 1 || !strings.HasPrefix(ids[0], exampleDatabaseID+"/") {
		t.Fatalf("import.sh should show 1 import of <database_id>/<backup_id>, found %v", ids)
	}
	return ids[0]
}

// resource.tf applied as written (the pinned backup is taken and waited
// for), import.sh's import, then destroy (backup first, then database).
func TestAccExamples_backupResource(t *testing.T) {
	t.Parallel()
	// The example's postgres database is not reachable from a real
	// platform, whose dump of it fails.
	platformacc.RequireSimulator(t, "a backup of the example's postgres database that completes")
	p := platformacc.NewPlatform(t, exampleEnvironment)
	p.RequireRelease(t, api.FeaturePins)
	envID := p.EnvID(t, exampleEnvironment)
	cfg := p.Config(example(t, p, backupExamples+"resource.tf"))
	vars := config.Variables{"orders_password": config.StringVariable("example-secret")}
	addr := "platform_database_backup.before_v42"
	sampleID := backupImportID(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             exampleCheckDestroy(p, envID),
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ConfigVariables: vars,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, attr("status"), knownvalue.StringExact("completed")),
					statecheck.ExpectKnownValue(addr, attr("pinned"), knownvalue.Bool(true)),
					statecheck.ExpectKnownOutputValue("pre_migration_backup", knownvalue.StringRegexp(backupPathPattern)),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check: exampleStored(p, envID, "orders-pg", func(db platformDB) error {
					bs := p.State.Backups(db.ID)
					if len(bs) != 1 {
						return fmt.Errorf("%d backups, want 1", len(bs))
					}
					return expectAll(expectEq("status", bs[0].Status, "completed"), expectEq("pinned", bs[0].IsPinned, true))
				}),
			},
			{
				Config:          cfg,
				ConfigVariables: vars,
				ResourceName:    addr,
				ImportState:     true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					id := strings.Replace(sampleID, exampleDatabaseID, s.RootModule().Resources["platform_database.orders"].Primary.ID, 1)
					return id[:strings.Index(id, "/")+1] + s.RootModule().Resources[addr].Primary.ID, nil
				},
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// The data-source example: its precondition passes while the latest
// backup completed and stops the plan, with the platform's reason, once the
// latest one failed.
func TestAccExamples_backupsDataSource(t *testing.T) {
	t.Parallel()
	platformacc.RequireSimulator(t, "a completed scheduled backup and failed ones in a chosen order (SeedBackup)")
	p := platformacc.NewPlatform(t)
	db := outOfBand(t, apiClient(t, p), p.EnvID(t, platformacc.DefaultEnvironment),
		client.DatabaseInput{Name: ptrTo("orders-pg"), Type: ptrTo("postgres")})
	example := p.Config(replaceOnce(t, readExample(t, "data-sources/platform_database_backups/data-source.tf"), exampleDatabaseID, db.ID))
	start := time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC)
	failed := simulator.BackupErrorString(simulator.StepConnect, "connect ECONNREFUSED 10.0.0.5:5432")
	seed := func(at time.Time, in simulator.SeedBackup) string {
		in.CreatedAt = at
		id, err := p.Sim.SeedBackup(db.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	seed(start, simulator.SeedBackup{Status: simulator.BackupFailed, Error: &failed})
	latest := seed(start.Add(time.Hour), simulator.SeedBackup{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: example,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("orders_latest_backup_id", knownvalue.StringExact(latest)),
					statecheck.ExpectKnownOutputValue("orders_failed_backups", knownvalue.Int64Exact(1)),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{
				PreConfig: func() {
					seed(start.Add(2*time.Hour), simulator.SeedBackup{Status: simulator.BackupFailed, Error: &failed})
				},
				Config:      example,
				ExpectError: errorText("The latest backup of orders-pg is not completed: connect ECONNREFUSED 10.0.0.5:5432."),
			},
		},
	})
}
