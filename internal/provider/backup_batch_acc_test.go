package provider_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

const (
	backupBatchCount = 10
	routeBackupList  = "GET /api/databases/{id}/backups"
	routeBackupByID  = "GET /api/backups/{id}"
)

// A refresh of many backups of one database reads them through the
// database's backup list, once per provider process, not one GET per
// backup; a backup deleted behind Terraform's back is confirmed with its
// own GET before it leaves the state.
func TestAccBackup_batchedRefreshRequestCount(t *testing.T) {
	t.Parallel()
	bt := newBackupTest(t)
	bt.p.RequireSimulator(t, "request counters")
	bt.p.RequireRelease(t, api.FeaturePins)
	bt.completesAfter(50 * time.Millisecond)
	config := bt.p.Config(fmt.Sprintf(`
resource "platform_database_backup" "many" {
  count       = %d
  database_id = %q
  pinned      = true
}
`, backupBatchCount, bt.dbID))
	reset := func() { bt.p.Sim.ResetRequests() }
	backupRequests := func(r map[string]int) (list, get, other int) {
		for route, n := range r {
			switch route {
			case routeMe:
			case routeBackupList:
				list += n
			case routeBackupByID:
				get += n
			default:
				other += n
			}
		}
		return list, get, other
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             bt.checkDestroy,
		Steps: []resource.TestStep{
			{Config: config},
			{
				// A plan-only step runs a plan without refresh, then one with.
				PreConfig: reset,
				Config:    config,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					requestsCheck{p: bt.p, check: func(r map[string]int, _ int) error {
						list, get, other := backupRequests(r)
						t.Logf("refreshing %d pinned backups of one database sent %v", backupBatchCount, r)
						if get != 0 || list < 1 || list > r[routeMe] || other != 0 {
							return fmt.Errorf("refreshing %d backups sent %v; want one backup list per provider process, "+
								"no GET by id and nothing else but the token check", backupBatchCount, r)
						}
						return nil
					}},
				}},
			},
			{
				PreConfig: func() {
					reset()
					if err := bt.p.State.DeleteBackup(bt.dbID, bt.p.State.Backups(bt.dbID)[3].ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					requestsCheck{p: bt.p, check: func(r map[string]int, _ int) error {
						if list, get, _ := backupRequests(r); get != 1 || list > r[routeMe] {
							return fmt.Errorf("sent %v; want one GET confirming the missing backup and a list per process", r)
						}
						return nil
					}},
				}},
			},
		},
	})
}
