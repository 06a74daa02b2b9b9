package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// The action examples applied as written, on the CLIs that run actions.
// Their database is the docs' pg.internal.example: the simulator completes
// its backups, and its connection test fails as the platform would for a
// host that does not resolve.
func TestAccExamples_actions(t *testing.T) {
	platformacc.RequireSimulator(t, "backups of the example's postgres database that complete")
	vars := config.Variables{"orders_password": config.StringVariable("example-secret")}
	for _, tc := range []struct {
		name      string
		vars      config.Variables
		expectErr string
		backups   int
		needs     *api.Feature
	}{
		{name: "platform_database_create_backup", vars: vars, backups: 1, needs: &api.FeaturePins},
		{name: "platform_database_test_connection", vars: vars,
			expectErr: `The platform cannot connect to database "orders-pg"`},
		{name: "platform_database_apply_retention", needs: &api.FeatureRetentionPolicies},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := platformacc.NewPlatform(t, exampleEnvironment)
			if tc.needs != nil {
				p.RequireRelease(t, *tc.needs)
			}
			envID := p.EnvID(t, exampleEnvironment)
			cfg := p.Config(example(t, p, "actions/"+tc.name+"/action.tf"))
			step := resource.TestStep{Config: cfg, ConfigVariables: tc.vars, PostApplyFunc: func() {
				dbs := p.State.Databases(envID)
				if len(dbs) != 1 {
					t.Fatalf("%d databases, want the example's one", len(dbs))
				}
				if n := len(p.State.Backups(dbs[0].ID)); n != tc.backups {
					t.Errorf("%d backups after the example's apply, want %d", n, tc.backups)
				}
			}}
			if tc.expectErr != "" {
				step.ExpectError = errorText(tc.expectErr)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: platformacc.ProviderFactories,
				TerraformVersionChecks:   actionsCLI,
				CheckDestroy:             exampleCheckDestroy(p, envID),
				Steps: []resource.TestStep{step, {
					// The action's backups are not Terraform's: delete them
					// so the database's destroy goes through.
					PreConfig: func() {
						for _, db := range p.State.Databases(envID) {
							for _, b := range p.State.Backups(db.ID) {
								if err := p.State.DeleteBackup(db.ID, b.ID); err != nil {
									t.Fatal(err)
								}
							}
						}
					},
					Config: p.Config(fmt.Sprintf("# %s example removed", tc.name)),
				}},
			})
		})
	}
}
