package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

const scheduleAddr = "platform_database_backup_schedule.test"

func scheduleIs(name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(scheduleAddr, attr(name), v)
}

// scheduleConfig renders a database and its schedule with the given body.
func (d *dbTest) scheduleConfig(body string) string {
	return d.config(fmt.Sprintf("name = %q\n  type = \"postgres\"", d.name)) + fmt.Sprintf(`
resource "platform_database_backup_schedule" "test" {
  database_id = platform_database.test.id
%s
}
`, body)
}

// storedSchedule asserts what the platform holds for the test's database.
func (d *dbTest) storedSchedule(cron string, retention int, enabled bool) resource.TestCheckFunc {
	return d.storedCheck(func(db platformDB) error {
		sc, ok := d.p.State.Schedule(db.ID)
		if !ok {
			return fmt.Errorf("database %s has no schedule on the platform", db.ID)
		}
		return expectAll(
			expectEq("cronExpression", sc.CronExpression, cron),
			expectEq("retentionDays", sc.RetentionDays, retention),
			expectEq("enabled", sc.Enabled, enabled),
		)
	})
}

// schedulerRuns is why a test creating an enabled schedule needs the
// simulator: a real platform's scheduler runs every enabled schedule that
// never ran at its next tick (about once a minute), and the backup it
// leaves blocks deleting the database.
const schedulerRuns = "a schedule that runs only when the test says so; " +
	"the platform's scheduler runs a new enabled schedule within a minute and its backup blocks deleting the database"

// apiClient talks to the test platform directly, for changes made outside
// Terraform.
func apiClient(t *testing.T, p *platformacc.Platform) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{Endpoint: p.URL, Token: p.OperatorToken(), UserAgent: "out-of-band"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A user's day with a schedule: defaults, an in-place change, import,
// a backup run out of band (run times move without a dirty plan), the
// schedule deleted out of band (recreated), then destroy.
func TestAccBackupSchedule_lifecycle(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	d.p.RequireSimulator(t, schedulerRuns)
	api := apiClient(t, d.p)
	dbID := func() string {
		db, err := d.stored()
		if err != nil {
			t.Fatal(err)
		}
		return db.ID
	}
	timestamp := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$`)

	d.run(
		resource.TestStep{
			Config: d.scheduleConfig(`  cron_expression = "0 2 * * *"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(scheduleAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(scheduleAddr, attr("retention_days"), knownvalue.Int64Exact(7)),
					plancheck.ExpectKnownValue(scheduleAddr, attr("enabled"), knownvalue.Bool(true)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				scheduleIs("cron_expression", knownvalue.StringExact("0 2 * * *")),
				scheduleIs("retention_days", knownvalue.Int64Exact(7)),
				scheduleIs("enabled", knownvalue.Bool(true)),
				scheduleIs("last_run_at", knownvalue.Null()),
				scheduleIs("next_run_at", knownvalue.StringRegexp(timestamp)),
				statecheck.CompareValuePairs(scheduleAddr, attr("id"), dbAddr, attr("id"), compare.ValuesSame()),
			},
			Check: d.storedSchedule("0 2 * * *", 7, true),
		},
		resource.TestStep{
			Config: d.scheduleConfig(`
  cron_expression = "*/30 6-18 * * mon-fri"
  retention_days  = 30
  enabled         = false`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(scheduleAddr, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				scheduleIs("retention_days", knownvalue.Int64Exact(30)),
				scheduleIs("enabled", knownvalue.Bool(false)),
				scheduleIs("next_run_at", knownvalue.Null()),
			},
			Check: d.storedSchedule("*/30 6-18 * * mon-fri", 30, false),
		},
		resource.TestStep{
			ResourceName:      scheduleAddr,
			ImportState:       true,
			ImportStateVerify: true,
		},
		resource.TestStep{
			// Removing enabled sends its default again; removing the
			// deprecated retention_days, which prunes nothing, keeps the
			// stored number, as configuration generated for an import
			// (which leaves deprecated attributes out) needs.
			Config: d.scheduleConfig(`  cron_expression = "0 3 * * *"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(scheduleAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(scheduleAddr, attr("retention_days"), knownvalue.Int64Exact(30)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: d.storedSchedule("0 3 * * *", 30, true),
		},
		resource.TestStep{
			// The platform's scheduler runs the schedule (it never ran, so the
			// next tick runs it whatever its cron says), moving last_run_at
			// and next_run_at: refresh picks them up and the plan stays
			// empty. A manual backup would not do (it leaves lastRunAt
			// alone). The scheduled backup is deleted again so the database
			// can be destroyed.
			PreConfig: func() {
				id := dbID()
				ran := d.p.Sim.RunScheduler()
				if len(ran) != 1 {
					t.Fatalf("scheduler ran %v, want one backup of %s", ran, id)
				}
				if b := d.p.State.Backups(id); len(b) != 1 || b[0].ID != ran[0] || b[0].Type != "scheduled" {
					t.Fatalf("backups after the scheduler ran: %+v", b)
				}
				if err := d.p.State.DeleteBackup(id, ran[0]); err != nil {
					t.Fatal(err)
				}
			},
			Config: d.scheduleConfig(`  cron_expression = "0 3 * * *"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				scheduleIs("last_run_at", knownvalue.StringRegexp(timestamp)),
				scheduleIs("next_run_at", knownvalue.StringRegexp(timestamp)),
			},
			Check: func(st *terraform.State) error {
				// State holds the run the platform recorded.
				sc, ok := d.p.State.Schedule(dbID())
				if !ok || sc.LastRunAt == nil || sc.NextRunAt == nil || !sc.NextRunAt.After(*sc.LastRunAt) {
					return fmt.Errorf("schedule after its run: %+v", sc)
				}
				const jsTime = "2006-01-02T15:04:05.000Z"
				got := st.RootModule().Resources[scheduleAddr].Primary.Attributes
				return expectAll(
					expectEq("last_run_at", sc.LastRunAt.UTC().Format(jsTime), got["last_run_at"]),
					expectEq("next_run_at", sc.NextRunAt.UTC().Format(jsTime), got["next_run_at"]),
				)
			},
		},
		resource.TestStep{
			PreConfig: func() {
				if err := api.DeleteSchedule(context.Background(), dbID()); err != nil {
					t.Fatal(err)
				}
			},
			Config:           d.scheduleConfig(`  cron_expression = "0 3 * * *"`),
			ConfigPlanChecks: planChecksFor(scheduleAddr, plancheck.ResourceActionCreate),
			Check:            d.storedSchedule("0 3 * * *", 7, true),
		},
		resource.TestStep{
			// The database vanishes out of band, taking its schedule with it:
			// both are planned for creation again instead of failing.
			PreConfig: func() {
				if err := d.p.State.DeleteDatabase(dbID()); err != nil {
					t.Fatal(err)
				}
			},
			Config:           d.scheduleConfig(`  cron_expression = "0 3 * * *"`),
			ConfigPlanChecks: planChecksFor(scheduleAddr, plancheck.ResourceActionCreate),
			Check:            d.storedSchedule("0 3 * * *", 7, true),
		},
	)
}

// The database is destroyed before its schedule (the database depends on
// the schedule here, reversing the usual order): the schedule's destroy then
// meets a 404 and must still succeed.
func TestAccBackupSchedule_destroyAfterDatabase(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	p.RequireSimulator(t, schedulerRuns)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	name := acctest.RandomWithPrefix("tf-acc")
	db, err := apiClient(t, p).CreateDatabase(context.Background(), envID, client.DatabaseInput{Name: &name, Type: ptrTo("postgres")})
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, ok := p.State.Database(db.ID); ok {
				return fmt.Errorf("database %s still exists", db.ID)
			}
			if p.Sim == nil {
				return nil // the order below is proven from the simulator's counters
			}
			// Proves the order: the schedule's DELETE came after the
			// database's and was answered 404.
			if n := p.Sim.Requests()["DELETE /api/databases/{id}/schedule"]; n != 1 {
				return fmt.Errorf("schedule DELETE sent %d times, want 1", n)
			}
			if n := p.Sim.StatusCounts()[404]; n != 1 {
				return fmt.Errorf("platform answered 404 %d times, want 1 (the schedule DELETE)", n)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: p.Config(fmt.Sprintf(`
import {
  to = platform_database.test
  id = %[1]q
}

resource "platform_database" "test" {
  environment_id = %[2]q
  name           = %[3]q
  type           = "postgres"
  depends_on     = [platform_database_backup_schedule.test]
}

resource "platform_database_backup_schedule" "test" {
  database_id     = %[1]q
  cron_expression = "0 2 * * *"
}
`, db.ID, envID, name)),
			ConfigPlanChecks: emptyPlanAfterApply(),
			Check: func(*terraform.State) error {
				if _, ok := p.State.Schedule(db.ID); !ok {
					return fmt.Errorf("no schedule on the platform")
				}
				return nil
			},
		}},
	})
}

// Importing the schedule of a database that has none fails clearly instead
// of adopting an empty schedule.
func TestAccBackupSchedule_importWithoutSchedule(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	d.run(
		resource.TestStep{Config: d.config(fmt.Sprintf("name = %q\n  type = \"postgres\"", d.name))},
		resource.TestStep{
			Config:       d.scheduleConfig(`  cron_expression = "0 2 * * *"`),
			ResourceName: scheduleAddr,
			ImportState:  true,
			ImportStateIdFunc: func(s *terraform.State) (string, error) {
				return s.RootModule().Resources[dbAddr].Primary.ID, nil
			},
			ExpectError: regexp.MustCompile(`(?i)cannot import non-existent remote object`),
		},
	)
}

func TestAccBackupSchedule_invalidConfig(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	cases := map[string]struct {
		body string
		want []string
	}{
		"four fields":    {`cron_expression = "0 2 * *"`, []string{"Invalid cron expression", "cron_expression", "expected 5 fields"}},
		"not a cron":     {`cron_expression = "not a cron"`, []string{"Invalid cron expression"}},
		"hour 24":        {`cron_expression = "0 24 * * *"`, []string{`hour field "24": 24 is out of range 0-23`}},
		"macro":          {`cron_expression = "@daily"`, []string{"expected 5 fields"}},
		"retention 0":    {"cron_expression = \"0 2 * * *\"\n  retention_days = 0", []string{"retention_days", "must be between 1 and 365, got: 0"}},
		"retention 366":  {"cron_expression = \"0 2 * * *\"\n  retention_days = 366", []string{"retention_days", "must be between 1 and 365, got: 366"}},
		"retention 7.5":  {"cron_expression = \"0 2 * * *\"\n  retention_days = 7.5", []string{"Not a whole number", "retention_days must be a whole number, got 7.5"}},
		"no cron":        {``, []string{`The argument "cron_expression" is required`}},
		"empty database": {"cron_expression = \"0 2 * * *\"\n  database_id = \"\"", []string{"database_id", "at least 1"}},
		"unknown database": {"cron_expression = \"0 2 * * *\"\n  database_id = \"cnope\"", []string{
			`Could not create the backup schedule of database "cnope"`, "404 NOT_FOUND", "check database_id"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			body := tc.body
			if !regexp.MustCompile(`database_id`).MatchString(body) {
				body += "\n  database_id = \"cwhatever\""
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: platformacc.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      p.Config("resource \"platform_database_backup_schedule\" \"test\" {\n  " + body + "\n}\n"),
					ExpectError: errorText(tc.want...),
				}},
			})
		})
	}
}
