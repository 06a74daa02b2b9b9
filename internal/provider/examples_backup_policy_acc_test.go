package provider_test

import (
	"bufio"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

const policyExamples = "resources/platform_database_backup_policy/"

// policyImportID is the one id import.sh imports, for the address resource.tf declares.
func policyImportID(t *testing.T) string {
	t.Helper()
	var ids []string
	sc := bufio.NewScanner(strings.NewReader(readExample(t, policyExamples+"import.sh")))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 4 && f[0] == "terraform" && f[1] == "import" {
			if f[2] != "platform_database_backup_policy.orders" {
				t.Fatalf("import.sh imports %s, but resource.tf declares platform_database_backup_policy.orders", f[2])
			}
			ids = append(ids, f[3])
		}
	}
	if len(ids) != 1 {
		t.Fatalf("import.sh should show 1 import, found %d", len(ids))
	}
	return ids[0]
}

// resource.tf applied as written, import.sh's import, then destroy (the
// database reverts to the global policy and is deleted).
func TestAccExamples_backupPolicyResource(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t, exampleEnvironment)
	p.RequireRelease(t, api.FeatureRetentionPolicies)
	envID := p.EnvID(t, exampleEnvironment)
	cfg := p.Config(example(t, p, policyExamples+"resource.tf"))
	addr := "platform_database_backup_policy.orders"
	sampleID := policyImportID(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             exampleCheckDestroy(p, envID),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("monthly"), knownvalue.Int64Exact(12)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("max_prune"), knownvalue.Int64Exact(20)),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check: exampleStored(p, envID, "orders-pg", func(db platformDB) error {
					pol, source, _ := p.State.BackupPolicy(db.ID)
					return expectAll(expectEq("preset", pol.Preset, "long_term"), expectEq("source", source, "override"))
				}),
			},
			{
				Config:       cfg,
				ResourceName: addr,
				ImportState:  true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return strings.ReplaceAll(sampleID, exampleDatabaseID, s.RootModule().Resources["platform_database.orders"].Primary.ID), nil
				},
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"max_prune"}, // Terraform-only; import starts from its default
			},
		},
	})
}

// The data-source example on a database that inherits the global default.
func TestAccExamples_backupPolicyDataSource(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	p.RequireRelease(t, api.FeatureRetentionPolicies)
	db := outOfBand(t, apiClient(t, p), p.EnvID(t, platformacc.DefaultEnvironment),
		client.DatabaseInput{Name: ptrTo("reports-pg"), Type: ptrTo("postgres")})
	example := replaceOnce(t, readExample(t, "data-sources/platform_database_backup_policy/data-source.tf"), exampleDatabaseID, db.ID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		// Reading a policy changes nothing on the platform.
		CheckDestroy: func(*terraform.State) error {
			return expectEq("override after reading", p.State.HasBackupPolicyOverride(db.ID), false)
		},
		Steps: []resource.TestStep{
			{
				Config: p.Config(example),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("reports_keeps_monthly_backups", knownvalue.Bool(true)),
					statecheck.ExpectKnownOutputValue("reports_policy_source", knownvalue.StringExact("inherited")),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
		},
	})
}
