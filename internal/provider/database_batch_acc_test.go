package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

const (
	routeMe       = "GET /api/auth/me"
	routeList     = "GET /api/environments/{envId}/databases"
	routeGetByID  = "GET /api/databases/{id}"
	batchDBCount  = 40
	batchDBPrefix = "platform_database.many"
)

// requestsCheck asserts, right after a plan, what the platform was asked
// since the step's PreConfig reset its counters.
type requestsCheck struct {
	p     *platformacc.Platform
	check func(byRoute map[string]int, total int) error
}

func (c requestsCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c.check(c.p.Sim.Requests(), c.p.Sim.TotalRequests())
}

// A refresh of many databases in one environment costs one list request
// per provider process (plus the start-up token check), not one GET per
// database; a database deleted behind Terraform's back is confirmed with
// a GET before it leaves the state.
func TestAccDatabase_batchedRefreshRequestCount(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	d.p.RequireSimulator(t, "request counters")
	config := d.p.Config(fmt.Sprintf(`
resource "platform_database" "many" {
  count          = %d
  environment_id = %q
  name           = "%s-${count.index}"
  type           = "postgres"
}
`, batchDBCount, d.envID, d.name))
	reset := func() { d.p.Sim.ResetRequests() }
	unbatched := strings.Replace(config, "provider \"platform\" {", "provider \"platform\" {\n  batch_reads = false", 1)
	if unbatched == config {
		t.Fatal("no provider block to turn batching off in")
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             d.checkDestroy,
		Steps: []resource.TestStep{
			{Config: config},
			{
				// A plan-only step runs a plan without refresh, then one with.
				PreConfig: reset,
				Config:    config,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					requestsCheck{p: d.p, check: func(r map[string]int, total int) error {
						processes := r[routeMe]
						if r[routeGetByID] != 0 || r[routeList] < 1 || r[routeList] > 3 || total != processes+r[routeList] {
							return fmt.Errorf("refreshing %d databases sent %v (%d in all); want ≤ 3 list requests, "+
								"no GET by id and nothing else but the token check", batchDBCount, r, total)
						}
						return nil
					}},
				}},
			},
			{
				// batch_reads = false: one GET per database, for debugging.
				PreConfig: reset,
				Config:    unbatched,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					requestsCheck{p: d.p, check: func(r map[string]int, _ int) error {
						if r[routeGetByID] != batchDBCount || r[routeList] != 0 {
							return fmt.Errorf("with batch_reads = false sent %v; want %d GETs by id and no list", r, batchDBCount)
						}
						return nil
					}},
				}},
			},
			{
				PreConfig: func() {
					reset()
					for _, db := range d.p.State.Databases(d.envID) {
						if db.Name == d.name+"-7" {
							if err := d.p.State.DeleteDatabase(db.ID); err != nil {
								t.Fatal(err)
							}
						}
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(batchDBPrefix+"[7]", plancheck.ResourceActionCreate),
					requestsCheck{p: d.p, check: func(r map[string]int, _ int) error {
						if r[routeGetByID] != 1 || r[routeList] > 3 {
							return fmt.Errorf("sent %v; want one GET confirming the missing database and ≤ 3 lists", r)
						}
						return nil
					}},
				}},
			},
		},
	})
}
