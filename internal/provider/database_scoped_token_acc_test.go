package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

const scopedToken = "bport_pat_acc_scoped_operator"

// A team's operator token scoped to its own environment: the platform
// refuses it on every /api/databases/{id} route. Creating, refreshing and
// importing still work through the environment's routes; update and
// delete, which have no such route, fail with a diagnostic that names the
// token they need.
func TestAccDatabase_environmentScopedToken(t *testing.T) {
	t.Parallel()
	var d *dbTest
	var p *platformacc.Platform
	token := scopedToken
	if platformacc.RealMode() {
		// The real scoped token's environment is fixed and shared by
		// every run: the test works there and removes what it made.
		p = platformacc.NewPlatform(t)
		var envID string
		token, envID = p.ScopedToken(t)
		d = &dbTest{t: t, p: p, envID: envID, name: acctest.RandomWithPrefix("tf-acc-scoped"), shared: true}
		p.CleanupDatabases(t, envID, d.name)
	} else {
		p = platformacc.NewPlatformWith(t, simulator.Options{
			Environments: []string{platformacc.DefaultEnvironment, "other"},
			Tokens: []simulator.Token{{
				Value: scopedToken, Role: simulator.RoleOperator, Environments: []string{platformacc.DefaultEnvironment},
			}},
		})
		d = &dbTest{t: t, p: p, envID: p.EnvID(t, platformacc.DefaultEnvironment), name: acctest.RandomWithPrefix("tf-acc")}
	}
	resourceBlock := func(port int) string {
		return fmt.Sprintf(`
resource "platform_database" "test" {
  environment_id = %q
  name           = %q
  type           = "postgres"
  port           = %d
}
`, d.envID, d.name, port)
	}
	scoped := func(body string) string { return p.ProviderBlock(token) + body }
	afterApply := []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}
	if p.Sim != nil {
		afterApply = append(afterApply, requestsCheck{p: p, check: func(r map[string]int, _ int) error {
			if n := p.Sim.StatusCounts()[403]; n != 0 || r[routeGetByID] != 0 {
				return fmt.Errorf("sent %v with %d refused (403); a scoped token must read through the list", r, n)
			}
			return nil
		}})
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             d.checkDestroy,
		Steps: []resource.TestStep{
			{
				Config:            scoped(resourceBlock(5432)),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: afterApply},
				ConfigStateChecks: []statecheck.StateCheck{stateIs("port", knownvalue.Int64Exact(5432))},
			},
			{
				ResourceName:            dbAddr,
				ImportState:             true,
				ImportStateId:           d.envID + "/" + d.name,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: verifyIgnore("timeouts"),
			},
			{
				// By id alone: the reader searches the token's environments.
				ResourceName:            dbAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: verifyIgnore("timeouts"),
			},
			{
				Config:      scoped(resourceBlock(6543)),
				ExpectError: errorText("Could not update database", "only allows a database update with an all-environments token"),
			},
			{
				Config:      scoped(""),
				ExpectError: errorText("Could not delete database", "only allows a database delete with an all-environments token"),
			},
			{
				// The all-environments operator token cleans up.
				Config: p.Config(""),
			},
		},
	})
}
