package provider_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

const (
	routeMonitoring = "PATCH /api/environments/{envId}/databases/{id}/monitoring"
	routePatchDB    = "PATCH /api/databases/{id}"
	routeSummary    = "GET /api/environments/{envId}/databases/monitoring-summary"
)

// storedMonitoring asserts what the platform holds.
func (d *dbTest) storedMonitoring(enabled bool, interval int64) resource.TestCheckFunc {
	return d.storedCheck(func(db platformDB) error {
		return expectAll(expectEq("monitoringEnabled", db.MonitoringEnabled, enabled),
			expectEq("collectionIntervalSec", db.CollectionIntervalSec, interval))
	})
}

// requests asserts how often routes were called since the test began.
// Request counters are the simulator's: against a real platform it checks
// nothing, and the rest of the step still runs.
func (d *dbTest) requests(want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if d.p.Sim == nil {
			return nil
		}
		got := d.p.Sim.Requests()
		var errs []error
		for route, n := range want {
			errs = append(errs, expectEq(route, got[route], n))
		}
		return expectAll(errs...)
	}
}

// The platform's monitoring defaults show in the plan as values; a create
// that keeps them, refreshes and an import cost no monitoring request.
func TestAccDatabaseMonitoring_defaults(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	d.run(
		resource.TestStep{
			Config: d.config(minimalBody(d.name)),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionCreate,
				planIs("monitoring_enabled", knownvalue.Bool(true)),
				planIs("monitoring_interval_seconds", knownvalue.Int64Exact(300))),
			ConfigStateChecks: []statecheck.StateCheck{
				stateIs("monitoring_enabled", knownvalue.Bool(true)),
				stateIs("monitoring_interval_seconds", knownvalue.Int64Exact(300)),
			},
			Check: resource.ComposeTestCheckFunc(d.storedMonitoring(true, 300),
				d.requests(map[string]int{routeMonitoring: 0, routeSummary: 0})),
		},
		importStep(),
		resource.TestStep{
			Config:           d.config(minimalBody(d.name)),
			ConfigPlanChecks: emptyPlanAfterApply(),
			Check:            d.requests(map[string]int{routeMonitoring: 0, routeSummary: 0, routePatchDB: 0}),
		},
	)
}

// Non-default values are written after the create, changed in place (a
// change to monitoring alone sends no database PATCH), back to the
// defaults when removed from configuration, and read by import.
func TestAccDatabaseMonitoring_changes(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	withMonitoring := func(extra string) string { return d.config(minimalBody(d.name) + "\n  " + extra) }
	d.run(
		resource.TestStep{
			Config: withMonitoring("monitoring_enabled = false\n  monitoring_interval_seconds = 120"),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionCreate,
				planIs("monitoring_enabled", knownvalue.Bool(false)),
				planIs("monitoring_interval_seconds", knownvalue.Int64Exact(120))),
			Check: resource.ComposeTestCheckFunc(d.storedMonitoring(false, 120),
				d.requests(map[string]int{routeMonitoring: 1})),
		},
		importStep(),
		resource.TestStep{
			Config: withMonitoring("monitoring_enabled = false\n  monitoring_interval_seconds = 600"),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate,
				planIs("monitoring_interval_seconds", knownvalue.Int64Exact(600))),
			Check: resource.ComposeTestCheckFunc(d.storedMonitoring(false, 600),
				d.requests(map[string]int{routeMonitoring: 2, routePatchDB: 0})),
		},
		resource.TestStep{
			Config: withMonitoring("monitoring_enabled = true\n  monitoring_interval_seconds = 600\n  host = \"pg.example.test\""),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate,
				planIs("monitoring_enabled", knownvalue.Bool(true))),
			Check: resource.ComposeTestCheckFunc(d.storedMonitoring(true, 600),
				d.storedCheck(func(db platformDB) error { return expectEq("host", *db.Host, "pg.example.test") }),
				d.requests(map[string]int{routeMonitoring: 3, routePatchDB: 1})),
		},
		resource.TestStep{
			Config: withMonitoring("host = \"pg.example.test\""),
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate,
				planIs("monitoring_enabled", knownvalue.Bool(true)),
				planIs("monitoring_interval_seconds", knownvalue.Int64Exact(300))),
			Check: d.storedMonitoring(true, 300),
		},
		importStep(),
	)
}

// Monitoring changed outside Terraform shows in the next plan, which
// restores the configured values.
func TestAccDatabaseMonitoring_drift(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	cfg := d.config(minimalBody(d.name))
	d.run(
		resource.TestStep{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply()},
		resource.TestStep{
			PreConfig: func() {
				db, err := d.stored()
				if err == nil {
					err = d.p.State.SetMonitoring(db.ID, false, 60)
				}
				if err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate,
				planIs("monitoring_enabled", knownvalue.Bool(true)),
				planIs("monitoring_interval_seconds", knownvalue.Int64Exact(300))),
			Check: d.storedMonitoring(true, 300),
		},
	)
}

// Intervals the platform would store but cannot honour fail at plan time,
// before any request about databases.
func TestAccDatabaseMonitoring_invalid(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	cases := map[string]struct{ body, want string }{
		"below the collector's tick": {`monitoring_interval_seconds = 30`, `Attribute monitoring_interval_seconds value must be between 60 and 86400, got: 30`},
		"zero":                       {`monitoring_interval_seconds = 0`, `Attribute monitoring_interval_seconds value must be between 60 and 86400`},
		"negative":                   {`monitoring_interval_seconds = -5`, `Attribute monitoring_interval_seconds value must be between 60 and 86400`},
		"beyond a day":               {`monitoring_interval_seconds = 86401`, `Attribute monitoring_interval_seconds value must be between 60 and 86400`},
		"with a fraction":            {`monitoring_interval_seconds = 60.5`, `Not a whole number … monitoring_interval_seconds must be a whole number, got 60.5`},
		"a string":                   {`monitoring_interval_seconds = "often"`, `Inappropriate value for attribute "monitoring_interval_seconds"`},
		"enabled not a bool":         {`monitoring_enabled = "yes"`, `Inappropriate value for attribute "monitoring_enabled"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: platformacc.ProviderFactories,
				Steps: []resource.TestStep{{
					Config: p.Config(fmt.Sprintf("resource \"platform_database\" \"test\" {\n  environment_id = %q\n  %s\n  %s\n}\n",
						envID, minimalBody("x"), tc.body)),
					ExpectError: errorText(strings.Split(tc.want, " … ")...),
				}},
			})
		})
	}
	if p.Sim == nil {
		return // request counters: simulator only; the plan-time errors above are the proof there
	}
	for route, n := range p.Sim.Requests() {
		if strings.Contains(route, "databases") && n > 0 {
			t.Errorf("invalid configurations reached the platform: %d × %s", n, route)
		}
	}
}

// Both data sources show the monitoring settings (they are part of the
// shared model); the list adds the collector's status from the one
// monitoring summary request per read.
func TestAccDatabaseMonitoring_dataSources(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	cfg := d.config(minimalBody(d.name)+"\n  monitoring_enabled = false\n  monitoring_interval_seconds = 120") + `
data "platform_database" "one" {
  id = platform_database.test.id
}

data "platform_databases" "all" {
  environment_id = platform_database.test.environment_id
  depends_on     = [platform_database.test]
}
`
	const one, all = "data.platform_database.one", "data.platform_databases.all"
	item := func(checks map[string]knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(all, attr("databases"), knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(checks)}))
	}
	collected := time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)
	steps := []resource.TestStep{
		{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(one, attr("monitoring_enabled"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(one, attr("monitoring_interval_seconds"), knownvalue.Int64Exact(120)),
				item(map[string]knownvalue.Check{
					"monitoring_enabled": knownvalue.Bool(false), "monitoring_interval_seconds": knownvalue.Int64Exact(120),
					"monitoring_status": knownvalue.StringExact("unknown"), "last_collected_at": knownvalue.Null(),
					"last_monitoring_error": knownvalue.Null(),
				}),
			},
			ConfigPlanChecks: emptyPlanAfterApply(),
		},
		{
			PreConfig: func() {
				db, err := d.stored()
				if err == nil {
					err = d.p.Sim.SetMonitoringStatus(db.ID, "error", &collected, ptrTo("connect ECONNREFUSED 127.0.0.1:5432"))
				}
				if err != nil {
					t.Fatal(err)
				}
				d.p.Sim.ResetRequests()
			},
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{item(map[string]knownvalue.Check{
				"monitoring_status":     knownvalue.StringExact("error"),
				"last_collected_at":     knownvalue.StringExact("2026-11-26T17:00:00.000Z"),
				"last_monitoring_error": knownvalue.StringExact("connect ECONNREFUSED 127.0.0.1:5432"),
			})},
			ConfigPlanChecks: emptyPlanAfterApply(),
			Check: func(*terraform.State) error {
				// One summary per read of the list data source, never one
				// request per database: as many summaries as list reads.
				reqs := d.p.Sim.Requests()
				if reqs[routeSummary] == 0 || reqs[routeSummary] > reqs[routeList] {
					return fmt.Errorf("%d monitoring summaries for %d list reads", reqs[routeSummary], reqs[routeList])
				}
				return nil
			},
		},
	}
	if d.p.Real() {
		// The collector's status is the platform's to set: a disabled
		// database stays "unknown" there, and the error state needs the
		// simulator's SetMonitoringStatus and request counters.
		t.Log("the collector-status step needs the simulator (a status and error chosen by the test, request counters); skipped against the real platform")
		steps = steps[:1]
	}
	d.run(steps...)
}

// An environment-scoped token, refused on every /api/databases/{id} route,
// still sets monitoring on create and changes it in place: the monitoring
// route lives under the environment, and the database is read back from the
// environment's list.
func TestAccDatabaseMonitoring_environmentScopedToken(t *testing.T) {
	t.Parallel()
	var d *dbTest
	var p *platformacc.Platform
	token := scopedToken
	if platformacc.RealMode() {
		// The real scoped token's environment is shared by every run: a
		// unique name, removed afterwards.
		p = platformacc.NewPlatform(t)
		var envID string
		token, envID = p.ScopedToken(t)
		d = &dbTest{t: t, p: p, envID: envID, name: acctest.RandomWithPrefix("tf-acc-scoped"), shared: true}
		p.CleanupDatabases(t, envID, d.name)
	} else {
		p = platformacc.NewPlatformWith(t, simulator.Options{
			Environments: []string{platformacc.DefaultEnvironment},
			Tokens: []simulator.Token{{
				Value: scopedToken, Role: simulator.RoleOperator, Environments: []string{platformacc.DefaultEnvironment},
			}},
		})
		d = &dbTest{t: t, p: p, envID: p.EnvID(t, platformacc.DefaultEnvironment), name: acctest.RandomWithPrefix("tf-acc")}
	}
	scoped := func(interval int) string {
		return p.ProviderBlock(token) + fmt.Sprintf(`
resource "platform_database" "test" {
  environment_id              = %q
  name                        = %q
  type                        = "postgres"
  monitoring_interval_seconds = %d
}
`, d.envID, d.name, interval)
	}
	noForbidden := func(*terraform.State) error {
		if p.Sim == nil {
			return nil // status and request counters: simulator only
		}
		return expectAll(expectEq("403 answers", p.Sim.StatusCounts()[403], 0), expectEq(routeGetByID, p.Sim.Requests()[routeGetByID], 0))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             d.checkDestroy,
		Steps: []resource.TestStep{
			{
				Config:           scoped(120),
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check:            resource.ComposeTestCheckFunc(d.storedMonitoring(true, 120), noForbidden),
			},
			{
				Config:           scoped(900),
				ConfigPlanChecks: planChecks(plancheck.ResourceActionUpdate),
				Check:            resource.ComposeTestCheckFunc(d.storedMonitoring(true, 900), noForbidden),
			},
			{Config: p.Config("")}, // the all-environments token cleans up
		},
	})
}
