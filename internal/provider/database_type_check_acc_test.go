package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

const routeDatabaseTypes = "GET /api/settings/database-types"

// Creating many databases reads the platform's database types once per
// provider process, not once per database, and a plan that sets no type
// (the refresh after apply) reads none. Unbracketed IPv6 hosts are fine.
func TestAccDatabase_typeCheckReadsOncePerProcess(t *testing.T) {
	t.Parallel()
	platformacc.RequireSimulator(t, "request counters: the test asserts how often the database types are read")
	d := newDBTest(t)
	const count = 6
	config := d.p.Config(fmt.Sprintf(`
resource "platform_database" "many" {
  count          = %d
  environment_id = %q
  name           = "%s-${count.index}"
  type           = count.index %% 2 == 0 ? "postgres" : "mysql"
  host           = "::1"
}
`, count, d.envID, d.name))
	reset := func() { d.p.Sim.ResetRequests() }
	first := "platform_database.many[0]"
	d.run(
		resource.TestStep{
			PreConfig: reset,
			Config:    config,
			Check: func(*terraform.State) error {
				// Uncached, the plan and apply would read 2 × count times.
				if n := d.p.Sim.Requests()[routeDatabaseTypes]; n < 1 || n >= count {
					return fmt.Errorf("creating %d databases read the database types %d times; want once per provider process", count, n)
				}
				return nil
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(first, tfjsonpath.New("host"), knownvalue.StringExact("::1")),
				statecheck.ExpectKnownValue(first, tfjsonpath.New("database_type_id"), knownvalue.StringExact(d.p.Sim.DatabaseTypeID("postgres"))),
			},
			ConfigPlanChecks: emptyPlanAfterApply(),
		},
		resource.TestStep{
			PreConfig: reset,
			Config:    config,
			PlanOnly:  true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				requestsCheck{p: d.p, check: func(r map[string]int, _ int) error {
					if r[routeDatabaseTypes] != 0 {
						return fmt.Errorf("a plan that changes no type read the database types: %v", r)
					}
					return nil
				}},
			}},
		},
	)
}

// An environment-scoped token may not read the database types: the check
// is skipped without asking and without a diagnostic, so even a mistyped
// type plans (the platform would accept it).
func TestAccDatabase_typeCheckSkippedForScopedToken(t *testing.T) {
	t.Parallel()
	var p *platformacc.Platform
	token, envID := scopedToken, ""
	if platformacc.RealMode() {
		// Plan only: nothing is made in the scoped token's shared environment.
		p = platformacc.NewPlatform(t)
		token, envID = p.ScopedToken(t)
	} else {
		p = platformacc.NewPlatformWith(t, simulator.Options{
			Environments: []string{platformacc.DefaultEnvironment},
			Tokens: []simulator.Token{{
				Value: scopedToken, Role: simulator.RoleOperator, Environments: []string{platformacc.DefaultEnvironment},
			}},
		})
		envID = p.EnvID(t, platformacc.DefaultEnvironment)
	}
	var afterPlan []plancheck.PlanCheck
	if p.Sim != nil { // request and status counters: simulator only; the plan passing is the proof there
		afterPlan = append(afterPlan, requestsCheck{p: p, check: func(r map[string]int, _ int) error {
			if r[routeDatabaseTypes] != 0 || p.Sim.StatusCounts()[403] != 0 {
				return fmt.Errorf("a scoped token asked for the database types: %v", r)
			}
			return nil
		}})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: p.ProviderBlock(token) + fmt.Sprintf(`
resource "platform_database" "test" {
  environment_id = %q
  name           = "scoped"
  type           = "postgress"
}
`, envID),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks:   resource.ConfigPlanChecks{PostApplyPostRefresh: afterPlan},
		}},
	})
}
