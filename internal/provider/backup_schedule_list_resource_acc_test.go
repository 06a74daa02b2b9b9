package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// The schedules of an environment: only the databases that have one, each
// by its database's id and named after it with its cron, filtered by name
// and by enabled; the full state carries retention_days, which only the
// schedule's own route returns.
func TestAccBackupScheduleList_query(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	envName := p.EnvName(platformacc.DefaultEnvironment)
	api := apiClient(t, p)
	nightly := outOfBand(t, api, envID, client.DatabaseInput{Name: ptrTo("nightly"), Type: ptrTo("postgres")})
	paused := outOfBand(t, api, envID, client.DatabaseInput{Name: ptrTo("paused"), Type: ptrTo("mysql")})
	outOfBand(t, api, envID, client.DatabaseInput{Name: ptrTo("unscheduled"), Type: ptrTo("postgres")})
	for db, in := range map[*client.Database]client.ScheduleInput{
		nightly: {CronExpression: "0 2 * * *", RetentionDays: ptrTo(int64(14))},
		paused:  {CronExpression: "*/30 * * * *", Enabled: ptrTo(false)},
	} {
		if _, err := api.PutSchedule(context.Background(), db.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	byDatabase := func(db *client.Database) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"database_id": knownvalue.StringExact(db.ID)})
	}

	queryTest(t, p, resource.TestStep{
		Query: true,
		Config: fmt.Sprintf(`
list "platform_database_backup_schedule" "all" {
  provider         = platform
  include_resource = true
  config {
    environment_id = %[1]q
  }
}

list "platform_database_backup_schedule" "enabled" {
  provider = platform
  config {
    environment_id = %[1]q
    enabled        = true
  }
}

list "platform_database_backup_schedule" "named" {
  provider = platform
  config {
    environment_id = %[1]q
    name_regex     = "^pa"
  }
}
`, envID),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("platform_database_backup_schedule.all", 2),
			querycheck.ExpectIdentity("platform_database_backup_schedule.all", map[string]knownvalue.Check{
				"database_id": knownvalue.StringExact(nightly.ID),
			}),
			querycheck.ExpectResourceDisplayName("platform_database_backup_schedule.all", byDatabase(nightly),
				knownvalue.StringExact(envName+"/nightly (0 2 * * *)")),
			querycheck.ExpectResourceKnownValues("platform_database_backup_schedule.all", byDatabase(nightly),
				[]querycheck.KnownValueCheck{
					{Path: attr("id"), KnownValue: knownvalue.StringExact(nightly.ID)},
					{Path: attr("cron_expression"), KnownValue: knownvalue.StringExact("0 2 * * *")},
					{Path: attr("retention_days"), KnownValue: knownvalue.Int64Exact(14)},
					{Path: attr("enabled"), KnownValue: knownvalue.Bool(true)},
					{Path: attr("next_run_at"), KnownValue: knownvalue.NotNull()},
				}),
			querycheck.ExpectResourceKnownValues("platform_database_backup_schedule.all", byDatabase(paused),
				[]querycheck.KnownValueCheck{
					{Path: attr("retention_days"), KnownValue: knownvalue.Int64Exact(7)},
					{Path: attr("enabled"), KnownValue: knownvalue.Bool(false)},
					{Path: attr("next_run_at"), KnownValue: knownvalue.Null()},
				}),
			querycheck.ExpectLength("platform_database_backup_schedule.enabled", 1),
			querycheck.ExpectIdentity("platform_database_backup_schedule.enabled", map[string]knownvalue.Check{
				"database_id": knownvalue.StringExact(nightly.ID),
			}),
			querycheck.ExpectLength("platform_database_backup_schedule.named", 1),
			querycheck.ExpectIdentity("platform_database_backup_schedule.named", map[string]knownvalue.Check{
				"database_id": knownvalue.StringExact(paused.ID),
			}),
		},
	})
}

// Schedules that go away between the environment's list and their own read
// (one deleted, one with its database) are left out with a warning, and
// the next databases with a schedule take their place: the block still
// gets its limit of results, and no schedule past them is read.
func TestAccBackupScheduleList_goneScheduleTakesNextCandidate(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	p.RequireSimulator(t, "a schedule deleted between two requests of one query")
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	api := apiClient(t, p)
	dbs := map[string]*client.Database{}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		dbs[name] = outOfBand(t, api, envID, client.DatabaseInput{Name: ptrTo(name), Type: ptrTo("postgres")})
		if _, err := api.PutSchedule(context.Background(), dbs[name].ID, client.ScheduleInput{CronExpression: "0 2 * * *"}); err != nil {
			t.Fatal(err)
		}
	}
	// The first read of a's schedule finds it deleted (null), of b's its
	// database deleted (404).
	var mu sync.Mutex
	deletes := map[string]func(context.Context) error{
		"/api/databases/" + dbs["a"].ID + "/schedule": func(ctx context.Context) error { return api.DeleteSchedule(ctx, dbs["a"].ID) },
		"/api/databases/" + dbs["b"].ID + "/schedule": func(ctx context.Context) error { return api.DeleteDatabase(ctx, dbs["b"].ID) },
	}
	p.OnRequest(func(r *http.Request) {
		if r.Method != http.MethodGet {
			return
		}
		mu.Lock()
		del := deletes[r.URL.Path]
		delete(deletes, r.URL.Path)
		mu.Unlock()
		// Outside the lock: the delete is a request to the same hook.
		if del != nil {
			if err := del(r.Context()); err != nil {
				t.Errorf("deleting behind the query's back: %v", err)
			}
		}
	})
	byDatabase := func(name string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"database_id": knownvalue.StringExact(dbs[name].ID)}
	}

	queryTest(t, p, resource.TestStep{
		PreConfig: p.Sim.ResetRequests,
		Query:     true,
		Config: fmt.Sprintf(`
list "platform_database_backup_schedule" "two" {
  provider         = platform
  limit            = 2
  include_resource = true
  config {
    environment_id = %q
  }
}
`, envID),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("platform_database_backup_schedule.two", 2),
			querycheck.ExpectIdentity("platform_database_backup_schedule.two", byDatabase("c")),
			querycheck.ExpectIdentity("platform_database_backup_schedule.two", byDatabase("d")),
			querycheck.ExpectResourceKnownValues("platform_database_backup_schedule.two",
				queryfilter.ByResourceIdentity(byDatabase("d")), []querycheck.KnownValueCheck{
					{Path: attr("cron_expression"), KnownValue: knownvalue.StringExact("0 2 * * *")},
					{Path: attr("retention_days"), KnownValue: knownvalue.Int64Exact(7)},
				}),
			queryRequests{p: p, check: func(r map[string]int, _ int) error {
				if r[routeSchedule] != 4 {
					return fmt.Errorf("%d schedule reads; want 4: a, b, c and d, not e past the limit", r[routeSchedule])
				}
				return nil
			}},
		},
	})
}
