package provider_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// The documented examples are applied as written (docs/ embeds them), so a
// schema change that breaks one fails here instead of on the registry page.
// Only the sample ids in them are swapped for the test platform's.
const (
	examplesDir        = "../../examples"
	databaseExamples   = "resources/platform_database/"
	exampleEnvironment = "production"
	// Sample ids the examples show; every example uses these two.
	exampleEnvID      = "cmwxsejuk002c1h7dp19myyf8"
	exampleDatabaseID = "cmwxsek9i002x1h7dle0wgldm"
)

func readExample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(examplesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// replaceOnce fails the test unless old occurs exactly once, so an edited
// example cannot silently stop exercising what the test means to.
func replaceOnce(t *testing.T, s, old, replacement string) string {
	t.Helper()
	if n := strings.Count(s, old); n != 1 {
		t.Fatalf("example should contain %q once, found %d", old, n)
	}
	return strings.Replace(s, old, replacement, 1)
}

// example is the example as written, its environment name swapped for the
// test platform's (the same on the simulator).
func example(t *testing.T, p *platformacc.Platform, name string) string {
	t.Helper()
	s := readExample(t, name)
	if env := p.EnvName(exampleEnvironment); env != exampleEnvironment {
		s = replaceOnce(t, s, fmt.Sprintf("name = %q", exampleEnvironment), fmt.Sprintf("name = %q", env))
	}
	return s
}

func exampleCheckDestroy(p *platformacc.Platform, envID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if dbs := p.State.Databases(envID); len(dbs) != 0 {
			return fmt.Errorf("%d database(s) left on the platform after destroy", len(dbs))
		}
		return nil
	}
}

// exampleStored checks what the platform holds for the named database.
func exampleStored(p *platformacc.Platform, envID, name string, check func(platformDB) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, db := range p.State.Databases(envID) {
			if db.Name == name {
				return check(db)
			}
		}
		return fmt.Errorf("platform has no database %q", name)
	}
}

// importShIDs returns the ids of the `terraform import` commands in
// import.sh, in order.
func importShIDs(t *testing.T) []string {
	t.Helper()
	var ids []string
	sc := bufio.NewScanner(strings.NewReader(readExample(t, databaseExamples+"import.sh")))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 4 && f[0] == "terraform" && f[1] == "import" {
			if f[2] != "platform_database.orders" {
				t.Fatalf("import.sh imports %s, but resource.tf declares platform_database.orders", f[2])
			}
			ids = append(ids, f[3])
		}
	}
	if len(ids) != 2 {
		t.Fatalf("import.sh should show 2 imports (by id, by environment/name), found %d", len(ids))
	}
	return ids
}

// resource.tf on every CLI, then both imports import.sh shows.
func TestAccExamples_databaseResource(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t, exampleEnvironment)
	envID := p.EnvID(t, exampleEnvironment)
	cfg := p.Config(example(t, p, databaseExamples+"resource.tf"))
	vars := config.Variables{"orders_password": config.StringVariable("example-secret")}

	importStep := func(sampleID string) resource.TestStep {
		return resource.TestStep{
			Config:          cfg,
			ConfigVariables: vars,
			ResourceName:    "platform_database.orders",
			ImportState:     true,
			ImportStateIdFunc: func(s *terraform.State) (string, error) {
				id := strings.ReplaceAll(sampleID, exampleEnvID, envID)
				return strings.ReplaceAll(id, exampleDatabaseID, s.RootModule().Resources["platform_database.orders"].Primary.ID), nil
			},
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: verifyIgnore("username", "password", "timeouts"),
		}
	}
	ids := importShIDs(t)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             exampleCheckDestroy(p, envID),
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ConfigVariables: vars,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("platform_database.orders", tfjsonpath.New("environment_id"), knownvalue.StringExact(envID)),
					statecheck.ExpectKnownValue("platform_database.orders", tfjsonpath.New("has_credentials"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("platform_database.sessions", tfjsonpath.New("backup_spaces_prefix"),
						knownvalue.StringExact(p.EnvName(exampleEnvironment)+"/sessions-mysql/")),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check: resource.ComposeAggregateTestCheckFunc(
					exampleStored(p, envID, "orders-pg", func(db platformDB) error {
						return expectAll(
							expectPassword(p.State, db, "example-secret"),
							expectEq("backupFormat", db.BackupFormat, "custom"),
							expectEq("collectionIntervalSec", db.CollectionIntervalSec, int64(60)),
							expectEq("pgDumpOptions", pgDumpString(db), "noOwner=true clean=true ifExists=true schemaOnly=false dataOnly=false"),
						)
					}),
					exampleStored(p, envID, "sessions-mysql", func(db platformDB) error {
						return expectEq("backupStorageType", db.BackupStorageType, "spaces")
					}),
				),
			},
			importStep(ids[0]),
			importStep(ids[1]),
		},
	})
}

// write-only.tf: create, then the rotation its comments describe (new
// password and the next password_wo_version in one apply).
func TestAccExamples_databaseWriteOnly(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t, exampleEnvironment)
	envID := p.EnvID(t, exampleEnvironment)
	writeOnly := example(t, p, databaseExamples+"write-only.tf")
	rotated := replaceOnce(t, writeOnly, "password_wo_version = 1", "password_wo_version = 2")
	storedPassword := func(want string) resource.TestCheckFunc {
		return exampleStored(p, envID, "orders-pg", func(db platformDB) error { return expectPassword(p.State, db, want) })
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             exampleCheckDestroy(p, envID),
		Steps: []resource.TestStep{
			{
				Config:          p.Config(writeOnly),
				ConfigVariables: config.Variables{"orders_password": config.StringVariable("first-secret")},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("platform_database.orders", tfjsonpath.New("password_wo"), knownvalue.Null()),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check:            storedPassword("first-secret"),
			},
			{
				Config:          p.Config(rotated),
				ConfigVariables: config.Variables{"orders_password": config.StringVariable("rotated-secret")},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("platform_database.orders", plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: storedPassword("rotated-secret"),
			},
		},
	})
}

// import-by-block.tf adopts a database someone registered by hand: the plan
// imports it without changing anything.
func TestAccExamples_databaseImportBlock(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t, exampleEnvironment)
	envID := p.EnvID(t, exampleEnvironment)
	importBlock := strings.ReplaceAll(readExample(t, databaseExamples+"import-by-block.tf"), exampleEnvID, envID)

	byHand := func() {
		c, err := client.New(client.Config{Endpoint: p.URL, Token: p.OperatorToken()})
		if err == nil {
			_, err = c.CreateDatabase(context.Background(), envID, client.DatabaseInput{
				Name: ptr("orders-pg"), Type: ptr("postgres"), Host: ptr("pg.internal.example"),
				Port: ptr(int64(5432)), DatabaseName: ptr("orders"),
			})
		}
		if err != nil {
			t.Fatal(err)
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		CheckDestroy:             exampleCheckDestroy(p, envID),
		Steps: []resource.TestStep{
			{
				PreConfig: byHand,
				Config:    p.Config(importBlock),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						expectImportOnly("platform_database.orders"),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("platform_database.orders", tfjsonpath.New("name"), knownvalue.StringExact("orders-pg")),
				},
			},
		},
	})
}

// The data source example looks the environment up and registers a
// database in it.
func TestAccExamples_environmentDataSource(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t, exampleEnvironment)
	envID := p.EnvID(t, exampleEnvironment)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             exampleCheckDestroy(p, envID),
		Steps: []resource.TestStep{
			{
				Config: p.Config(example(t, p, "data-sources/platform_environment/data-source.tf")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("production_environment_id", knownvalue.StringExact(envID)),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check: exampleStored(p, envID, "cache-redis", func(db platformDB) error {
					return expectEq("type", db.Type, "redis")
				}),
			},
		},
	})
}

func ptr[T any](v T) *T { return &v }
