package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

const (
	routeEnvironments = "GET /api/environments"
	routeSchedule     = "GET /api/databases/{id}/schedule"
)

// queryRequests asserts what the platform was asked during a query step,
// since its PreConfig reset the counters.
type queryRequests struct {
	p     *platformacc.Platform
	check func(byRoute map[string]int, total int) error
}

func (c queryRequests) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	resp.Error = c.check(c.p.Sim.Requests(), c.p.Sim.TotalRequests())
}

// A query of an environment of 520 databases, more than one page, costs
// what a refresh of them does: the list's two pages, plus the token check
// of the provider's start and the environment list (for the display names)
// once per run, whether the full state is asked for or not. The schedules'
// list shares the databases' list; only their full state reads each
// schedule.
func TestAccDatabaseList_requestCount(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	p.RequireSimulator(t, "request counters")
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	api := apiClient(t, p)
	const total, scheduled = 520, 3
	for i := range total {
		db := outOfBand(t, api, envID, client.DatabaseInput{Name: ptrTo(fmt.Sprintf("db-%03d", i)), Type: ptrTo("postgres")})
		if i < scheduled {
			if _, err := api.PutSchedule(context.Background(), db.ID, client.ScheduleInput{CronExpression: "0 2 * * *"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	reset := func() { p.Sim.ResetRequests() }
	expect := func(schedules int) queryRequests {
		return queryRequests{p: p, check: func(r map[string]int, n int) error {
			if r[routeList] != 2 || r[routeEnvironments] != 1 || r[routeMe] != 1 || r[routeSchedule] != schedules || r[routeGetByID] != 0 ||
				n != 4+schedules {
				return fmt.Errorf("the query sent %v (%d in all); want 2 list pages, the environment list and the token "+
					"check once, %d schedule reads and nothing else", r, n, schedules)
			}
			return nil
		}}
	}
	lists := func(includeResource bool) string {
		return fmt.Sprintf(`
list "platform_database" "all" {
  provider         = platform
  include_resource = %[2]t
  limit            = 1000
  config {
    environment_id = %[1]q
  }
}

list "platform_database_backup_schedule" "all" {
  provider         = platform
  include_resource = %[2]t
  config {
    environment_id = %[1]q
  }
}
`, envID, includeResource)
	}

	queryTest(t, p,
		resource.TestStep{
			PreConfig: reset,
			Query:     true,
			Config:    lists(false),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("platform_database.all", total),
				querycheck.ExpectLength("platform_database_backup_schedule.all", scheduled),
				expect(0),
			},
		},
		resource.TestStep{
			PreConfig: reset,
			Query:     true,
			Config:    lists(true),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("platform_database.all", total),
				expect(scheduled),
			},
		},
	)
}
